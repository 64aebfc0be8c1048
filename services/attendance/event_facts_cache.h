// A short-lived per-replica cache of the event facts attendance reads from scheduling, for hot
// events (a sign-in desk checking in 300 members in a few minutes asks for the same event 300
// times). Off by default (--event-cache-ttl 0): then every call reads scheduling. With a TTL, a
// call may act on facts up to that old — e.g. a check-in accepted within the TTL after the event
// was cancelled elsewhere (finalization and reports still see the cancellation). Facts are kept as
// a staff member sees them; MemberView applies scheduling's visibility rules for a member caller,
// so a member never learns more from the cache than scheduling would tell it.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_
#define FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
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

 private:
  struct Entry {
    absl::Time fetched;
    std::shared_ptr<const EventFacts> facts;
  };
  const absl::Duration ttl_;
  const size_t max_entries_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

// What scheduling would answer `caller` for an event with `facts`: NOT_FOUND for a member that does
// not take part in it or when it is a draft; OK otherwise.
absl::Status MemberView(const Principal& caller, const EventFacts& facts);

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_EVENT_FACTS_CACHE_H_
