// The AttendanceService handlers: decode, authorize, validate, ask scheduling for the event, run
// the pure rules of record_changes.h through the record updater, encode. Handlers live in files by
// area: record_handlers.cc (RSVP, leave, corrections), check_in_handlers.cc (check-in, check-out,
// paper sheets, codes), finalize_handler.cc and read_handlers.cc.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_SERVICE_H_
#define FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_SERVICE_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/handler_support.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/auth.h"
#include "common/pooled_service.h"
#include "common/principal.h"
#include "common/redis/idempotency.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "services/attendance/attendance_rules.h"
#include "services/attendance/attendance_store.h"
#include "services/attendance/event_finalizer.h"
#include "services/attendance/record_changes.h"
#include "services/attendance/record_updater.h"
#include "services/attendance/scheduling_client.h"

namespace fieldwork::attendance {

// What the handlers share; built once in main.cc.
struct AttendanceDeps {
  RedisClient* redis = nullptr;
  IdempotencyStore* idempotency = nullptr;
  const Authorizer* authorizer = nullptr;
  const SchedulingClient* scheduling = nullptr;
  // Budget of one RPC when the caller set no (or a longer) deadline.
  absl::Duration rpc_budget = absl::Seconds(5);
};

// "fieldwork.attendance.v1.AttendanceService/<name>".
std::string AttendanceMethod(absl::string_view name);

class AttendanceServiceImpl final : public PooledService<v1::AttendanceService> {
 public:
  explicit AttendanceServiceImpl(const AttendanceDeps& deps);

  // The finalizer FinalizeEvent uses, shared with the auto-finalizer.
  const EventFinalizer& finalizer() const { return finalizer_; }

  grpc::Status Respond(grpc::ServerContextBase* context, const v1::RespondRequest* request,
                       v1::AttendanceRecord* response);
  grpc::Status RequestLeave(grpc::ServerContextBase* context,
                            const v1::RequestLeaveRequest* request, v1::AttendanceRecord* response);
  grpc::Status DecideLeave(grpc::ServerContextBase* context, const v1::DecideLeaveRequest* request,
                           v1::AttendanceRecord* response);
  // Waits for nothing when it can (check_in_handlers.cc): with the event's facts in the cache,
  // and a member's code secret known, it replays or writes through RedisClient::PipelineAsync;
  // anything else (a read of scheduling, a record already there) continues on a worker.
  void CheckIn(grpc::CallbackServerContext* context, const v1::CheckInRequest* request,
               v1::CheckInResponse* response, CallDone done);
  grpc::Status CheckOut(grpc::ServerContextBase* context, const v1::CheckOutRequest* request,
                        v1::CheckOutResponse* response);
  grpc::Status BatchCheckIn(grpc::ServerContextBase* context,
                            const v1::BatchCheckInRequest* request,
                            v1::BatchCheckInResponse* response);
  grpc::Status IssueCheckInCode(grpc::ServerContextBase* context,
                                const v1::IssueCheckInCodeRequest* request,
                                v1::IssueCheckInCodeResponse* response);
  grpc::Status FinalizeEvent(grpc::ServerContextBase* context,
                             const v1::FinalizeEventRequest* request,
                             v1::FinalizeEventResponse* response);
  grpc::Status CorrectOutcome(grpc::ServerContextBase* context,
                              const v1::CorrectOutcomeRequest* request,
                              v1::AttendanceRecord* response);
  grpc::Status GetAttendance(grpc::ServerContextBase* context,
                             const v1::GetAttendanceRequest* request,
                             v1::AttendanceRecord* response);
  grpc::Status ListAttendance(grpc::ServerContextBase* context,
                              const v1::ListAttendanceRequest* request,
                              v1::ListAttendanceResponse* response);

 private:
  // A call about one record: who calls, which record, until when, and the event's facts
  // (shared, as the cache holds them).
  struct RecordCall {
    Principal caller;
    AttendanceName name;
    absl::Time deadline;
    std::shared_ptr<const EventFacts> event;
  };
  // A call about one event (BatchCheckIn, IssueCheckInCode, FinalizeEvent).
  struct EventCall {
    Principal caller;
    ChildName name;
    absl::Time deadline;
    std::shared_ptr<const EventFacts> event;
  };

  // Parses the record name (field "name"), authorizes the caller for that member, checks the
  // request's own fields (`field_errors`, run after authorization so strangers learn nothing),
  // and reads the event from scheduling as the caller.
  absl::StatusOr<RecordCall> BeginRecordCall(
      grpc::ServerContextBase* context, absl::string_view record_name,
      const std::function<absl::Status(const Principal&)>& field_errors) const;
  // The same without the event's facts (`event` left null).
  absl::StatusOr<RecordCall> CheckRecordCall(
      grpc::ServerContextBase* context, absl::string_view record_name,
      const std::function<absl::Status(const Principal&)>& field_errors) const;
  absl::StatusOr<EventCall> BeginEventCall(
      grpc::ServerContextBase* context, absl::string_view event_name,
      const std::function<absl::Status(const Principal&)>& field_errors) const;

  // Changes the call's record with `change` (refused on a finalized event unless
  // `requires_finalized`, then refused on one that is not) at most once per request_id;
  // `presume_empty` as in RecordUpdater::Update.
  template <typename Response>
  absl::Status ChangeRecord(
      const RecordCall& call, const google::protobuf::Message& request, absl::string_view method,
      bool requires_finalized, Response& response,
      const std::function<absl::Status(v1::AttendanceRecord&, Response&)>& change,
      bool presume_empty = false) const;

  // The rest of CheckIn without waiting, once `call.event` is known (and, for a member, the code
  // `secret`).
  void CheckInKnowing(RecordCall call, const std::optional<std::string>& secret,
                      const v1::CheckInRequest& request, v1::CheckInResponse* response,
                      CallDone done) const;
  // CheckIn the way that may wait (for the event's facts or the code secret): on a worker.
  grpc::Status CheckInWaiting(grpc::ServerContextBase* context, const v1::CheckInRequest* request,
                              v1::CheckInResponse* response);
  using CheckInChange = std::function<absl::Status(v1::AttendanceRecord&, v1::CheckInResponse&)>;
  // What both ways of CheckIn check once the event's facts are at hand (`secret` gives the code
  // secret, asked only for a member), and the change they then make to the record.
  absl::StatusOr<CheckInChange> PrepareCheckIn(
      const RecordCall& call, const v1::CheckInRequest& request,
      const std::function<absl::StatusOr<std::string>()>& secret) const;

  Action ActionOf(const Principal& caller) const;
  // OK for staff; for a member, OK only with the event's current (or previous) code.
  absl::Status CheckCode(const RecordCall& call, absl::string_view code, absl::Time now) const;
  // The same with the code secret from `secret`.
  absl::Status CheckCode(const RecordCall& call, absl::string_view code, absl::Time now,
                         const std::function<absl::StatusOr<std::string>()>& secret) const;

  const AttendanceDeps deps_;
  const AttendanceStore store_;
  const RecordUpdater updater_;
  const EventFinalizer finalizer_;
};

// The computation ChangeRecord hands the updater: `change` applied to the call's one record.
template <typename Response>
RecordUpdater::Compute OneRecordChange(
    const EventFacts& event, bool requires_finalized, Response& fresh,
    const std::function<absl::Status(v1::AttendanceRecord&, Response&)>& change) {
  return [&event, requires_finalized, &fresh,
          &change](RecordSnapshot& snapshot) -> absl::StatusOr<RecordPlan> {
    if (snapshot.finalized() && !requires_finalized) {
      return AlreadyFinalizedError(event.event_name);
    }
    if (absl::Status changed = change(snapshot.records[0], fresh); !changed.ok()) return changed;
    return RecordPlan{{0}, std::nullopt};
  };
}

template <typename Response>
absl::Status AttendanceServiceImpl::ChangeRecord(
    const RecordCall& call, const google::protobuf::Message& request, absl::string_view method,
    bool requires_finalized, Response& response,
    const std::function<absl::Status(v1::AttendanceRecord&, Response&)>& change,
    bool presume_empty) const {
  const RequestRecord record(deps_.idempotency, call.name.organization, AttendanceMethod(method),
                             request);
  const std::vector<std::string> members = {call.name.member};
  return Once<Response>(record, call.deadline, response, [&](Response& fresh) {
    return updater_.Update(
        *call.event, members, record, fresh, call.deadline,
        OneRecordChange<Response>(*call.event, requires_finalized, fresh, change), presume_empty);
  });
}

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_SERVICE_H_
