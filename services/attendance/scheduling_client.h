// Attendance's view of the scheduling service: the event with its resolved participants and the
// organization's check-in rules, read over gRPC (attendance never reads scheduling's keys). Calls
// carry this service's token and, for a caller's request, the caller's identity, so scheduling
// applies the caller's visibility (a member sees only events it takes part in; another tenant's
// event is NOT_FOUND). Scheduling not answering within the deadline → UNAVAILABLE with
// ERROR_REASON_PEER_UNAVAILABLE.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_SCHEDULING_CLIENT_H_
#define FIELDWORK_SERVICES_ATTENDANCE_SCHEDULING_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/principal.h"
#include "common/service_token.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/attendance/attendance_rules.h"
#include "services/attendance/event_facts_cache.h"

namespace fieldwork::attendance {

class SchedulingClient {
 public:
  // `token` outlives the client; each call takes at most `call_timeout` (capped by the deadline).
  // Event facts are cached for `event_cache_ttl` (see event_facts_cache.h; zero: not cached).
  SchedulingClient(std::shared_ptr<grpc::Channel> channel, ServiceToken* token,
                   absl::Duration call_timeout,
                   absl::Duration event_cache_ttl = absl::ZeroDuration());

  // The event `event_name` and its organization's rules, as `caller` may see them (from the cache
  // when it holds them). `caller` is nothing for the service's own work (the auto-finalizer),
  // which always reads scheduling. With `only_member` (a member name) and the cache off, the
  // facts hold that member's participation alone (scheduling sends one participant, not the
  // event's hundreds): enough for a call about one record.
  absl::StatusOr<std::shared_ptr<const EventFacts>> GetEventFacts(
      const std::optional<Principal>& caller, absl::string_view event_name, absl::Time deadline,
      absl::string_view only_member = "") const;

  // Waits for the cache refreshes in flight (each ends within the call timeout).
  ~SchedulingClient();

  // GetEventFacts for `caller` through the cache without waiting for anything: `done` gets the
  // cached facts at once, or those of the read of scheduling in flight (started now, through
  // gRPC's callback API, when none is) once it ends, on the thread that ends it. It gets null
  // when that read failed, when the facts are hidden from `caller` or when the cache is off: the
  // caller then asks GetEventFacts, which reads as `caller` and gives its error. An entry due for
  // a refresh (from half to three quarters of its TTL) is read again the same way by the call that
  // finds it so, while everyone goes on using it.
  void EventFactsWithoutWaiting(const Principal& caller, absl::string_view event_name,
                                EventFactsCache::Ready done) const;

  // Every SCHEDULED or COMPLETED event of `organization` overlapping `window`, optionally only
  // those `member` (a member name) takes part in, ordered by start time then name, with the
  // organization's rules.
  absl::StatusOr<std::vector<EventFacts>> ListEventFacts(const std::optional<Principal>& caller,
                                                         absl::string_view organization,
                                                         const Interval& window,
                                                         absl::string_view member,
                                                         absl::Time deadline) const;

  // The ids of every organization (for the auto-finalizer, as the service itself).
  absl::StatusOr<std::vector<std::string>> ListOrganizationIds(absl::Time deadline) const;

 private:
  void Prepare(grpc::ClientContext& context, const std::optional<Principal>& caller,
               absl::Time deadline) const;
  // Reads the event and its organization's rules from scheduling (no cache).
  absl::StatusOr<std::shared_ptr<const EventFacts>> ReadEventFacts(
      const std::optional<Principal>& caller, absl::string_view event_name,
      absl::string_view organization, absl::string_view only_member, absl::Time deadline) const;
  absl::StatusOr<fieldwork::scheduling::v1::Organization> GetOrganization(
      const std::optional<Principal>& caller, absl::string_view organization,
      absl::Time deadline) const;

  struct Refresh;
  // Reads the event and its organization's rules for the cache, without waiting, and reports
  // the outcome to EventFactsCache::FinishRefresh.
  void RefreshAsync(const Principal& caller, absl::string_view event_name) const;

  std::unique_ptr<fieldwork::scheduling::v1::SchedulingService::Stub> stub_;
  ServiceToken* const token_;
  const absl::Duration call_timeout_;
  mutable EventFactsCache cache_;
  mutable absl::Mutex refreshes_mu_;
  mutable int refreshes_ ABSL_GUARDED_BY(refreshes_mu_) = 0;  // RefreshAsync calls in flight
};

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_SCHEDULING_CLIENT_H_
