// Acquiring, fencing and releasing calendar locks, with their wait and failure metrics.
#include "common/redis/calendar_lock.h"

#include <openssl/rand.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/hash_tag.h"
#include "common/redis/redis_status.h"
#include "common/redis/script.h"
#include "spdlog/spdlog.h"

namespace fieldwork {
namespace {

// All or nothing: if any key is taken, nothing is set and the first taken key is named.
const Script& AcquireScript() {
  static const Script* const script = new Script("lock_acquire", R"lua(#!lua
-- KEYS: lock keys in sorted order. ARGV: token, ttl in milliseconds.
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    return redis.error_reply('FW_BUSY ' .. KEYS[i])
  end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2])
end
return #KEYS
)lua");
  return *script;
}

// Deletes only the keys that still hold this token; returns how many it deleted.
const Script& ReleaseScript() {
  static const Script* const script = new Script("lock_release", R"lua(#!lua
-- KEYS: lock keys. ARGV: token.
local released = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  end
end
return released
)lua");
  return *script;
}

absl::StatusOr<std::string> RandomToken() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("cannot draw a random lock token");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

std::string LockKey(absl::string_view organization, absl::string_view kind, absl::string_view id) {
  return absl::StrCat("fw:{", organization, "}:lock:", kind, ":", id);
}

absl::Status ReleaseKeys(RedisClient& client, const std::vector<std::string>& keys,
                         const std::string& token, absl::Time deadline) {
  return client.Eval(ReleaseScript(), keys, {token}, deadline).status();
}

void ObserveWait(absl::Time start, absl::string_view outcome) {
  Metrics::Global().ObserveSeconds(
      "fieldwork_lock_wait_seconds", "Time spent acquiring calendar locks, by outcome.",
      {{"outcome", std::string(outcome)}}, absl::ToDoubleSeconds(absl::Now() - start));
  if (outcome != "acquired") {
    Metrics::Global().Increment("fieldwork_lock_acquire_failures_total",
                                "Calendar lock acquisitions that failed, by reason.",
                                {{"reason", std::string(outcome)}});
  }
}

}  // namespace

std::string MemberLockKey(absl::string_view organization, absl::string_view member_id) {
  return LockKey(organization, "member", member_id);
}

std::string VenueLockKey(absl::string_view organization, absl::string_view venue_id) {
  return LockKey(organization, "venue", venue_id);
}

LockSet::LockSet(RedisClient* client, std::shared_ptr<HeldLocks> held,
                 std::shared_ptr<LockRenewer> renewer, std::shared_ptr<LockWakeups> wakeups,
                 absl::Duration ttl)
    : client_(client),
      held_(std::move(held)),
      renewer_(std::move(renewer)),
      wakeups_(std::move(wakeups)),
      ttl_(ttl) {
  if (renewer_ != nullptr) renewer_->Add(held_);
}

LockSet::~LockSet() {
  if (released_) return;
  const absl::Status released = Release(absl::Now() + std::min(ttl_, absl::Seconds(1)));
  if (!released.ok()) {
    spdlog::warn("calendar locks not released (they expire by TTL): {}", released.ToString());
  }
}

absl::StatusOr<std::vector<RedisReply>> LockSet::FencedWrite(const AtomicWrite& write,
                                                             absl::Time deadline) {
  if (released_) return absl::FailedPreconditionError("fenced write through released locks");
  if (absl::Status lost = held_->lost_status(); !lost.ok()) return lost;
  const LockFence fence{held_->keys(), held_->token()};
  absl::StatusOr<std::vector<RedisReply>> written =
      ApplyAtomicWrite(*client_, write, deadline, &fence);
  if (IsLockLost(written.status())) held_->MarkLost(written.status(), "fenced_write");
  return written;
}

void LockSet::StopHolding() {
  released_ = true;
  held_->MarkReleased();
  if (renewer_ != nullptr) renewer_->Remove(held_.get());
}

absl::StatusOr<std::vector<RedisReply>> LockSet::FencedWriteAndRelease(AtomicWrite write,
                                                                       absl::Time deadline) {
  const size_t op_count = write.ops.size();
  // The fence has just checked every key holds this set's token, so deleting them is the
  // compare-and-delete of Release.
  write.ops.reserve(op_count + held_->keys().size());
  for (const std::string& key : held_->keys()) write.Add(WriteOp::Del(key));
  absl::StatusOr<std::vector<RedisReply>> written = FencedWrite(write, deadline);
  if (!written.ok()) return written;
  StopHolding();
  wakeups_->Released(held_->keys());
  written->resize(op_count);
  return written;
}

absl::Status LockSet::Release(absl::Time deadline) {
  if (released_) return absl::OkStatus();
  StopHolding();
  absl::Status released = ReleaseKeys(*client_, held_->keys(), held_->token(), deadline);
  wakeups_->Released(held_->keys());
  return released;
}

CalendarLocks::CalendarLocks(RedisClient* client, LockOptions options)
    : client_(client),
      options_(options),
      renewer_(options.renew ? std::make_shared<LockRenewer>(client, options.ttl) : nullptr) {}

absl::StatusOr<std::unique_ptr<LockSet>> CalendarLocks::Acquire(std::vector<std::string> keys,
                                                                absl::Time wait_deadline) {
  return AcquireThenRead(std::move(keys), wait_deadline, {}, nullptr);
}

absl::StatusOr<std::string> CalendarLocks::PrepareKeys(std::vector<std::string>& keys) const {
  if (keys.empty()) return absl::InvalidArgumentError("no lock keys to acquire");
  if (options_.ttl < absl::Milliseconds(30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("lock TTL must be at least 30ms, got ", absl::FormatDuration(options_.ttl)));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (absl::Status one_tag = CheckOneHashTag(keys); !one_tag.ok()) return one_tag;
  return RandomToken();
}

std::vector<std::string> CalendarLocks::ScriptArgs(const std::string& token) const {
  return {token, absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))};
}

std::unique_ptr<LockSet> CalendarLocks::NewSet(std::vector<std::string> keys, std::string token,
                                               absl::Time attempt) const {
  auto held = std::make_shared<HeldLocks>(std::move(keys), std::move(token), attempt);
  return std::unique_ptr<LockSet>(
      new LockSet(client_, std::move(held), renewer_, wakeups_, options_.ttl));
}

absl::StatusOr<std::unique_ptr<LockSet>> CalendarLocks::TryAcquireThenRead(
    std::vector<std::string> keys, const std::vector<RedisCommand>& reads,
    std::vector<RedisReply>* read_replies, absl::Time deadline) {
  absl::StatusOr<std::string> token = PrepareKeys(keys);
  if (!token.ok()) return token.status();
  const absl::Time attempt = absl::Now();
  if (deadline <= attempt) {
    return absl::DeadlineExceededError("deadline passed before acquiring locks");
  }
  absl::StatusOr<RedisReply> taken =
      client_->EvalThen(AcquireScript(), keys, ScriptArgs(*token), reads, read_replies, deadline);
  if (taken.ok()) {
    ObserveWait(attempt, "acquired");
    return NewSet(std::move(keys), *std::move(token), attempt);
  }
  if (IsCalendarBusy(taken.status())) return nullptr;
  // As in AcquireThenRead: the script may have run before the reply was lost.
  ReleaseKeys(*client_, keys, *token, deadline).IgnoreError();
  ObserveWait(attempt, "error");
  return taken.status();
}

absl::StatusOr<std::unique_ptr<LockSet>> CalendarLocks::AcquireThenRead(
    std::vector<std::string> keys, absl::Time wait_deadline, const std::vector<RedisCommand>& reads,
    std::vector<RedisReply>* read_replies, bool found_busy) {
  absl::StatusOr<std::string> token = PrepareKeys(keys);
  if (!token.ok()) return token.status();
  const std::vector<std::string> args = ScriptArgs(*token);
  const absl::Time start = absl::Now();
  if (wait_deadline <= start) {
    return absl::DeadlineExceededError("lock wait deadline passed before acquiring");
  }
  absl::Duration backoff = options_.min_backoff;
  absl::BitGen random;
  absl::Status busy;
  // Queued for the keys from the first busy try on, so a release here wakes this waiter early.
  std::optional<LockWakeups::Waiter> waiter;
  const auto wait = [&] {
    if (!waiter.has_value()) waiter.emplace(*wakeups_, keys);
    const absl::Duration pause = absl::Microseconds(absl::Uniform<int64_t>(
        random, absl::ToInt64Microseconds(backoff / 2), absl::ToInt64Microseconds(backoff) + 1));
    waiter->Sleep(std::min(absl::Now() + pause, wait_deadline));
    backoff = std::min(backoff * 2, options_.max_backoff);
  };
  if (found_busy) wait();  // at least one attempt follows, however long the wait
  do {
    const absl::Time attempt = absl::Now();
    absl::StatusOr<RedisReply> taken =
        client_->EvalThen(AcquireScript(), keys, args, reads, read_replies, wait_deadline);
    if (taken.ok()) {
      ObserveWait(start, "acquired");
      return NewSet(std::move(keys), *std::move(token), attempt);
    }
    if (!IsCalendarBusy(taken.status())) {
      // The script may have run before the reply was lost: give back what this token may hold
      // if time is left, else the keys expire by TTL.
      ReleaseKeys(*client_, keys, *token, wait_deadline).IgnoreError();
      // Running out of time while the keys were taken is still "busy".
      if (!busy.ok() && absl::IsDeadlineExceeded(taken.status())) break;
      ObserveWait(start, "error");
      return taken.status();
    }
    busy = taken.status();
    wait();
  } while (absl::Now() < wait_deadline);
  ObserveWait(start, "busy");
  return busy;
}

}  // namespace fieldwork
