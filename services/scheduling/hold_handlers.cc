// Holds: short-lived reservations of members and a venue, confirmed into events or released.
// Handlers authorize and check fields; HoldBooking (hold_booking.h) books. Every hold call first
// records the organization's lapsed holds as EXPIRED, so reads and the change feed agree.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/page_token.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/event_rules.h"
#include "services/scheduling/handler_support.h"
#include "services/scheduling/hold_booking.h"
#include "services/scheduling/hold_rules.h"
#include "services/scheduling/hold_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kDefaultHoldPageSize = 50;
constexpr int kMaxHoldPageSize = 500;

absl::StatusOr<ChildName> ParseHoldField(absl::string_view field, absl::string_view name) {
  absl::StatusOr<ChildName> parsed = ParseHoldName(name);
  if (!parsed.ok()) return InvalidField(field, parsed.status().message());
  return parsed;
}

int64_t CreateMillis(const v1::Hold& hold) {
  return absl::ToUnixMillis(ToTime(hold.create_time()));
}

bool Holds(const v1::Hold& hold, const std::string& member) {
  return std::find(hold.resolved_members().begin(), hold.resolved_members().end(), member) !=
         hold.resolved_members().end();
}

}  // namespace

grpc::Status SchedulingServiceImpl::CreateHold(grpc::ServerContextBase* context,
                                               const v1::CreateHoldRequest* request,
                                               v1::Hold* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const std::string organization, ParseParent(request->parent()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(organization)));
    FieldErrors errors;
    if (!request->hold_id().empty()) {
      if (absl::Status valid = ValidateId(request->hold_id()); !valid.ok()) {
        errors.Add("hold_id", valid.message());
      }
    }
    CheckRequestId(request->request_id(), errors);
    absl::Duration ttl;
    std::vector<Reference> references;
    if (!request->has_hold()) {
      errors.Add("hold", "is required");
    } else {
      references = CheckHoldFields(request->hold(), organization, ttl, errors);
    }
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const HoldBooking holds(deps_);
    FIELDWORK_RETURN_IF_ERROR(holds.ExpireDue(organization, deadline));
    const RequestRecord record(deps_.idempotency, organization, SchedulingMethod("CreateHold"),
                               *request);
    const std::string hold_id = request->hold_id().empty() ? NewResourceId() : request->hold_id();
    return Once<v1::Hold>(record, deadline, *response, [&](v1::Hold& fresh) -> absl::Status {
      FIELDWORK_ASSIGN_OR_RETURN(fresh, holds.Create(caller, organization, hold_id, request->hold(),
                                                     ttl, references, record, deadline));
      return absl::OkStatus();
    });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::GetHold(grpc::ServerContextBase* context,
                                            const v1::GetHoldRequest* request, v1::Hold* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseHoldField("name", request->name()));
    FIELDWORK_RETURN_IF_ERROR(
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization))
            .status());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    FIELDWORK_RETURN_IF_ERROR(HoldBooking(deps_).ExpireDue(name.organization, deadline));
    FIELDWORK_ASSIGN_OR_RETURN(StoredHold stored,
                               HoldStore(deps_.redis).Get(name.organization, name.id, deadline));
    *response = Effective(std::move(stored.hold), absl::Now());
    return absl::OkStatus();
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::ListHolds(grpc::ServerContextBase* context,
                                              const v1::ListHoldsRequest* request,
                                              v1::ListHoldsResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const std::string organization, ParseParent(request->parent()));
    FIELDWORK_RETURN_IF_ERROR(
        deps_.authorizer->Authorize(context, AccessTarget::Organization(organization)).status());
    FieldErrors errors;
    const int page_size =
        CheckPageSize(request->page_size(), kDefaultHoldPageSize, kMaxHoldPageSize, errors);
    for (int i = 0; i < request->states_size(); ++i) {
      const int state = request->states(i);
      if (state == v1::HOLD_STATE_UNSPECIFIED || !v1::HoldState_IsValid(state)) {
        errors.Add(absl::StrCat("states[", i, "]"), "must be a known hold state");
      }
    }
    if (!request->member().empty()) {
      absl::StatusOr<ChildName> member = ParseMemberName(request->member());
      if (!member.ok()) {
        errors.Add("member", member.status().message());
      } else if (member->organization != organization) {
        errors.Add("member", absl::StrCat("must belong to ", request->parent()));
      }
    }
    const std::string digest = FilterDigest(*request);
    absl::StatusOr<std::string> after = DecodePageToken(request->page_token(), digest);
    if (!after.ok()) errors.Add("page_token", after.status().message());
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    FIELDWORK_RETURN_IF_ERROR(HoldBooking(deps_).ExpireDue(organization, deadline));
    const absl::Time now = absl::Now();
    FIELDWORK_ASSIGN_OR_RETURN(std::vector<v1::Hold> holds,
                               HoldStore(deps_.redis).List(organization, now, deadline));
    std::vector<v1::Hold> matching;
    for (v1::Hold& hold : holds) {
      hold = Effective(std::move(hold), now);
      if (!request->states().empty() &&
          std::find(request->states().begin(), request->states().end(), hold.state()) ==
              request->states().end()) {
        continue;
      }
      if (!request->member().empty() && !Holds(hold, request->member())) continue;
      matching.push_back(std::move(hold));
    }
    std::string next;
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<v1::Hold> page,
        PageAfter(std::move(matching), *after, page_size, CreateMillis, next));
    for (v1::Hold& hold : page) *response->add_holds() = std::move(hold);
    if (!next.empty()) response->set_next_page_token(EncodePageToken(digest, next));
    return absl::OkStatus();
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::ConfirmHold(grpc::ServerContextBase* context,
                                                const v1::ConfirmHoldRequest* request,
                                                v1::ConfirmHoldResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseHoldField("name", request->name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    if (!request->has_event()) errors.Add("event", "is required");
    if (!request->event_id().empty()) {
      if (absl::Status valid = ValidateId(request->event_id()); !valid.ok()) {
        errors.Add("event_id", valid.message());
      }
    }
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const HoldBooking holds(deps_);
    FIELDWORK_RETURN_IF_ERROR(holds.ExpireDue(name.organization, deadline));
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("ConfirmHold"), *request);
    const std::string event_id =
        request->event_id().empty() ? NewResourceId() : request->event_id();
    return Once<v1::ConfirmHoldResponse>(
        record, deadline, *response, [&](v1::ConfirmHoldResponse& fresh) -> absl::Status {
          FIELDWORK_ASSIGN_OR_RETURN(
              fresh, holds.Confirm(caller, name, request->event(), event_id, record, deadline));
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::ReleaseHold(grpc::ServerContextBase* context,
                                                const v1::ReleaseHoldRequest* request,
                                                v1::Hold* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseHoldField("name", request->name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const HoldBooking holds(deps_);
    FIELDWORK_RETURN_IF_ERROR(holds.ExpireDue(name.organization, deadline));
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("ReleaseHold"), *request);
    return Once<v1::Hold>(record, deadline, *response, [&](v1::Hold& fresh) -> absl::Status {
      FIELDWORK_ASSIGN_OR_RETURN(fresh, holds.Release(caller, name, record, deadline));
      return absl::OkStatus();
    });
  };
  return Finish(run());
}

}  // namespace fieldwork::scheduling
