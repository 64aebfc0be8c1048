// What the RosterService handlers (member_handlers.cc, unit_handlers.cc, venue_handlers.cc,
// member_import_handler.cc) share: method names for request records, the parent and force
// checks, change-feed entries, the deadline of lock waits, and the refusal of a delete while
// future bookings use the resource.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_HANDLER_SUPPORT_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_HANDLER_SUPPORT_H_

#include <google/protobuf/timestamp.pb.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "common/redis/redis_status.h"
#include "fieldwork/common/v1/error.pb.h"
#include "fieldwork/scheduling/v1/change.pb.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_store.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

// "fieldwork.scheduling.v1.RosterService/<name>", the method of a request record.
std::string RosterMethod(absl::string_view name);

// The organization id of `parent`, INVALID_ARGUMENT on field "parent" when malformed.
absl::StatusOr<std::string> ParseParent(absl::string_view parent);

// PERMISSION_DENIED unless `caller` may force a delete (admin, org-admin).
absl::Status CheckMayForce(const Principal& caller);

// The change-feed entry of `type` on `resource` by `caller` at `time`; set the snapshot after.
v1::Change RosterChange(v1::ChangeType type, absl::string_view resource, const Principal& caller,
                        const google::protobuf::Timestamp& time);

// Units by id, as roster_rules.h wants them.
UnitsById UnitRecords(const absl::flat_hash_map<std::string, Stored<v1::Unit>>& stored);

// The wait bound for calendar locks within the RPC's deadline.
absl::Time LockWaitDeadline(const SchedulingDeps& deps, absl::Time deadline);

// The calendar window a delete looks at: from now to after the last allowed instant.
Interval FutureWindow(absl::Time now);

// The entries of events and holds among `entries` that have not ended by `now` (a member's own
// busy blocks do not hold a delete back).
std::vector<CalendarEntry> FutureBookings(const std::vector<CalendarEntry>& entries,
                                          absl::Time now);

// One Conflicts entry: `calendar` (the member, unit or venue being deleted) is used by `booked_by`
// during [start, end).
void AddUse(absl::string_view calendar, absl::string_view booked_by, absl::Time start,
            absl::Time end, absl::string_view reason, fieldwork::common::v1::Conflicts& uses);

// FAILED_PRECONDITION (ERROR_REASON_HAS_FUTURE_EVENTS) refusing to delete `name` because of `uses`.
absl::Status HasFutureEvents(absl::string_view name, const fieldwork::common::v1::Conflicts& uses);

// Runs `attempt` again (up to a few times) while it fails because a record it read changed before
// its write applied; a lost race with an identical request is left to RunOnce.
template <typename Response>
absl::StatusOr<Response> RetryOnChange(const RequestRecord& record,
                                       const std::function<absl::StatusOr<Response>()>& attempt) {
  constexpr int kAttempts = 5;
  absl::StatusOr<Response> result = attempt();
  for (int i = 1;
       i < kAttempts && IsPreconditionFailed(result.status()) && !record.LostRace(result.status());
       ++i) {
    result = attempt();
  }
  return result;
}

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_HANDLER_SUPPORT_H_
