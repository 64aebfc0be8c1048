// Calendar locks (DESIGN.md invariant 2): a set of member and venue lock keys taken together in
// one global (sorted) order with a random token and a TTL, waited for with jittered backoff (cut
// short when this process releases a key the waiter wants: lock_wakeups.h), renewed while held,
// released by compare-and-delete, and fenced writes that Redis applies only while every lock of
// the set still holds this set's token.
//
// Typical use by a store:
//   absl::StatusOr<std::unique_ptr<LockSet>> locks = calendar_locks.Acquire(
//       {MemberLockKey(org, "m1"), VenueLockKey(org, "v1")}, wait_deadline);
//   … read what the booking depends on, check conflicts …
//   AtomicWrite write;
//   write.Expect(Precondition::ValueEquals(event_key, old_value)).Add(WriteOp::Set(event_key, v));
//   absl::StatusOr<std::vector<RedisReply>> done = (*locks)->FencedWrite(write, deadline);
//   (*locks)->Release(deadline);  // or let the LockSet go out of scope
// or, in one round trip, (*locks)->FencedWriteAndRelease(write, deadline).
//
// Status codes (all three are ABORTED; tell them apart with redis_status.h):
//   calendar busy: <key>            IsCalendarBusy        a key stayed taken until the wait
//   deadline lock lost on <key>              IsLockLost            expired, taken over or not
//   renewable precondition failed on <key>    IsPreconditionFailed  an expectation of the write did
//   not hold
#ifndef FIELDWORK_COMMON_REDIS_CALENDAR_LOCK_H_
#define FIELDWORK_COMMON_REDIS_CALENDAR_LOCK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/lock_renewer.h"
#include "common/redis/lock_wakeups.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"

namespace fieldwork {

// fw:{org}:lock:member:{member_id}
std::string MemberLockKey(absl::string_view organization, absl::string_view member_id);
// fw:{org}:lock:venue:{venue_id}
std::string VenueLockKey(absl::string_view organization, absl::string_view venue_id);

struct LockOptions {
  // Lifetime of each lock key (PX); renewed every ttl / 3 while held. At least 30ms.
  absl::Duration ttl = absl::Seconds(10);
  // Backoff between attempts on a busy key: starts at min_backoff, doubles up to max_backoff;
  // each wait is a random time between half the backoff and the backoff.
  absl::Duration min_backoff = absl::Milliseconds(5);
  // A booking holds its locks for about one Redis round trip, so a waiter sleeping 200ms let
  // newcomers overtake it again and again: 32 clients on 6 members waited up to 1.9s (the lock
  // wait is 2s). With 20ms the slowest waited 0.3–0.4s at the same commit rate; 10ms cut the
  // tail little more and cost 7% of the commits (tools/bench, BENCHMARKS.md).
  absl::Duration max_backoff = absl::Milliseconds(20);
  // Off only where the holder finishes well within the TTL, or in tests standing in for a holder
  // that stalls (a paused process renews nothing).
  bool renew = true;
};

// One acquired set of locks. Thread-compatible: one holder uses it.
class LockSet {
 public:
  LockSet(const LockSet&) = delete;
  LockSet& operator=(const LockSet&) = delete;
  // Releases the locks if still held (bounded wait; they expire by TTL otherwise).
  ~LockSet();

  // The lock keys, sorted, without duplicates.
  const std::vector<std::string>& keys() const { return held_->keys(); }
  // The random 128-bit token (32 hex digits) every key holds.
  const std::string& token() const { return held_->token(); }
  // True once a renewal or a fenced write found a key gone or taken over, or once no renewal
  // succeeded for a whole TTL; every later fenced write then fails with "lock lost on <key>".
  bool lost() const { return !held_->lost_status().ok(); }
  // Successful renewals so far.
  int64_t renewals() const { return held_->renewals(); }

  // Applies `write` only if every lock still holds this set's token, in the same atomic step
  // (see ApplyAtomicWrite); a lost lock → ABORTED "lock lost on <key>" and nothing is written.
  // All keys of `write` share the locks' hash tag. FAILED_PRECONDITION after Release.
  absl::StatusOr<std::vector<RedisReply>> FencedWrite(const AtomicWrite& write,
                                                      absl::Time deadline);

  // Deletes every key that still holds this set's token (compare-and-delete, one script) and
  // stops renewing. Idempotent. A failure leaves the keys to expire by TTL.
  absl::Status Release(absl::Time deadline);

  // FencedWrite that also deletes the lock keys in the same script once the write is applied, so
  // a booking's write and release take one round trip. The replies are those of `write`'s ops.
  // On failure nothing is written or released (Release, or the destructor, still releases).
  absl::StatusOr<std::vector<RedisReply>> FencedWriteAndRelease(AtomicWrite write,
                                                                absl::Time deadline);

 private:
  friend class CalendarLocks;
  // Marks the set released and stops renewing it (the keys are deleted, or about to be).
  void StopHolding();
  LockSet(RedisClient* client, std::shared_ptr<HeldLocks> held,
          std::shared_ptr<LockRenewer> renewer, std::shared_ptr<LockWakeups> wakeups,
          absl::Duration ttl);

  RedisClient* const client_;
  const std::shared_ptr<HeldLocks> held_;
  const std::shared_ptr<LockRenewer> renewer_;  // null when not renewing
  const std::shared_ptr<LockWakeups> wakeups_;
  const absl::Duration ttl_;
  bool released_ = false;
};

// Acquires lock sets; one per process is enough. Thread-safe. `client` must outlive it and every
// LockSet it hands out.
class CalendarLocks {
 public:
  explicit CalendarLocks(RedisClient* client, LockOptions options = {});

  // Takes every key of `keys` (any order, duplicates allowed; all with one hash tag) or none: the
  // keys are sorted and set with SET NX PX in that order by one script, so a holder never waits
  // while holding part of a set. While some key is taken, retries with jittered backoff until
  // `wait_deadline` (leave room in the RPC deadline for the work done under the locks), then
  // fails with ABORTED "calendar busy: <key>". UNAVAILABLE/DEADLINE_EXCEEDED when Redis fails.
  absl::StatusOr<std::unique_ptr<LockSet>> Acquire(std::vector<std::string> keys,
                                                   absl::Time wait_deadline);

  // Acquire, with `reads` sent in the same round trip as each attempt, right after the lock
  // script: the replies of the attempt that took the locks go to `read_replies`. Redis runs them
  // after the locks are set, so they see everything written under earlier holders, as reads made
  // after Acquire would, one round trip sooner. Read-only commands on keys of the locks' hash tag.
  // With `found_busy` (the caller's TryAcquireThenRead found a key taken just before), waits
  // before the first attempt rather than after it.
  absl::StatusOr<std::unique_ptr<LockSet>> AcquireThenRead(std::vector<std::string> keys,
                                                           absl::Time wait_deadline,
                                                           const std::vector<RedisCommand>& reads,
                                                           std::vector<RedisReply>* read_replies,
                                                           bool found_busy = false);

  // One attempt of AcquireThenRead, for a caller that can go on without the locks: the set, or
  // null when some key was taken (nothing is then held). `reads` run either way; their replies go
  // to `read_replies` whenever the round trip succeeded.
  absl::StatusOr<std::unique_ptr<LockSet>> TryAcquireThenRead(
      std::vector<std::string> keys, const std::vector<RedisCommand>& reads,
      std::vector<RedisReply>* read_replies, absl::Time deadline);

  // Callers of this process waiting for `key` (found it busy, not yet done): for tests.
  int WaitingFor(const std::string& key) const { return wakeups_->WaitingFor(key); }

 private:
  // Checks, sorts and dedupes `keys` and draws the set's token.
  absl::StatusOr<std::string> PrepareKeys(std::vector<std::string>& keys) const;
  // The lock script's arguments for `token`.
  std::vector<std::string> ScriptArgs(const std::string& token) const;
  std::unique_ptr<LockSet> NewSet(std::vector<std::string> keys, std::string token,
                                  absl::Time attempt) const;

  RedisClient* const client_;
  const LockOptions options_;
  const std::shared_ptr<LockRenewer> renewer_;
  const std::shared_ptr<LockWakeups> wakeups_ = std::make_shared<LockWakeups>();
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_CALENDAR_LOCK_H_
