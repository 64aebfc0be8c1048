// Shared pieces of the RosterService handlers (see roster_handler_support.h).
#include "services/scheduling/roster_handler_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"

namespace fieldwork::scheduling {

std::string RosterMethod(absl::string_view name) {
  return absl::StrCat(v1::RosterService::service_full_name(), "/", name);
}

absl::StatusOr<std::string> ParseParent(absl::string_view parent) {
  return NameField("parent", ParseOrganizationName(parent));
}

absl::Status CheckMayForce(const Principal& caller) {
  if (caller.role == Role::kAdmin || caller.role == Role::kOrgAdmin) return absl::OkStatus();
  return absl::PermissionDeniedError("only admin and org-admin may force a delete");
}

v1::Change RosterChange(v1::ChangeType type, absl::string_view resource, const Principal& caller,
                        const google::protobuf::Timestamp& time) {
  v1::Change change;
  change.set_change_type(type);
  change.set_resource(std::string(resource));
  *change.mutable_change_time() = time;
  change.set_actor(caller.subject);
  return change;
}

UnitsById UnitRecords(const absl::flat_hash_map<std::string, Stored<v1::Unit>>& stored) {
  UnitsById units;
  for (const auto& [id, unit] : stored) units.emplace(id, unit.record);
  return units;
}

absl::Time LockWaitDeadline(const SchedulingDeps& deps, absl::Time deadline) {
  return std::min(deadline, absl::Now() + deps.lock_wait);
}

Interval FutureWindow(absl::Time now) {
  return Interval{now, absl::FromCivil(absl::CivilDay(2101, 1, 1), absl::UTCTimeZone())};
}

std::vector<CalendarEntry> FutureBookings(const std::vector<CalendarEntry>& entries,
                                          absl::Time now) {
  std::vector<CalendarEntry> bookings;
  for (const CalendarEntry& entry : entries) {
    const bool event_or_hold =
        ParseEventName(entry.booked_by).ok() || ParseHoldName(entry.booked_by).ok();
    if (event_or_hold && entry.interval.end > now && entry.live(now)) bookings.push_back(entry);
  }
  return bookings;
}

void AddUse(absl::string_view calendar, absl::string_view booked_by, absl::Time start,
            absl::Time end, absl::string_view reason, fieldwork::common::v1::Conflicts& uses) {
  fieldwork::common::v1::Conflicts::Conflict* use = uses.add_conflicts();
  use->set_calendar(std::string(calendar));
  use->set_booked_by(std::string(booked_by));
  *use->mutable_start_time() = ToTimestamp(start);
  *use->mutable_end_time() = ToTimestamp(end);
  use->set_reason(std::string(reason));
}

absl::Status HasFutureEvents(absl::string_view name, const fieldwork::common::v1::Conflicts& uses) {
  return WithReason(
      ConflictError(absl::StrCat(name, " is used by ", uses.conflicts_size(),
                                 " future event(s) or hold(s); remove it from them first, or "
                                 "force the delete (org-admin)"),
                    uses),
      fieldwork::common::v1::ERROR_REASON_HAS_FUTURE_EVENTS);
}

}  // namespace fieldwork::scheduling
