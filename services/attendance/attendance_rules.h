// The attendance rules of one event, pure: what attendance knows of the event (from scheduling),
// the organization's check-in settings with their defaults, the check-in window, late and
// left-early, and the final outcome of a record. No I/O.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_RULES_H_
#define FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_RULES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"
#include "fieldwork/common/v1/attendance_outcome.pb.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"

namespace fieldwork::attendance {

// An organization's AttendanceSettings with unset values replaced by the documented defaults.
struct CheckInRules {
  absl::Duration opens_before = absl::Minutes(60);
  absl::Duration grace = absl::Minutes(10);
  absl::Duration check_out_closes_after = absl::Minutes(60);
  absl::Duration auto_finalize_after = absl::Hours(24);
  bool auto_finalize = true;
};

CheckInRules RulesFrom(const fieldwork::scheduling::v1::AttendanceSettings& settings);

// One event as attendance sees it.
struct EventFacts {
  std::string organization;  // id
  std::string event_id;
  std::string event_name;  // organizations/{organization}/events/{event}
  fieldwork::scheduling::v1::EventState state = fieldwork::scheduling::v1::EVENT_STATE_UNSPECIFIED;
  Interval time;
  // Resolved participants by member id, and their ids in name order.
  absl::flat_hash_map<std::string, fieldwork::scheduling::v1::ParticipantRole> roles;
  std::vector<std::string> members;
  CheckInRules rules;
};

// The facts of `event` under the rules of `organization`. DATA_LOSS when scheduling answered an
// event without a valid name or time range.
absl::StatusOr<EventFacts> FactsFrom(const fieldwork::scheduling::v1::Event& event,
                                     const fieldwork::scheduling::v1::Organization& organization);

// OK for SCHEDULED and COMPLETED events; FAILED_PRECONDITION with ERROR_REASON_EVENT_CANCELLED
// for cancelled ones and ERROR_REASON_INVALID_STATE for drafts.
absl::Status CheckRecordable(const EventFacts& event);

// The member's role; FAILED_PRECONDITION (ERROR_REASON_NOT_A_PARTICIPANT) when it has none.
absl::StatusOr<fieldwork::scheduling::v1::ParticipantRole> RoleOf(const EventFacts& event,
                                                                  absl::string_view member_id);

// [start − opens_before, end): when check-in is open.
Interval CheckInWindow(const EventFacts& event);
// Last moment (exclusive) a check-out may be recorded: end + check_out_closes_after.
absl::Time CheckOutCloses(const EventFacts& event);
// Check-in strictly after start + grace.
bool IsLate(const EventFacts& event, absl::Time check_in);
// Check-out strictly before end − grace.
bool IsLeftEarly(const EventFacts& event, absl::Time check_out);

// FAILED_PRECONDITION (ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW) when `time` is outside the window.
absl::Status CheckInWindowContains(const EventFacts& event, absl::Time time);
// FAILED_PRECONDITION (ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW) unless check_in ≤ time < closes.
absl::Status CheckOutAllowed(const EventFacts& event, absl::Time check_in, absl::Time time);

// The outcome FinalizeEvent fixes: checked in → LATE (late check-in), LEFT_EARLY (early
// check-out) or PRESENT; else approved leave → EXCUSED; else LEAD/REQUIRED → ABSENT and
// OPTIONAL → NOT_ATTENDED.
fieldwork::common::v1::AttendanceOutcome OutcomeOf(
    const fieldwork::attendance::v1::AttendanceRecord& record, const EventFacts& event);

// The record a participant has before anything was recorded.
fieldwork::attendance::v1::AttendanceRecord EmptyRecord(const EventFacts& event,
                                                        absl::string_view member_id);

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_RULES_H_
