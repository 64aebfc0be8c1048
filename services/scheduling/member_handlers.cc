// Members: create, read, list, update and delete one member of the roster.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/grpc_answer.h"
#include "common/api/page_token.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/roster_kind.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_service.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

using Empty = google::protobuf::Empty;

constexpr int kDefaultMemberPageSize = 100;
constexpr int kMaxMemberPageSize = 1000;

// Checks that every unit `member` lists exists and may be joined (fields under `prefix`).
absl::Status CheckUnitsExist(const RosterStore& store, absl::string_view organization,
                             const v1::Member& member, absl::string_view prefix,
                             absl::Time deadline) {
  FIELDWORK_ASSIGN_OR_RETURN(const auto units,
                             store.GetUnits(organization, MemberUnitIds(member), deadline));
  FieldErrors errors;
  CheckMemberUnits(member, UnitRecords(units), prefix, errors);
  return errors.ToStatus();
}

absl::StatusOr<v1::Member> CreateMember(const SchedulingDeps& deps,
                                        grpc::ServerContextBase* context,
                                        const v1::CreateMemberRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  FieldErrors errors;
  CheckChosenId("member_id", request.member_id(), errors);
  if (!request.has_member()) {
    errors.Add("member", "is required");
  } else {
    ValidateMember(request.member(), call.organization, "member", /*creating=*/true, errors);
  }
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const RequestRecord record(deps.idempotency, call.organization, RosterMethod("CreateMember"),
                             request);
  const std::string id = request.member_id().empty() ? NewResourceId() : request.member_id();
  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  return CreateRosterResource<v1::Member>(
      deps, call.caller, call.organization, record, id, request.member(), deadline,
      [&](const RosterStore& store, v1::Member& member) {
        FIELDWORK_RETURN_IF_ERROR(
            CheckUnitsExist(store, call.organization, member, "member", deadline));
        if (member.status() == v1::MEMBER_STATUS_UNSPECIFIED) {
          member.set_status(v1::MEMBER_STATUS_ACTIVE);
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ListMembersResponse> ListMembers(const SchedulingDeps& deps,
                                                    grpc::ServerContextBase* context,
                                                    const v1::ListMembersRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  const std::string& organization = call.organization;
  FieldErrors errors;
  const int page_size =
      CheckPageSize(request.page_size(), kDefaultMemberPageSize, kMaxMemberPageSize, errors);
  std::string unit_id;
  if (!request.unit().empty()) {
    absl::StatusOr<ChildName> unit = ParseUnitName(request.unit());
    if (!unit.ok()) {
      errors.Add("unit", unit.status().message());
    } else if (unit->organization != organization) {
      errors.Add("unit", "names no unit of this organization");
    } else {
      unit_id = unit->id;
    }
  }
  CheckOptionalEnum("role", request.role(), v1::MemberRole_IsValid, errors);
  CheckOptionalEnum("status", request.status(), v1::MemberStatus_IsValid, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  const std::string digest = FilterDigest(request);
  FIELDWORK_ASSIGN_OR_RETURN(const std::string after,
                             DecodePageToken(request.page_token(), digest));

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  FIELDWORK_RETURN_IF_ERROR(OrganizationStore(deps.redis).CheckExists(organization, deadline));
  const RosterStore store(deps.redis);
  MemberFilter filter;
  filter.role = request.role();
  filter.status = request.status();
  if (!unit_id.empty()) {
    absl::StatusOr<Stored<v1::Unit>> unit = store.GetUnit(organization, unit_id, deadline);
    if (absl::IsNotFound(unit.status())) {
      return InvalidField("unit", "names no existing unit of this organization");
    }
    if (!unit.ok()) return unit.status();
    filter.unit_ids = ComponentUnitIds(unit->record);
    filter.unit_ids.push_back(unit_id);
  }
  FIELDWORK_ASSIGN_OR_RETURN(RosterPage<v1::Member> page,
                             store.ListMembers(organization, filter, after, page_size, deadline));
  v1::ListMembersResponse response;
  FillRosterPage(std::move(page), digest, *response.mutable_members(), response);
  return response;
}

absl::StatusOr<v1::Member> UpdateMember(const SchedulingDeps& deps,
                                        grpc::ServerContextBase* context,
                                        const v1::UpdateMemberRequest& request) {
  return UpdateRosterResource<v1::Member, v1::UpdateMemberRequest>(
      deps, context, "UpdateMember", request, request.member(),
      [](const Principal& caller, const v1::UpdateMemberRequest& request) {
        if (caller.role != Role::kMember) return absl::OkStatus();
        for (const std::string& path : request.update_mask().paths()) {
          if (path != "phone") {
            return absl::PermissionDeniedError("a member may change only its own phone");
          }
        }
        return absl::OkStatus();
      },
      [](const RosterStore& store, const ChildName& name, const v1::Member& after,
         absl::Time deadline) {
        FieldErrors invalid;
        ValidateMember(after, name.organization, "member", /*creating=*/false, invalid);
        FIELDWORK_RETURN_IF_ERROR(invalid.ToStatus());
        return CheckUnitsExist(store, name.organization, after, "member", deadline);
      });
}

absl::StatusOr<Empty> DeleteMember(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                   const v1::DeleteMemberRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const NamedRosterCall call,
                             BeginNamedRosterCall<v1::Member>(deps, context, "name", request.name(),
                                                              /*self_access=*/false));
  const Principal& caller = call.caller;
  const ChildName& name = call.name;
  if (request.force()) FIELDWORK_RETURN_IF_ERROR(CheckMayForce(caller));
  FieldErrors errors;
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const RosterStore store(deps.redis);
  const std::string member_name = FormatMemberName(name.organization, name.id);
  const RequestRecord record(deps.idempotency, name.organization, RosterMethod("DeleteMember"),
                             request);
  return RunOnce<Empty>(record, deadline, [&]() -> absl::StatusOr<Empty> {
    return RetryOnChange<Empty>(record, [&]() -> absl::StatusOr<Empty> {
      FIELDWORK_ASSIGN_OR_RETURN(const Stored<v1::Member> before,
                                 store.GetMember(name.organization, name.id, deadline));
      // Under the member's calendar lock no booking can slip in between the check and the delete.
      FIELDWORK_ASSIGN_OR_RETURN(std::unique_ptr<LockSet> locks,
                                 deps.locks->Acquire({MemberLockKey(name.organization, name.id)},
                                                     LockWaitDeadline(deps, deadline)));
      const absl::Time now = absl::Now();
      FIELDWORK_ASSIGN_OR_RETURN(
          const std::vector<std::vector<CalendarEntry>> calendars,
          CalendarStore(deps.redis)
              .ReadMemberCalendars(name.organization, {name.id}, FutureWindow(now),
                                   absl::ZeroDuration(), now, deadline));
      const std::vector<CalendarEntry> bookings = FutureBookings(calendars.front(), now);
      RosterWrite write(name.organization);
      if (!bookings.empty()) {
        if (!request.force()) {
          fieldwork::common::v1::Conflicts uses;
          for (const CalendarEntry& entry : bookings) {
            AddUse(member_name, entry.booked_by, entry.interval.start, entry.interval.end,
                   entry.required ? "member takes part (lead or required)"
                                  : "member takes part (optional)",
                   uses);
          }
          return HasFutureEvents(member_name, uses);
        }
        for (const CalendarEntry& entry : bookings) {
          write.AddOp(CalendarStore::RemoveMemberEntry(name.organization, name.id, entry));
        }
      }
      write.DeleteMember(before);
      v1::Change change =
          RosterChange(v1::CHANGE_TYPE_MEMBER_DELETED, member_name, caller, ToTimestamp(now));
      *change.mutable_member() = before.record;
      write.AddChange(change);
      FIELDWORK_RETURN_IF_ERROR(store.Commit(write, record, Empty(), deadline, locks.get()));
      return Empty();
    });
  });
}

}  // namespace

grpc::Status RosterServiceImpl::CreateMember(grpc::ServerContextBase* context,
                                             const v1::CreateMemberRequest* request,
                                             v1::Member* response) {
  return Answer(scheduling::CreateMember(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::GetMember(grpc::ServerContextBase* context,
                                          const v1::GetMemberRequest* request,
                                          v1::Member* response) {
  return Answer(GetRosterResource<v1::Member>(deps_, context, request->name()), response);
}

grpc::Status RosterServiceImpl::ListMembers(grpc::ServerContextBase* context,
                                            const v1::ListMembersRequest* request,
                                            v1::ListMembersResponse* response) {
  return Answer(scheduling::ListMembers(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::UpdateMember(grpc::ServerContextBase* context,
                                             const v1::UpdateMemberRequest* request,
                                             v1::Member* response) {
  return Answer(scheduling::UpdateMember(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::DeleteMember(grpc::ServerContextBase* context,
                                             const v1::DeleteMemberRequest* request,
                                             Empty* response) {
  return Answer(scheduling::DeleteMember(deps_, context, *request), response);
}

}  // namespace fieldwork::scheduling
