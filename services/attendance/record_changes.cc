// How each attendance action changes one record (see record_changes.h).
#include "services/attendance/record_changes.h"

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"

namespace fieldwork::attendance {
namespace {

using ::fieldwork::common::v1::AttendanceOutcome;

absl::Status Refused(absl::string_view message, common::v1::ErrorReason reason) {
  return WithReason(absl::FailedPreconditionError(message), reason);
}

void Touch(const Action& action, v1::AttendanceRecord& record) {
  *record.mutable_update_time() = ToTimestamp(action.now);
}

void Presence(const Action& action, absl::Time time, v1::CheckInMethod method,
              v1::PresenceRecord& presence) {
  *presence.mutable_time() = ToTimestamp(time);
  presence.set_recorded_by(action.subject);
  presence.set_method(method);
  *presence.mutable_record_time() = ToTimestamp(action.now);
}

}  // namespace

absl::Status AlreadyFinalizedError(absl::string_view event_name) {
  return Refused(absl::StrCat("attendance of ", event_name,
                              " is finalized; staff change outcomes with CorrectOutcome"),
                 common::v1::ERROR_REASON_ALREADY_FINALIZED);
}

absl::Status ApplyRespond(const EventFacts& event, const Action& action, v1::RsvpResponse response,
                          absl::string_view comment, v1::AttendanceRecord& record) {
  if (action.now >= event.time.start) {
    return Refused(absl::StrCat(event.event_name, " has started; RSVPs are closed"),
                   common::v1::ERROR_REASON_EVENT_STARTED);
  }
  v1::Rsvp& rsvp = *record.mutable_rsvp();
  rsvp.set_response(response);
  rsvp.set_comment(std::string(comment));
  *rsvp.mutable_respond_time() = ToTimestamp(action.now);
  rsvp.set_responded_by(action.subject);
  Touch(action, record);
  return absl::OkStatus();
}

absl::Status ApplyLeaveRequest(const EventFacts& event, const Action& action,
                               absl::string_view reason, bool approve,
                               v1::AttendanceRecord& record) {
  if (action.by_member && action.now >= event.time.start) {
    return Refused(absl::StrCat(event.event_name,
                                " has started; ask the committee office to record your leave"),
                   common::v1::ERROR_REASON_EVENT_STARTED);
  }
  if (record.has_leave() && record.leave().state() == v1::LEAVE_STATE_APPROVED) {
    return Refused("the leave request is already approved",
                   common::v1::ERROR_REASON_LEAVE_NOT_PENDING);
  }
  v1::LeaveRequest& leave = *record.mutable_leave();
  leave.Clear();
  leave.set_reason(std::string(reason));
  *leave.mutable_request_time() = ToTimestamp(action.now);
  leave.set_requested_by(action.subject);
  leave.set_state(v1::LEAVE_STATE_PENDING);
  if (approve) {
    leave.set_state(v1::LEAVE_STATE_APPROVED);
    *leave.mutable_decide_time() = ToTimestamp(action.now);
    leave.set_decided_by(action.subject);
  }
  Touch(action, record);
  return absl::OkStatus();
}

absl::Status ApplyLeaveDecision(const Action& action, v1::LeaveDecision decision,
                                absl::string_view comment, v1::AttendanceRecord& record) {
  if (!record.has_leave() || record.leave().state() != v1::LEAVE_STATE_PENDING) {
    return Refused(record.has_leave() ? "the leave request was already decided"
                                      : "the member has not asked for leave",
                   common::v1::ERROR_REASON_LEAVE_NOT_PENDING);
  }
  v1::LeaveRequest& leave = *record.mutable_leave();
  leave.set_state(decision == v1::LEAVE_DECISION_APPROVE ? v1::LEAVE_STATE_APPROVED
                                                         : v1::LEAVE_STATE_REJECTED);
  *leave.mutable_decide_time() = ToTimestamp(action.now);
  leave.set_decided_by(action.subject);
  leave.set_decision_comment(std::string(comment));
  Touch(action, record);
  return absl::OkStatus();
}

absl::StatusOr<CheckInResult> ApplyCheckIn(const EventFacts& event, const Action& action,
                                           absl::Time time, v1::CheckInMethod method,
                                           v1::AttendanceRecord& record) {
  if (record.has_check_in()) {
    return CheckInResult{true, IsLate(event, ToTime(record.check_in().time()))};
  }
  if (absl::Status open = CheckInWindowContains(event, time); !open.ok()) return open;
  Presence(action, time, method, *record.mutable_check_in());
  Touch(action, record);
  return CheckInResult{false, IsLate(event, time)};
}

absl::StatusOr<bool> ApplyCheckOut(const EventFacts& event, const Action& action, absl::Time time,
                                   v1::CheckInMethod method, v1::AttendanceRecord& record) {
  if (!record.has_check_in()) {
    return Refused("the member has not checked in", common::v1::ERROR_REASON_NOT_CHECKED_IN);
  }
  const absl::Time check_in = ToTime(record.check_in().time());
  if (absl::Status allowed = CheckOutAllowed(event, check_in, time); !allowed.ok()) return allowed;
  Presence(action, time, method, *record.mutable_check_out());
  Touch(action, record);
  return IsLeftEarly(event, time);
}

void ApplyFinalization(const EventFacts& event, const Action& action,
                       v1::AttendanceRecord& record) {
  record.set_outcome(OutcomeOf(record, event));
  record.set_finalized(true);
  *record.mutable_finalize_time() = ToTimestamp(action.now);
  record.set_finalized_by(action.subject);
  Touch(action, record);
}

absl::Status ApplyCorrection(const Action& action, AttendanceOutcome outcome,
                             absl::string_view reason, v1::AttendanceRecord& record) {
  if (!record.finalized()) {
    return Refused("the event's attendance is not finalized yet; finalize it first",
                   common::v1::ERROR_REASON_NOT_FINALIZED);
  }
  v1::OutcomeCorrection& correction = *record.add_corrections();
  *correction.mutable_correct_time() = ToTimestamp(action.now);
  correction.set_corrected_by(action.subject);
  correction.set_previous_outcome(record.outcome());
  correction.set_new_outcome(outcome);
  correction.set_reason(std::string(reason));
  record.set_outcome(outcome);
  Touch(action, record);
  return absl::OkStatus();
}

}  // namespace fieldwork::attendance
