// What every AttendanceService handler shares: the start of a call about one record or one event
// (see attendance_service.h).
#include "services/attendance/attendance_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/status_macros.h"

namespace fieldwork::attendance {

std::string AttendanceMethod(absl::string_view name) {
  return absl::StrCat(v1::AttendanceService::service_full_name(), "/", name);
}

AttendanceServiceImpl::AttendanceServiceImpl(const AttendanceDeps& deps)
    : deps_(deps), store_(deps.redis), updater_(store_), finalizer_(updater_) {
  // Every unary RPC runs on the shared call workers (common/pooled_service.h), except CheckIn,
  // which starts on gRPC's thread when the Redis client allows and moves to a worker only when
  // it has to wait.
  ServeOnWorkers("Respond", &AttendanceServiceImpl::Respond);
  ServeOnWorkers("RequestLeave", &AttendanceServiceImpl::RequestLeave);
  ServeOnWorkers("DecideLeave", &AttendanceServiceImpl::DecideLeave);
  ServeWithoutBlocking("CheckIn", &AttendanceServiceImpl::CheckIn,
                       deps.redis->PipelinesWithoutBlocking());
  ServeOnWorkers("CheckOut", &AttendanceServiceImpl::CheckOut);
  ServeOnWorkers("BatchCheckIn", &AttendanceServiceImpl::BatchCheckIn);
  ServeOnWorkers("IssueCheckInCode", &AttendanceServiceImpl::IssueCheckInCode);
  ServeOnWorkers("FinalizeEvent", &AttendanceServiceImpl::FinalizeEvent);
  ServeOnWorkers("CorrectOutcome", &AttendanceServiceImpl::CorrectOutcome);
  ServeOnWorkers("GetAttendance", &AttendanceServiceImpl::GetAttendance);
  ServeOnWorkers("ListAttendance", &AttendanceServiceImpl::ListAttendance);
}

Action AttendanceServiceImpl::ActionOf(const Principal& caller) const {
  return Action{caller.subject, caller.role == Role::kMember, absl::Now()};
}

absl::StatusOr<AttendanceServiceImpl::RecordCall> AttendanceServiceImpl::CheckRecordCall(
    grpc::ServerContextBase* context, absl::string_view record_name,
    const std::function<absl::Status(const Principal&)>& field_errors) const {
  RecordCall call;
  FIELDWORK_ASSIGN_OR_RETURN(call.name, NameField("name", ParseAttendanceName(record_name)));
  FIELDWORK_ASSIGN_OR_RETURN(call.caller, deps_.authorizer->Authenticate(context));
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authorize(
      context, call.caller,
      AccessTarget::Member(call.name.organization,
                           FormatMemberName(call.name.organization, call.name.member))));
  FIELDWORK_RETURN_IF_ERROR(field_errors(call.caller));
  call.deadline = CallDeadline(context, deps_.rpc_budget);
  return call;
}

absl::StatusOr<AttendanceServiceImpl::RecordCall> AttendanceServiceImpl::BeginRecordCall(
    grpc::ServerContextBase* context, absl::string_view record_name,
    const std::function<absl::Status(const Principal&)>& field_errors) const {
  FIELDWORK_ASSIGN_OR_RETURN(RecordCall call, CheckRecordCall(context, record_name, field_errors));
  FIELDWORK_ASSIGN_OR_RETURN(
      call.event, deps_.scheduling->GetEventFacts(
                      call.caller, FormatEventName(call.name.organization, call.name.event),
                      call.deadline, FormatMemberName(call.name.organization, call.name.member)));
  return call;
}

absl::StatusOr<AttendanceServiceImpl::EventCall> AttendanceServiceImpl::BeginEventCall(
    grpc::ServerContextBase* context, absl::string_view event_name,
    const std::function<absl::Status(const Principal&)>& field_errors) const {
  EventCall call;
  FIELDWORK_ASSIGN_OR_RETURN(call.name, NameField("event", ParseEventName(event_name)));
  FIELDWORK_ASSIGN_OR_RETURN(call.caller, deps_.authorizer->Authenticate(context));
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authorize(
      context, call.caller, AccessTarget::Organization(call.name.organization)));
  FIELDWORK_RETURN_IF_ERROR(field_errors(call.caller));
  call.deadline = CallDeadline(context, deps_.rpc_budget);
  FIELDWORK_ASSIGN_OR_RETURN(
      call.event, deps_.scheduling->GetEventFacts(call.caller, event_name, call.deadline));
  return call;
}

}  // namespace fieldwork::attendance
