// The steps the member, unit and venue handlers share, written once over a RosterKind: what a
// handler needs to know of one kind of roster resource (its names, its field in requests, its
// update mask, how the store reads and writes it, its change-feed entries). Each kind's handler
// file keeps only what is its own: validation, filters, and the checks against other records.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_KIND_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_KIND_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/page_token.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/principal.h"
#include "common/status_macros.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_store.h"
#include "services/scheduling/scheduling_deps.h"
#include "services/scheduling/update_masks.h"

namespace fieldwork::scheduling {

template <typename Resource>
struct RosterKind;

template <>
struct RosterKind<v1::Member> {
  static constexpr absl::string_view kField = "member";
  // A member may read and (partly) update its own record.
  static constexpr bool kSelfAccess = true;
  static constexpr v1::ChangeType kCreated = v1::CHANGE_TYPE_MEMBER_CREATED;
  static constexpr v1::ChangeType kUpdated = v1::CHANGE_TYPE_MEMBER_UPDATED;
  static absl::StatusOr<ChildName> ParseName(absl::string_view name) {
    return ParseMemberName(name);
  }
  static std::string FormatName(absl::string_view organization, absl::string_view id) {
    return FormatMemberName(organization, id);
  }
  static const UpdateMaskRules& Mask() { return MemberMask(); }
  static absl::StatusOr<Stored<v1::Member>> Read(const RosterStore& store,
                                                 absl::string_view organization,
                                                 absl::string_view id, absl::Time deadline) {
    return store.GetMember(organization, id, deadline);
  }
  static void Put(RosterWrite& write, const Stored<v1::Member>* before, const v1::Member& after) {
    write.PutMember(before, after);
  }
  static v1::Member* Snapshot(v1::Change& change) { return change.mutable_member(); }
};

template <>
struct RosterKind<v1::Unit> {
  static constexpr absl::string_view kField = "unit";
  static constexpr bool kSelfAccess = false;
  static constexpr v1::ChangeType kCreated = v1::CHANGE_TYPE_UNIT_CREATED;
  static constexpr v1::ChangeType kUpdated = v1::CHANGE_TYPE_UNIT_UPDATED;
  static absl::StatusOr<ChildName> ParseName(absl::string_view name) { return ParseUnitName(name); }
  static std::string FormatName(absl::string_view organization, absl::string_view id) {
    return FormatUnitName(organization, id);
  }
  static const UpdateMaskRules& Mask() { return UnitMask(); }
  static absl::StatusOr<Stored<v1::Unit>> Read(const RosterStore& store,
                                               absl::string_view organization, absl::string_view id,
                                               absl::Time deadline) {
    return store.GetUnit(organization, id, deadline);
  }
  static void Put(RosterWrite& write, const Stored<v1::Unit>* before, const v1::Unit& after) {
    write.PutUnit(before, after);
  }
  static v1::Unit* Snapshot(v1::Change& change) { return change.mutable_unit(); }
};

template <>
struct RosterKind<v1::Venue> {
  static constexpr absl::string_view kField = "venue";
  static constexpr bool kSelfAccess = false;
  static constexpr v1::ChangeType kCreated = v1::CHANGE_TYPE_VENUE_CREATED;
  static constexpr v1::ChangeType kUpdated = v1::CHANGE_TYPE_VENUE_UPDATED;
  static absl::StatusOr<ChildName> ParseName(absl::string_view name) {
    return ParseVenueName(name);
  }
  static std::string FormatName(absl::string_view organization, absl::string_view id) {
    return FormatVenueName(organization, id);
  }
  static const UpdateMaskRules& Mask() { return VenueMask(); }
  static absl::StatusOr<Stored<v1::Venue>> Read(const RosterStore& store,
                                                absl::string_view organization,
                                                absl::string_view id, absl::Time deadline) {
    return store.GetVenue(organization, id, deadline);
  }
  static void Put(RosterWrite& write, const Stored<v1::Venue>* before, const v1::Venue& after) {
    write.PutVenue(before, after);
  }
  static v1::Venue* Snapshot(v1::Change& change) { return change.mutable_venue(); }
};

// An authenticated call on `parent`, authorized for its organization.
struct ParentRosterCall {
  Principal caller;
  std::string organization;
};

inline absl::StatusOr<ParentRosterCall> BeginParentRosterCall(const SchedulingDeps& deps,
                                                              grpc::ServerContextBase* context,
                                                              absl::string_view parent) {
  ParentRosterCall call;
  FIELDWORK_ASSIGN_OR_RETURN(call.caller, deps.authorizer->Authenticate(context));
  FIELDWORK_ASSIGN_OR_RETURN(call.organization, ParseParent(parent));
  FIELDWORK_RETURN_IF_ERROR(deps.authorizer->Authorize(
      context, call.caller, AccessTarget::Organization(call.organization)));
  return call;
}

// The optional caller-chosen id of a Create request (field `field`); empty means "pick one".
inline void CheckChosenId(absl::string_view field, absl::string_view id, FieldErrors& errors) {
  if (id.empty()) return;
  if (absl::Status valid = ValidateId(id); !valid.ok()) errors.Add(field, valid.message());
}

// An authenticated, authorized call about one roster resource.
struct NamedRosterCall {
  Principal caller;
  ChildName name;
};

// Authenticates, parses `name` (field `field`) and authorizes the caller for the resource's
// organization, or with `self_access` for a member's own record.
template <typename Resource>
absl::StatusOr<NamedRosterCall> BeginNamedRosterCall(const SchedulingDeps& deps,
                                                     grpc::ServerContextBase* context,
                                                     absl::string_view field,
                                                     absl::string_view name, bool self_access) {
  using Kind = RosterKind<Resource>;
  NamedRosterCall call;
  FIELDWORK_ASSIGN_OR_RETURN(call.caller, deps.authorizer->Authenticate(context));
  FIELDWORK_ASSIGN_OR_RETURN(call.name, NameField(field, Kind::ParseName(name)));
  const std::string& organization = call.name.organization;
  FIELDWORK_RETURN_IF_ERROR(deps.authorizer->Authorize(
      context, call.caller,
      Kind::kSelfAccess && self_access
          ? AccessTarget::Member(organization, Kind::FormatName(organization, call.name.id))
          : AccessTarget::Organization(organization)));
  return call;
}

// Writes `after` (over `before`, or as new when null) with its change-feed entry of `type` at
// `time` and the request record, in one atomic step.
template <typename Resource>
absl::Status CommitRosterResource(const RosterStore& store, const std::string& organization,
                                  const Stored<Resource>* before, const Resource& after,
                                  v1::ChangeType type, const Principal& caller,
                                  const google::protobuf::Timestamp& time,
                                  const RequestRecord& record, absl::Time deadline) {
  RosterWrite write(organization);
  RosterKind<Resource>::Put(write, before, after);
  v1::Change change = RosterChange(type, after.name(), caller, time);
  *RosterKind<Resource>::Snapshot(change) = after;
  write.AddChange(change);
  return store.Commit(write, record, after, deadline);
}

// GetMember, GetUnit, GetVenue.
template <typename Resource>
absl::StatusOr<Resource> GetRosterResource(const SchedulingDeps& deps,
                                           grpc::ServerContextBase* context,
                                           absl::string_view name) {
  FIELDWORK_ASSIGN_OR_RETURN(
      const NamedRosterCall call,
      BeginNamedRosterCall<Resource>(deps, context, "name", name, /*self_access=*/true));
  FIELDWORK_ASSIGN_OR_RETURN(
      Stored<Resource> stored,
      RosterKind<Resource>::Read(RosterStore(deps.redis), call.name.organization, call.name.id,
                                 CallDeadline(context, deps.rpc_budget)));
  return std::move(stored.record);
}

// Creates `resource` (already validated) as `id` in `organization`, once per request_id.
// `prepare` runs on every attempt before the write: the checks against other records, and
// defaults of the kind.
template <typename Resource>
absl::StatusOr<Resource> CreateRosterResource(
    const SchedulingDeps& deps, const Principal& caller, const std::string& organization,
    const RequestRecord& record, const std::string& id, const Resource& resource,
    absl::Time deadline,
    const std::function<absl::Status(const RosterStore&, Resource&)>& prepare) {
  using Kind = RosterKind<Resource>;
  FIELDWORK_RETURN_IF_ERROR(OrganizationStore(deps.redis).CheckExists(organization, deadline));
  const RosterStore store(deps.redis);
  return RunOnce<Resource>(record, deadline, [&]() -> absl::StatusOr<Resource> {
    return RetryOnChange<Resource>(record, [&]() -> absl::StatusOr<Resource> {
      Resource created = resource;
      ClearOutputOnly(created);
      FIELDWORK_RETURN_IF_ERROR(prepare(store, created));
      created.set_name(Kind::FormatName(organization, id));
      *created.mutable_create_time() = ToTimestamp(absl::Now());
      *created.mutable_update_time() = created.create_time();
      FIELDWORK_RETURN_IF_ERROR(
          CommitRosterResource<Resource>(store, organization, nullptr, created, Kind::kCreated,
                                         caller, created.create_time(), record, deadline));
      return created;
    });
  });
}

// UpdateMember, UpdateUnit, UpdateVenue: applies the request's update mask to the stored resource
// once per request_id. `may_change` refuses masks the caller may not apply; `check` validates the
// changed resource (field names under the kind's field) and checks it against other records.
template <typename Resource, typename Request>
absl::StatusOr<Resource> UpdateRosterResource(
    const SchedulingDeps& deps, grpc::ServerContextBase* context, absl::string_view method,
    const Request& request, const Resource& changes,
    const std::function<absl::Status(const Principal&, const Request&)>& may_change,
    const std::function<absl::Status(const RosterStore&, const ChildName&, const Resource&,
                                     absl::Time)>& check) {
  using Kind = RosterKind<Resource>;
  FIELDWORK_ASSIGN_OR_RETURN(
      const NamedRosterCall call,
      BeginNamedRosterCall<Resource>(deps, context, absl::StrCat(Kind::kField, ".name"),
                                     changes.name(), /*self_access=*/true));
  FIELDWORK_RETURN_IF_ERROR(may_change(call.caller, request));
  FieldErrors errors;
  CheckUpdateMask(request.update_mask(), Kind::Mask(), errors);
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const ChildName& name = call.name;
  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const RosterStore store(deps.redis);
  const RequestRecord record(deps.idempotency, name.organization, RosterMethod(method), request);
  return RunOnce<Resource>(record, deadline, [&]() -> absl::StatusOr<Resource> {
    return RetryOnChange<Resource>(record, [&]() -> absl::StatusOr<Resource> {
      FIELDWORK_ASSIGN_OR_RETURN(const Stored<Resource> before,
                                 Kind::Read(store, name.organization, name.id, deadline));
      Resource after = before.record;
      ApplyUpdateMask(request.update_mask(), Kind::Mask(), changes, after);
      FIELDWORK_RETURN_IF_ERROR(check(store, name, after, deadline));
      *after.mutable_update_time() = ToTimestamp(absl::Now());
      FIELDWORK_RETURN_IF_ERROR(
          CommitRosterResource<Resource>(store, name.organization, &before, after, Kind::kUpdated,
                                         call.caller, after.update_time(), record, deadline));
      return after;
    });
  });
}

// Fills a List response from one page of the store: the items, the total and, when more follow,
// the token resuming after the last item.
template <typename Resource, typename Response>
void FillRosterPage(RosterPage<Resource> page, absl::string_view digest,
                    google::protobuf::RepeatedPtrField<Resource>& items, Response& response) {
  for (Resource& item : page.items) *items.Add() = std::move(item);
  response.set_total_size(page.total);
  if (page.more) {
    const std::string& last = items.Get(items.size() - 1).name();
    response.set_next_page_token(
        EncodePageToken(digest, RosterKind<Resource>::ParseName(last)->id));
  }
}

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_KIND_H_
