// A short-lived per-replica cache of the event facts attendance reads from scheduling, for hot
// events (a sign-in desk checking in 300 members in a few minutes asks for the same event 300
// times). Concurrent misses of one event share one read of scheduling (GetOrFetch for callers that
// may wait, Await for those that may not), so an entry expiring under a check-in storm costs one
// read, not one per call in flight. Off with
// --event-cache-ttl 0 (the binary's default; deploy/ sets 1 s): then every call reads scheduling.
// With a TTL, a call may act on facts up to that old — e.g. a check-in accepted within the TTL
// after the event was cancelled elsewhere (finalization and reports still see the cancellation).
// Facts are kept as a staff member sees them; MemberView applies scheduling's visibility rules for
// a member caller, so a member never learns more from the cache than scheduling would tell it.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_
#define FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "services/attendance/attendance_rules.h"

namespace fieldwork::attendance {

class EventFactsCache {
 public:
  // Entries live `ttl`; a zero TTL turns the cache off. At most `max_entries` events are kept
  // (beyond that the cache starts over).
  explicit EventFactsCache(absl::Duration ttl, size_t max_entries = 10000)
      : ttl_(ttl), max_entries_(max_entries) {}

  bool enabled() const { return ttl_ > absl::ZeroDuration(); }

  // The facts of `event_name` fetched less than the TTL before `now`; null when none.
  std::shared_ptr<const EventFacts> Get(absl::string_view event_name, absl::Time now)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Put(std::shared_ptr<const EventFacts> facts, absl::Time now) ABSL_LOCKS_EXCLUDED(mu_);

  // The entry of `event_name` fresh at `now` without waiting; null when there is none. When the
  // entry is due for a refresh (past half its TTL or a little more: RefreshAge) and nobody
  // refreshes it yet, `*refresh` is set: the caller now refreshes it, without waiting (the others
  // go on using the entry meanwhile), and reports the outcome to FinishRefresh.
  std::shared_ptr<const EventFacts> Peek(absl::string_view event_name, absl::Time now,
                                         bool* refresh) ABSL_LOCKS_EXCLUDED(mu_);
  // Gets the facts once read, or null when the read failed.
  using Ready = absl::AnyInvocable<void(std::shared_ptr<const EventFacts>) &&>;
  // For a caller Peek answered nothing and that must not wait: queues `ready` for the read of
  // `event_name` in flight, or, when none is, sets `*fetch`: the caller now reads it, without
  // waiting, and reports it to FinishRefresh. Either way `ready` runs once that read ends, on the
  // thread that reports it.
  void Await(absl::string_view event_name, Ready ready, bool* fetch) ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the refresh Peek or Await handed out: `fetched` (facts read from `started` on) replaces
  // the entry when it was read; callers waiting in GetOrFetch get it.
  void FinishRefresh(absl::string_view event_name,
                     const absl::StatusOr<std::shared_ptr<const EventFacts>>& fetched,
                     absl::Time started) ABSL_LOCKS_EXCLUDED(mu_);

  using Fetch = std::function<absl::StatusOr<std::shared_ptr<const EventFacts>>()>;
  // The cached facts of `event_name`, or those `fetch` reads, cached when it succeeds. While one
  // caller fetches an event, the others missing it wait (until `deadline`) for that result
  // instead of reading scheduling too; when that fetch fails or the wait times out they fetch
  // themselves, so one caller's error (its visibility, its deadline) never becomes another's.
  // Once an entry is due for a refresh (RefreshAge), one caller fetches it again while the others
  // go on using it (a failed refresh answers the entry it had). `now` is read before the fetch
  // starts: an entry's age counts from then.
  absl::StatusOr<std::shared_ptr<const EventFacts>> GetOrFetch(
      absl::string_view event_name, const std::function<absl::Time()>& now, absl::Time deadline,
      const Fetch& fetch) ABSL_LOCKS_EXCLUDED(mu_);

  // Callers waiting for another's fetch of `event_name` (for tests).
  int WaitingFor(absl::string_view event_name) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Entry {
    absl::Time fetched;
    std::shared_ptr<const EventFacts> facts;
  };
  // One fetch in progress; `facts` stays null when it failed.
  struct Flight {
    bool done = false;
    int waiting = 0;
    std::shared_ptr<const EventFacts> facts;
    std::vector<Ready> ready;  // Await's callers
  };
  // The age from which the entry of `event_name` is read again ahead of its expiry: between half
  // and three quarters of the TTL, spread over events by their names.
  absl::Duration RefreshAge(absl::string_view event_name) const;
  // The entry of `event_name` younger than the TTL at `now`; null when none.
  const Entry* FreshLocked(absl::string_view event_name, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PutLocked(std::shared_ptr<const EventFacts> facts, absl::Time fetched)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const absl::Duration ttl_;
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_ ABSL_GUARDED_BY(mu_);
};

// What scheduling would answer `caller` for an event with `facts`: NOT_FOUND for a member that does
// not take part in it or when it is a draft; OK otherwise.
absl::Status MemberView(const Principal& caller, const EventFacts& facts);

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_
