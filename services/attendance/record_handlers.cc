// AttendanceService handlers of RSVPs, leave requests and decisions, and outcome corrections.
#include "common/api/field_checks.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/attendance/attendance_service.h"

namespace fieldwork::attendance {
namespace {

constexpr size_t kMaxCommentChars = 200;
constexpr size_t kMaxReasonChars = 500;

// Which of the request's role rules apply beyond the permission table: RSVPs, leave and check-in
// need the member to take part.
absl::Status TakesPart(const EventFacts& event, absl::string_view member) {
  FIELDWORK_RETURN_IF_ERROR(CheckRecordable(event));
  return RoleOf(event, member).status();
}

}  // namespace

grpc::Status AttendanceServiceImpl::Respond(grpc::ServerContextBase* context,
                                            const v1::RespondRequest* request,
                                            v1::AttendanceRecord* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const RecordCall call, BeginRecordCall(context, request->name(), [&](const Principal&) {
          FieldErrors errors;
          if (request->response() != v1::RSVP_RESPONSE_ACCEPTED &&
              request->response() != v1::RSVP_RESPONSE_DECLINED) {
            errors.Add("response", "must be RSVP_RESPONSE_ACCEPTED or RSVP_RESPONSE_DECLINED");
          }
          CheckText("comment", request->comment(), 0, kMaxCommentChars, errors);
          CheckRequestId(request->request_id(), errors);
          return errors.ToStatus();
        }));
    FIELDWORK_RETURN_IF_ERROR(TakesPart(*call.event, call.name.member));
    const Action action = ActionOf(call.caller);
    return ChangeRecord<v1::AttendanceRecord>(
        call, *request, "Respond", false, *response,
        [&](v1::AttendanceRecord& record, v1::AttendanceRecord& answer) {
          FIELDWORK_RETURN_IF_ERROR(
              ApplyRespond(*call.event, action, request->response(), request->comment(), record));
          answer = record;
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::RequestLeave(grpc::ServerContextBase* context,
                                                 const v1::RequestLeaveRequest* request,
                                                 v1::AttendanceRecord* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const RecordCall call,
                               BeginRecordCall(context, request->name(), [&](const Principal&) {
                                 FieldErrors errors;
                                 CheckText("reason", request->reason(), 1, kMaxReasonChars, errors);
                                 CheckRequestId(request->request_id(), errors);
                                 return errors.ToStatus();
                               }));
    const Action action = ActionOf(call.caller);
    if (action.by_member && request->approve()) {
      return absl::PermissionDeniedError("only staff may record a leave as approved");
    }
    FIELDWORK_RETURN_IF_ERROR(TakesPart(*call.event, call.name.member));
    return ChangeRecord<v1::AttendanceRecord>(
        call, *request, "RequestLeave", false, *response,
        [&](v1::AttendanceRecord& record, v1::AttendanceRecord& answer) {
          FIELDWORK_RETURN_IF_ERROR(ApplyLeaveRequest(*call.event, action, request->reason(),
                                                      request->approve(), record));
          answer = record;
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::DecideLeave(grpc::ServerContextBase* context,
                                                const v1::DecideLeaveRequest* request,
                                                v1::AttendanceRecord* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const RecordCall call, BeginRecordCall(context, request->name(), [&](const Principal&) {
          FieldErrors errors;
          const bool reject = request->decision() == v1::LEAVE_DECISION_REJECT;
          if (!reject && request->decision() != v1::LEAVE_DECISION_APPROVE) {
            errors.Add("decision", "must be LEAVE_DECISION_APPROVE or LEAVE_DECISION_REJECT");
          }
          CheckText("comment", request->comment(), reject ? 1 : 0, kMaxReasonChars, errors);
          CheckRequestId(request->request_id(), errors);
          return errors.ToStatus();
        }));
    FIELDWORK_RETURN_IF_ERROR(TakesPart(*call.event, call.name.member));
    const Action action = ActionOf(call.caller);
    return ChangeRecord<v1::AttendanceRecord>(
        call, *request, "DecideLeave", false, *response,
        [&](v1::AttendanceRecord& record, v1::AttendanceRecord& answer) {
          FIELDWORK_RETURN_IF_ERROR(
              ApplyLeaveDecision(action, request->decision(), request->comment(), record));
          answer = record;
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::CorrectOutcome(grpc::ServerContextBase* context,
                                                   const v1::CorrectOutcomeRequest* request,
                                                   v1::AttendanceRecord* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const RecordCall call, BeginRecordCall(context, request->name(), [&](const Principal&) {
          FieldErrors errors;
          if (request->outcome() == common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED ||
              !common::v1::AttendanceOutcome_IsValid(request->outcome())) {
            errors.Add("outcome",
                       "must be one of the ATTENDANCE_OUTCOME_ values other than UNSPECIFIED");
          }
          CheckText("reason", request->reason(), 1, kMaxReasonChars, errors);
          CheckRequestId(request->request_id(), errors);
          return errors.ToStatus();
        }));
    FIELDWORK_RETURN_IF_ERROR(RoleOf(*call.event, call.name.member).status());
    const Action action = ActionOf(call.caller);
    return ChangeRecord<v1::AttendanceRecord>(
        call, *request, "CorrectOutcome", true, *response,
        [&](v1::AttendanceRecord& record, v1::AttendanceRecord& answer) {
          FIELDWORK_RETURN_IF_ERROR(
              ApplyCorrection(action, request->outcome(), request->reason(), record));
          answer = record;
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

}  // namespace fieldwork::attendance
