// Units (sectors, special committees, member groups, studios, joint sector groups): create,
// read, list, update and delete.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/grpc_answer.h"
#include "common/api/page_token.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/roster_kind.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_service.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

using Empty = google::protobuf::Empty;

constexpr int kDefaultUnitPageSize = 100;
constexpr int kMaxUnitPageSize = 1000;

// Checks the components of a joint sector group against the units that exist.
absl::Status CheckComponentsExist(const RosterStore& store, absl::string_view organization,
                                  const v1::Unit& unit, absl::string_view unit_id,
                                  absl::Time deadline) {
  FIELDWORK_ASSIGN_OR_RETURN(const auto units,
                             store.GetUnits(organization, ComponentUnitIds(unit), deadline));
  FieldErrors errors;
  CheckComponentUnits(unit, unit_id, UnitRecords(units), "unit", errors);
  return errors.ToStatus();
}

bool NamesUnit(const v1::Event& event, absl::string_view unit_name) {
  if (event.organizing_unit() == unit_name) return true;
  for (const v1::InvitedUnit& invited : event.invited_units()) {
    if (invited.unit() == unit_name) return true;
  }
  return false;
}

absl::StatusOr<v1::Unit> CreateUnit(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                    const v1::CreateUnitRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  FieldErrors errors;
  CheckChosenId("unit_id", request.unit_id(), errors);
  if (!request.has_unit()) {
    errors.Add("unit", "is required");
  } else {
    ValidateUnit(request.unit(), call.organization, "unit", errors);
  }
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const RequestRecord record(deps.idempotency, call.organization, RosterMethod("CreateUnit"),
                             request);
  const std::string id = request.unit_id().empty() ? NewResourceId() : request.unit_id();
  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  return CreateRosterResource<v1::Unit>(
      deps, call.caller, call.organization, record, id, request.unit(), deadline,
      [&](const RosterStore& store, v1::Unit& unit) {
        return CheckComponentsExist(store, call.organization, unit, id, deadline);
      });
}

absl::StatusOr<v1::ListUnitsResponse> ListUnits(const SchedulingDeps& deps,
                                                grpc::ServerContextBase* context,
                                                const v1::ListUnitsRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  FieldErrors errors;
  const int page_size =
      CheckPageSize(request.page_size(), kDefaultUnitPageSize, kMaxUnitPageSize, errors);
  CheckOptionalEnum("kind", request.kind(), v1::UnitKind_IsValid, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  const std::string digest = FilterDigest(request);
  FIELDWORK_ASSIGN_OR_RETURN(const std::string after,
                             DecodePageToken(request.page_token(), digest));

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  FIELDWORK_RETURN_IF_ERROR(OrganizationStore(deps.redis).CheckExists(call.organization, deadline));
  FIELDWORK_ASSIGN_OR_RETURN(
      RosterPage<v1::Unit> page,
      RosterStore(deps.redis)
          .ListUnits(call.organization, request.kind(), after, page_size, deadline));
  v1::ListUnitsResponse response;
  FillRosterPage(std::move(page), digest, *response.mutable_units(), response);
  return response;
}

absl::StatusOr<v1::Unit> UpdateUnit(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                    const v1::UpdateUnitRequest& request) {
  return UpdateRosterResource<v1::Unit, v1::UpdateUnitRequest>(
      deps, context, "UpdateUnit", request, request.unit(),
      [](const Principal&, const v1::UpdateUnitRequest&) { return absl::OkStatus(); },
      [](const RosterStore& store, const ChildName& name, const v1::Unit& after,
         absl::Time deadline) {
        FieldErrors invalid;
        ValidateUnit(after, name.organization, "unit", invalid);
        FIELDWORK_RETURN_IF_ERROR(invalid.ToStatus());
        return CheckComponentsExist(store, name.organization, after, name.id, deadline);
      });
}

// What refers to a unit: the members listing it, the joint sector groups made of it and the
// future scheduled events it organizes or is invited to.
struct UnitUses {
  std::vector<Stored<v1::Member>> members;
  std::vector<Stored<v1::Unit>> groups;
  fieldwork::common::v1::Conflicts events;
};

absl::StatusOr<UnitUses> ReadUnitUses(const SchedulingDeps& deps, absl::string_view organization,
                                      const v1::Unit& unit, absl::string_view unit_id,
                                      absl::Time deadline) {
  const RosterStore store(deps.redis);
  UnitUses uses;
  FIELDWORK_ASSIGN_OR_RETURN(const std::vector<std::string> member_ids,
                             store.DirectMemberIds(organization, unit_id, deadline));
  FIELDWORK_ASSIGN_OR_RETURN(auto members, store.GetMembers(organization, member_ids, deadline));
  for (const std::string& id : member_ids) {
    if (const auto member = members.find(id); member != members.end()) {
      uses.members.push_back(std::move(member->second));
    }
  }
  FIELDWORK_ASSIGN_OR_RETURN(std::vector<Stored<v1::Unit>> units,
                             store.AllUnits(organization, deadline));
  for (Stored<v1::Unit>& other : units) {
    const auto& components = other.record.component_units();
    if (std::find(components.begin(), components.end(), unit.name()) != components.end()) {
      uses.groups.push_back(std::move(other));
    }
  }
  const absl::Time now = absl::Now();
  FIELDWORK_ASSIGN_OR_RETURN(
      const std::vector<v1::Event> events,
      EventStore(deps.redis).ListOverlapping(organization, FutureWindow(now), deadline));
  for (const v1::Event& event : events) {
    if (event.state() != v1::EVENT_STATE_SCHEDULED || !NamesUnit(event, unit.name())) continue;
    AddUse(unit.name(), event.name(), ToTime(event.time_range().start_time()),
           ToTime(event.time_range().end_time()), "unit organizes or is invited", uses.events);
  }
  return uses;
}

absl::Status InUse(absl::string_view name, const UnitUses& uses) {
  if (!uses.events.conflicts().empty()) return HasFutureEvents(name, uses.events);
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          name, " is listed by ", uses.members.size(), " member(s) and ", uses.groups.size(),
          " joint sector group(s); remove it from them first, or force the delete (org-admin)")),
      fieldwork::common::v1::ERROR_REASON_INVALID_STATE, {{"state", "IN_USE"}});
}

// A copy of `names` without `name`.
google::protobuf::RepeatedPtrField<std::string> Without(
    const google::protobuf::RepeatedPtrField<std::string>& names, const std::string& name) {
  google::protobuf::RepeatedPtrField<std::string> kept;
  for (const std::string& other : names) {
    if (other != name) *kept.Add() = other;
  }
  return kept;
}

absl::StatusOr<Empty> DeleteUnit(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                 const v1::DeleteUnitRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const NamedRosterCall call,
                             BeginNamedRosterCall<v1::Unit>(deps, context, "name", request.name(),
                                                            /*self_access=*/false));
  const Principal& caller = call.caller;
  const ChildName& name = call.name;
  if (request.force()) FIELDWORK_RETURN_IF_ERROR(CheckMayForce(caller));
  FieldErrors errors;
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const RosterStore store(deps.redis);
  const RequestRecord record(deps.idempotency, name.organization, RosterMethod("DeleteUnit"),
                             request);
  return RunOnce<Empty>(record, deadline, [&]() -> absl::StatusOr<Empty> {
    return RetryOnChange<Empty>(record, [&]() -> absl::StatusOr<Empty> {
      FIELDWORK_ASSIGN_OR_RETURN(const Stored<v1::Unit> before,
                                 store.GetUnit(name.organization, name.id, deadline));
      const std::string& unit_name = before.record.name();
      FIELDWORK_ASSIGN_OR_RETURN(
          const UnitUses uses,
          ReadUnitUses(deps, name.organization, before.record, name.id, deadline));
      const bool used =
          !uses.members.empty() || !uses.groups.empty() || !uses.events.conflicts().empty();
      if (used && !request.force()) return InUse(unit_name, uses);
      const google::protobuf::Timestamp now = ToTimestamp(absl::Now());
      RosterWrite write(name.organization);
      for (const Stored<v1::Member>& member : uses.members) {
        v1::Member after = member.record;
        *after.mutable_units() = Without(after.units(), unit_name);
        *after.mutable_update_time() = now;
        write.PutMember(&member, after);
        v1::Change change = RosterChange(v1::CHANGE_TYPE_MEMBER_UPDATED, after.name(), caller, now);
        *change.mutable_member() = after;
        write.AddChange(change);
      }
      for (const Stored<v1::Unit>& group : uses.groups) {
        v1::Unit after = group.record;
        *after.mutable_component_units() = Without(after.component_units(), unit_name);
        *after.mutable_update_time() = now;
        write.PutUnit(&group, after);
        v1::Change change = RosterChange(v1::CHANGE_TYPE_UNIT_UPDATED, after.name(), caller, now);
        *change.mutable_unit() = after;
        write.AddChange(change);
      }
      write.DeleteUnit(before, /*members_removed=*/!uses.members.empty());
      v1::Change change = RosterChange(v1::CHANGE_TYPE_UNIT_DELETED, unit_name, caller, now);
      *change.mutable_unit() = before.record;
      write.AddChange(change);
      FIELDWORK_RETURN_IF_ERROR(store.Commit(write, record, Empty(), deadline));
      return Empty();
    });
  });
}

}  // namespace

grpc::Status RosterServiceImpl::CreateUnit(grpc::ServerContextBase* context,
                                           const v1::CreateUnitRequest* request,
                                           v1::Unit* response) {
  return Answer(scheduling::CreateUnit(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::GetUnit(grpc::ServerContextBase* context,
                                        const v1::GetUnitRequest* request, v1::Unit* response) {
  return Answer(GetRosterResource<v1::Unit>(deps_, context, request->name()), response);
}

grpc::Status RosterServiceImpl::ListUnits(grpc::ServerContextBase* context,
                                          const v1::ListUnitsRequest* request,
                                          v1::ListUnitsResponse* response) {
  return Answer(scheduling::ListUnits(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::UpdateUnit(grpc::ServerContextBase* context,
                                           const v1::UpdateUnitRequest* request,
                                           v1::Unit* response) {
  return Answer(scheduling::UpdateUnit(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::DeleteUnit(grpc::ServerContextBase* context,
                                           const v1::DeleteUnitRequest* request, Empty* response) {
  return Answer(scheduling::DeleteUnit(deps_, context, *request), response);
}

}  // namespace fieldwork::scheduling
