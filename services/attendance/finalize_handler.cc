// AttendanceService.FinalizeEvent: staff fix every participant's outcome once the event ended.
#include "common/api/field_checks.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/attendance/attendance_service.h"

namespace fieldwork::attendance {

grpc::Status AttendanceServiceImpl::FinalizeEvent(grpc::ServerContextBase* context,
                                                  const v1::FinalizeEventRequest* request,
                                                  v1::FinalizeEventResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const EventCall call,
                               BeginEventCall(context, request->event(), [&](const Principal&) {
                                 FieldErrors errors;
                                 CheckRequestId(request->request_id(), errors);
                                 return errors.ToStatus();
                               }));
    const RequestRecord record(deps_.idempotency, call.name.organization,
                               AttendanceMethod("FinalizeEvent"), *request);
    const Action action = ActionOf(call.caller);
    return Once<v1::FinalizeEventResponse>(
        record, call.deadline, *response, [&](v1::FinalizeEventResponse& fresh) {
          return finalizer_.Finalize(*call.event, action, record, fresh, call.deadline);
        });
  };
  return Finish(run());
}

}  // namespace fieldwork::attendance
