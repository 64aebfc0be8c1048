// How each attendance action changes one record, pure: RSVP, leave request and decision,
// check-in, check-out, finalization and correction, each with its time and state rules. The
// handlers check field syntax and roles first; these functions check what depends on the record,
// the event and the clock. No I/O.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_RECORD_CHANGES_H_
#define FIELDWORK_SERVICES_ATTENDANCE_RECORD_CHANGES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"
#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "services/attendance/attendance_rules.h"

namespace fieldwork::attendance {

// Who acts, and when.
struct Action {
  std::string subject;  // recorded as responded_by, requested_by, recorded_by, …
  bool by_member = false;
  absl::Time now;
};

// RSVP until the event starts (ERROR_REASON_EVENT_STARTED after).
absl::Status ApplyRespond(const EventFacts& event, const Action& action, v1::RsvpResponse response,
                          absl::string_view comment, v1::AttendanceRecord& record);

// A leave request: members before the start only; an APPROVED request stays
// (ERROR_REASON_LEAVE_NOT_PENDING); `approve` (staff) records it approved at once.
absl::Status ApplyLeaveRequest(const EventFacts& event, const Action& action,
                               absl::string_view reason, bool approve,
                               v1::AttendanceRecord& record);

// Approves or rejects a PENDING request (else ERROR_REASON_LEAVE_NOT_PENDING).
absl::Status ApplyLeaveDecision(const Action& action, v1::LeaveDecision decision,
                                absl::string_view comment, v1::AttendanceRecord& record);

struct CheckInResult {
  bool already_checked_in = false;
  bool late = false;
};
// Records a check-in at `time` (inside the window) unless one exists, which is kept.
absl::StatusOr<CheckInResult> ApplyCheckIn(const EventFacts& event, const Action& action,
                                           absl::Time time, v1::CheckInMethod method,
                                           v1::AttendanceRecord& record);

// Records a check-out at `time`, after the check-in (none: ERROR_REASON_NOT_CHECKED_IN) and
// before check-out closes; replaces an earlier one. Returns whether it is early.
absl::StatusOr<bool> ApplyCheckOut(const EventFacts& event, const Action& action, absl::Time time,
                                   v1::CheckInMethod method, v1::AttendanceRecord& record);

// Fixes the outcome (OutcomeOf) and marks the record finalized by `action.subject`.
void ApplyFinalization(const EventFacts& event, const Action& action, v1::AttendanceRecord& record);

// Changes a finalized outcome (else ERROR_REASON_NOT_FINALIZED) and appends the correction.
absl::Status ApplyCorrection(const Action& action, fieldwork::common::v1::AttendanceOutcome outcome,
                             absl::string_view reason, v1::AttendanceRecord& record);

// FAILED_PRECONDITION (ERROR_REASON_ALREADY_FINALIZED) naming `event_name`.
absl::Status AlreadyFinalizedError(absl::string_view event_name);

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_RECORD_CHANGES_H_
