// AttendanceService handlers of check-in and check-out (staff, or a member with the current code),
// paper sign-in sheets (BatchCheckIn) and the rotating check-in code.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/attendance/attendance_service.h"
#include "services/attendance/check_in_code.h"

namespace fieldwork::attendance {
namespace {

constexpr int kMaxBatchRows = 1000;

bool IsMember(const Principal& caller) { return caller.role == Role::kMember; }

// Staff may say when; a member acts now, with the code.
absl::Status PresenceFieldErrors(const Principal& caller, absl::string_view code, bool has_time,
                                 absl::string_view time_field, absl::string_view request_id) {
  FieldErrors errors;
  if (IsMember(caller) && has_time) errors.Add(time_field, "only staff may set the time");
  if (IsMember(caller) && code.empty()) {
    errors.Add("code", "required: the event's current check-in code");
  } else if (IsMember(caller) &&
             (code.size() != 6 || !std::all_of(code.begin(), code.end(), absl::ascii_isdigit))) {
    errors.Add("code", "must be the 6 digits shown at the event");
  }
  CheckRequestId(request_id, errors);
  return errors.ToStatus();
}

// The time a check-in or check-out is recorded at: the staff's, or now.
absl::Time PresenceTime(bool has_time, const google::protobuf::Timestamp& time, absl::Time now) {
  return has_time ? ToTime(time) : now;
}

v1::CheckInMethod MethodOf(const Principal& caller) {
  return IsMember(caller) ? v1::CHECK_IN_METHOD_CODE : v1::CHECK_IN_METHOD_STAFF;
}

// A row's error as BatchCheckInResult carries it.
common::v1::ErrorStatus RowStatus(const absl::Status& status) {
  const grpc::Status wire = ToGrpcStatus(WithDefaultReason(status));
  common::v1::ErrorStatus parsed;
  if (wire.error_details().empty() || !parsed.ParseFromString(wire.error_details())) {
    parsed.set_code(static_cast<int32_t>(status.code()));
    parsed.set_message(std::string(status.message()));
  }
  return parsed;
}

}  // namespace

absl::Status AttendanceServiceImpl::CheckCode(const RecordCall& call, absl::string_view code,
                                              absl::Time now) const {
  return CheckCode(call, code, now,
                   [&] { return store_.CodeSecret(call.name.organization, call.deadline); });
}

absl::Status AttendanceServiceImpl::CheckCode(
    const RecordCall& call, absl::string_view code, absl::Time now,
    const std::function<absl::StatusOr<std::string>()>& secret) const {
  if (!IsMember(call.caller)) return absl::OkStatus();
  FIELDWORK_ASSIGN_OR_RETURN(const std::string known, secret());
  if (AcceptsCheckInCode(known, call.event->event_name, code, now)) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(
                        "the check-in code is wrong or has expired; scan the current one"),
                    common::v1::ERROR_REASON_CHECK_IN_CODE_INVALID);
}

absl::StatusOr<AttendanceServiceImpl::CheckInChange> AttendanceServiceImpl::PrepareCheckIn(
    const RecordCall& call, const v1::CheckInRequest& request,
    const std::function<absl::StatusOr<std::string>()>& secret) const {
  FIELDWORK_RETURN_IF_ERROR(CheckRecordable(*call.event));
  FIELDWORK_RETURN_IF_ERROR(RoleOf(*call.event, call.name.member).status());
  const Action action = ActionOf(call.caller);
  FIELDWORK_RETURN_IF_ERROR(CheckCode(call, request.code(), action.now, secret));
  const absl::Time time =
      PresenceTime(request.has_check_in_time(), request.check_in_time(), action.now);
  return [event = call.event, action, time, method = MethodOf(call.caller)](
             v1::AttendanceRecord& record, v1::CheckInResponse& answer) -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const CheckInResult result,
                               ApplyCheckIn(*event, action, time, method, record));
    *answer.mutable_record() = record;
    answer.set_already_checked_in(result.already_checked_in);
    answer.set_late(result.late);
    return absl::OkStatus();
  };
}

grpc::Status AttendanceServiceImpl::CheckInWaiting(grpc::ServerContextBase* context,
                                                   const v1::CheckInRequest* request,
                                                   v1::CheckInResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const RecordCall call,
        BeginRecordCall(context, request->name(), [&](const Principal& caller) {
          return PresenceFieldErrors(caller, request->code(), request->has_check_in_time(),
                                     "check_in_time", request->request_id());
        }));
    FIELDWORK_ASSIGN_OR_RETURN(const CheckInChange change, PrepareCheckIn(call, *request, [&] {
                                 return store_.CodeSecret(call.name.organization, call.deadline);
                               }));
    return ChangeRecord<v1::CheckInResponse>(call, *request, "CheckIn", false, *response, change,
                                             /*presume_empty=*/true);
  };
  return Finish(run());
}

void AttendanceServiceImpl::CheckIn(grpc::CallbackServerContext* context,
                                    const v1::CheckInRequest* request,
                                    v1::CheckInResponse* response, CallDone done) {
  absl::StatusOr<RecordCall> call =
      CheckRecordCall(context, request->name(), [&](const Principal& caller) {
        return PresenceFieldErrors(caller, request->code(), request->has_check_in_time(),
                                   "check_in_time", request->request_id());
      });
  if (!call.ok()) return std::move(done)(Finish(call.status()));
  // What must be read the waiting way first: the whole call on a worker.
  auto on_worker = [this, context, request, response](CallDone answer) {
    ContinueOnWorker(context, std::move(answer), [this, context, request, response] {
      return CheckInWaiting(context, request, response);
    });
  };
  std::optional<std::string> secret;
  if (IsMember(call->caller)) {
    secret = store_.KnownCodeSecret(call->name.organization);
    if (!secret.has_value()) return on_worker(std::move(done));
  }
  const Principal caller = call->caller;
  const std::string event_name = FormatEventName(call->name.organization, call->name.event);
  deps_.scheduling->EventFactsWithoutWaiting(
      caller, event_name,
      [this, request, response, on_worker, call = *std::move(call), secret = std::move(secret),
       done = std::move(done)](std::shared_ptr<const EventFacts> event) mutable {
        if (event == nullptr) return on_worker(std::move(done));
        call.event = std::move(event);
        CheckInKnowing(std::move(call), secret, *request, response, std::move(done));
      });
}

void AttendanceServiceImpl::CheckInKnowing(RecordCall call,
                                           const std::optional<std::string>& secret,
                                           const v1::CheckInRequest& request,
                                           v1::CheckInResponse* response, CallDone done) const {
  absl::StatusOr<CheckInChange> change =
      PrepareCheckIn(call, request, [&]() -> absl::StatusOr<std::string> { return *secret; });
  if (!change.ok()) return std::move(done)(Finish(change.status()));

  // What the call keeps until its write is answered.
  struct InFlight {
    InFlight(const IdempotencyStore* idempotency, RecordCall started,
             const v1::CheckInRequest& request, CheckInChange change)
        : call(std::move(started)),
          record(idempotency, call.name.organization, AttendanceMethod("CheckIn"), request),
          members{call.name.member},
          change(std::move(change)) {}
    const RecordCall call;
    const RequestRecord record;
    const std::vector<std::string> members;
    const CheckInChange change;
    RecordUpdater::Compute compute;  // applies `change`; set once the response is known
  };
  auto flight =
      std::make_shared<InFlight>(deps_.idempotency, std::move(call), request, *std::move(change));
  flight->compute =
      OneRecordChange<v1::CheckInResponse>(*flight->call.event, false, *response, flight->change);
  const absl::Time deadline = flight->call.deadline;
  // Once and Update as CheckInWaiting runs them, without waiting: the guess that nothing is
  // recorded yet first, then (a repeated check-in, a lost race) a read and a conditioned write.
  RunOnceAsync(
      flight->record, *response, deadline,
      [this, flight, response, deadline](OnceDone finished) mutable {
        updater_.UpdateAsync(*flight->call.event, flight->members, flight->record, *response,
                             deadline, flight->compute, /*presume_empty=*/true,
                             std::move(finished));
      },
      [flight, done = std::move(done)](absl::Status answered) mutable {
        std::move(done)(Finish(answered));
      });
}

grpc::Status AttendanceServiceImpl::CheckOut(grpc::ServerContextBase* context,
                                             const v1::CheckOutRequest* request,
                                             v1::CheckOutResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const RecordCall call,
        BeginRecordCall(context, request->name(), [&](const Principal& caller) {
          return PresenceFieldErrors(caller, request->code(), request->has_check_out_time(),
                                     "check_out_time", request->request_id());
        }));
    FIELDWORK_RETURN_IF_ERROR(CheckRecordable(*call.event));
    FIELDWORK_RETURN_IF_ERROR(RoleOf(*call.event, call.name.member).status());
    const Action action = ActionOf(call.caller);
    FIELDWORK_RETURN_IF_ERROR(CheckCode(call, request->code(), action.now));
    const absl::Time time =
        PresenceTime(request->has_check_out_time(), request->check_out_time(), action.now);
    return ChangeRecord<v1::CheckOutResponse>(
        call, *request, "CheckOut", false, *response,
        [&](v1::AttendanceRecord& record, v1::CheckOutResponse& answer) {
          FIELDWORK_ASSIGN_OR_RETURN(
              const bool left_early,
              ApplyCheckOut(*call.event, action, time, MethodOf(call.caller), record));
          *answer.mutable_record() = record;
          answer.set_left_early(left_early);
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::BatchCheckIn(grpc::ServerContextBase* context,
                                                 const v1::BatchCheckInRequest* request,
                                                 v1::BatchCheckInResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(
        const EventCall call, BeginEventCall(context, request->event(), [&](const Principal&) {
          FieldErrors errors;
          if (request->rows().empty() || request->rows_size() > kMaxBatchRows) {
            errors.Add("rows", absl::StrCat("must hold 1–", kMaxBatchRows, " rows"));
          }
          CheckRequestId(request->request_id(), errors);
          return errors.ToStatus();
        }));
    FIELDWORK_RETURN_IF_ERROR(CheckRecordable(*call.event));
    // The member of each row whose member field names a participant-shaped member of this
    // organization; the rest fail before any record is read.
    std::vector<absl::Status> row_errors(request->rows_size());
    std::vector<std::string> row_members(request->rows_size());
    std::vector<std::string> members;
    absl::flat_hash_map<std::string, size_t> member_index;
    for (int i = 0; i < request->rows_size(); ++i) {
      const v1::BatchCheckInRow& row = request->rows(i);
      FieldErrors errors;
      absl::StatusOr<ChildName> member = ParseMemberName(row.member());
      if (!member.ok()) {
        errors.Add("member", member.status().message());
      } else if (member->organization != call.name.organization) {
        errors.Add("member", "must be a member of the event's organization");
      }
      if (!row.has_check_in_time()) errors.Add("check_in_time", "required");
      row_errors[i] = errors.ToStatus();
      if (!row_errors[i].ok()) continue;
      if (member_index.contains(member->id)) {
        row_errors[i] = InvalidField("member", "appears in an earlier row");
        continue;
      }
      row_errors[i] = RoleOf(*call.event, member->id).status();
      if (!row_errors[i].ok()) continue;
      row_members[i] = member->id;
      member_index.emplace(member->id, members.size());
      members.push_back(member->id);
    }
    const RequestRecord record(deps_.idempotency, call.name.organization,
                               AttendanceMethod("BatchCheckIn"), *request);
    const Action action = ActionOf(call.caller);
    return Once<v1::BatchCheckInResponse>(
        record, call.deadline, *response, [&](v1::BatchCheckInResponse& fresh) {
          return updater_.Update(
              *call.event, members, record, fresh, call.deadline,
              [&](RecordSnapshot& snapshot) -> absl::StatusOr<RecordPlan> {
                if (snapshot.finalized()) return AlreadyFinalizedError(call.event->event_name);
                RecordPlan plan;
                for (int i = 0; i < request->rows_size(); ++i) {
                  v1::BatchCheckInResult& result = *fresh.add_results();
                  result.set_row(i);
                  absl::Status row_status = row_errors[i];
                  if (row_status.ok()) {
                    const size_t index = member_index.at(row_members[i]);
                    result.set_name(snapshot.records[index].name());
                    // A row applies whole or not at all: check-in and check-out on a copy.
                    v1::AttendanceRecord changed = snapshot.records[index];
                    const v1::BatchCheckInRow& row = request->rows(i);
                    absl::StatusOr<CheckInResult> checked_in =
                        ApplyCheckIn(*call.event, action, ToTime(row.check_in_time()),
                                     v1::CHECK_IN_METHOD_BATCH, changed);
                    row_status = checked_in.status();
                    if (row_status.ok() && row.has_check_out_time()) {
                      row_status = ApplyCheckOut(*call.event, action, ToTime(row.check_out_time()),
                                                 v1::CHECK_IN_METHOD_BATCH, changed)
                                       .status();
                    }
                    if (row_status.ok()) {
                      result.set_already_checked_in(checked_in->already_checked_in);
                      snapshot.records[index] = std::move(changed);
                      plan.changed.push_back(index);
                    }
                  } else if (absl::StatusOr<ChildName> member =
                                 ParseMemberName(request->rows(i).member());
                             member.ok()) {
                    result.set_name(
                        FormatAttendanceName(call.name.organization, call.name.id, member->id));
                  }
                  *result.mutable_status() = RowStatus(row_status);
                  if (row_status.ok()) {
                    fresh.set_applied_count(fresh.applied_count() + 1);
                  } else {
                    fresh.set_failed_count(fresh.failed_count() + 1);
                  }
                }
                return plan;
              });
        });
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::IssueCheckInCode(grpc::ServerContextBase* context,
                                                     const v1::IssueCheckInCodeRequest* request,
                                                     v1::IssueCheckInCodeResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const EventCall call,
                               BeginEventCall(context, request->event(),
                                              [](const Principal&) { return absl::OkStatus(); }));
    FIELDWORK_RETURN_IF_ERROR(CheckRecordable(*call.event));
    const absl::Time now = absl::Now();
    FIELDWORK_RETURN_IF_ERROR(CheckInWindowContains(*call.event, now));
    FIELDWORK_ASSIGN_OR_RETURN(const std::string secret,
                               store_.CodeSecret(call.name.organization, call.deadline));
    const int64_t step = CodeStepOf(now);
    const absl::Time valid_from = CodeStepStart(step);
    response->set_code(CheckInCode(secret, call.event->event_name, step));
    response->set_qr_payload(absl::StrCat("fieldwork:check-in?event=", call.event->event_name,
                                          "&code=", response->code()));
    *response->mutable_valid_from() = ToTimestamp(valid_from);
    *response->mutable_valid_until() = ToTimestamp(valid_from + 2 * kCodeStep);
    *response->mutable_refresh_time() = ToTimestamp(valid_from + kCodeStep);
    response->set_step_seconds(static_cast<int32_t>(absl::ToInt64Seconds(kCodeStep)));
    return absl::OkStatus();
  };
  return Finish(run());
}

}  // namespace fieldwork::attendance
