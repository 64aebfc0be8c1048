// Organizations: create, read, list and update an organization and its settings. Settings rules
// and defaults live in organization_settings.h, Redis in organization_store.h.
#include <functional>
#include <string>
#include <utility>

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
#include "services/scheduling/organization_settings.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kDefaultOrganizationPageSize = 50;
constexpr int kMaxOrganizationPageSize = 500;
// Updates without an etag re-read and retry this often when another update commits in between.
constexpr int kUpdateAttempts = 5;

std::string Method(absl::string_view name) {
  return absl::StrCat(v1::SchedulingService::service_full_name(), "/", name);
}

absl::Status StaleEtag(absl::string_view name) {
  return WithReason(absl::AbortedError(absl::StrCat(
                        name, " changed since the etag was read; read it again and retry")),
                    common::v1::ERROR_REASON_STALE_ETAG);
}

// Clears what clients may not set; the server fills it in.
void ClearOutputOnly(v1::Organization& organization) {
  organization.clear_name();
  organization.clear_etag();
  organization.clear_create_time();
  organization.clear_update_time();
  organization.clear_created_by();
  organization.clear_updated_by();
}

absl::StatusOr<v1::Organization> CreateOrganization(const SchedulingDeps& deps,
                                                    grpc::ServerContextBase* context,
                                                    const v1::CreateOrganizationRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller,
                             deps.authorizer->Authorize(context, AccessTarget::AllOrganizations()));
  FieldErrors errors;
  if (absl::Status valid = ValidateOrganizationId(request.organization_id()); !valid.ok()) {
    errors.Add("organization_id", valid.message());
  }
  if (!request.has_organization()) {
    errors.Add("organization", "is required");
  } else {
    ValidateOrganization(request.organization(), "organization", errors);
  }
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const std::string& id = request.organization_id();
  const RequestRecord record(deps.idempotency, id, Method("CreateOrganization"), request);
  return RunOnce<v1::Organization>(record, deadline, [&]() -> absl::StatusOr<v1::Organization> {
    v1::Organization organization = request.organization();
    ClearOutputOnly(organization);
    const bool custom_table = organization.reporting_settings().has_scoring_table();
    ApplyOrganizationDefaults(organization);
    const google::protobuf::Timestamp now = ToTimestamp(absl::Now());
    v1::ScoringTable& table = *organization.mutable_reporting_settings()->mutable_scoring_table();
    table.set_version(1);
    if (custom_table) *table.mutable_update_time() = now;
    organization.set_name(FormatOrganizationName(id));
    *organization.mutable_create_time() = now;
    *organization.mutable_update_time() = now;
    organization.set_created_by(caller.subject);
    organization.set_updated_by(caller.subject);
    organization.set_etag(OrganizationEtag(organization));
    FIELDWORK_RETURN_IF_ERROR(
        OrganizationStore(deps.redis).Create(id, organization, record, deadline));
    return organization;
  });
}

absl::StatusOr<v1::Organization> GetOrganization(const SchedulingDeps& deps,
                                                 grpc::ServerContextBase* context,
                                                 const v1::GetOrganizationRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authenticate(context));
  FIELDWORK_ASSIGN_OR_RETURN(const std::string organization,
                             NameField("name", ParseOrganizationName(request.name())));
  FIELDWORK_RETURN_IF_ERROR(
      deps.authorizer->Authorize(context, caller, AccessTarget::Organization(organization)));
  return OrganizationStore(deps.redis)
      .GetOrganization(organization, CallDeadline(context, deps.rpc_budget));
}

absl::StatusOr<v1::ListOrganizationsResponse> ListOrganizations(
    const SchedulingDeps& deps, grpc::ServerContextBase* context,
    const v1::ListOrganizationsRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authenticate(context));
  // A caller confined to one organization lists just that one.
  const AccessTarget target = caller.all_organizations()
                                  ? AccessTarget::AllOrganizations()
                                  : AccessTarget::Organization(caller.organization);
  FIELDWORK_RETURN_IF_ERROR(deps.authorizer->Authorize(context, caller, target));
  FieldErrors errors;
  const int page_size = CheckPageSize(request.page_size(), kDefaultOrganizationPageSize,
                                      kMaxOrganizationPageSize, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  const std::string digest = FilterDigest(request);
  FIELDWORK_ASSIGN_OR_RETURN(const std::string after,
                             DecodePageToken(request.page_token(), digest));

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const OrganizationStore store(deps.redis);
  v1::ListOrganizationsResponse response;
  if (!caller.all_organizations()) {
    absl::StatusOr<v1::Organization> own = store.GetOrganization(caller.organization, deadline);
    if (absl::IsNotFound(own.status())) return response;
    if (!own.ok()) return own.status();
    response.set_total_size(1);
    if (after.empty()) *response.add_organizations() = *std::move(own);
    return response;
  }
  FIELDWORK_ASSIGN_OR_RETURN(OrganizationStore::Page page, store.List(after, page_size, deadline));
  for (v1::Organization& organization : page.organizations) {
    *response.add_organizations() = std::move(organization);
  }
  response.set_total_size(page.total);
  if (page.more) {
    const v1::Organization& last = response.organizations(response.organizations_size() - 1);
    absl::StatusOr<std::string> last_id = ParseOrganizationName(last.name());
    if (!last_id.ok()) return absl::DataLossError(absl::StrCat("bad stored name ", last.name()));
    response.set_next_page_token(EncodePageToken(digest, *last_id));
  }
  return response;
}

// The organization `before` with the masked fields of `request` applied, checked, completed with
// defaults, and stamped for `caller`; INVALID_ARGUMENT naming the fields that break a rule.
absl::StatusOr<v1::Organization> Updated(const v1::Organization& before,
                                         const v1::UpdateOrganizationRequest& request,
                                         const Principal& caller) {
  v1::Organization after = before;
  ApplyOrganizationMask(request.update_mask(), request.organization(), after);
  FieldErrors errors;
  ValidateOrganization(after, "organization", errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  ApplyOrganizationDefaults(after);
  const google::protobuf::Timestamp now = ToTimestamp(absl::Now());
  const v1::ScoringTable& old_table = before.reporting_settings().scoring_table();
  v1::ScoringTable& table = *after.mutable_reporting_settings()->mutable_scoring_table();
  if (ScoringTableChanged(old_table, table)) {
    table.set_version(old_table.version() + 1);
    *table.mutable_update_time() = now;
  } else {
    table.set_version(old_table.version());
    *table.mutable_update_time() = old_table.update_time();
  }
  *after.mutable_update_time() = now;
  after.set_updated_by(caller.subject);
  after.set_etag(OrganizationEtag(after));
  return after;
}

absl::StatusOr<v1::Organization> UpdateOrganization(const SchedulingDeps& deps,
                                                    grpc::ServerContextBase* context,
                                                    const v1::UpdateOrganizationRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authenticate(context));
  FIELDWORK_ASSIGN_OR_RETURN(
      const std::string id,
      NameField("organization.name", ParseOrganizationName(request.organization().name())));
  FIELDWORK_RETURN_IF_ERROR(
      deps.authorizer->Authorize(context, caller, AccessTarget::Organization(id)));
  FieldErrors errors;
  CheckOrganizationMask(request.update_mask(), errors);
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const OrganizationStore store(deps.redis);
  const RequestRecord record(deps.idempotency, id, Method("UpdateOrganization"), request);
  const std::string& etag = request.organization().etag();
  return RunOnce<v1::Organization>(record, deadline, [&]() -> absl::StatusOr<v1::Organization> {
    for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
      FIELDWORK_ASSIGN_OR_RETURN(const OrganizationStore::Snapshot before,
                                 store.Read(id, deadline));
      if (!etag.empty() && etag != before.organization.etag())
        return StaleEtag(request.organization().name());
      FIELDWORK_ASSIGN_OR_RETURN(v1::Organization after,
                                 Updated(before.organization, request, caller));
      v1::Change change;
      change.set_change_type(v1::CHANGE_TYPE_ORGANIZATION_UPDATED);
      change.set_resource(after.name());
      *change.mutable_change_time() = after.update_time();
      change.set_actor(caller.subject);
      *change.mutable_organization() = after;
      const absl::Status written = store.Update(id, before, after, change, record, deadline);
      if (OrganizationStore::ChangedMeanwhile(written, id)) {
        if (!etag.empty()) return StaleEtag(after.name());
        continue;
      }
      FIELDWORK_RETURN_IF_ERROR(written);
      return after;
    }
    return absl::AbortedError(
        absl::StrCat(FormatOrganizationName(id), " kept changing; retry the update"));
  });
}

}  // namespace

grpc::Status SchedulingServiceImpl::CreateOrganization(grpc::ServerContextBase* context,
                                                       const v1::CreateOrganizationRequest* request,
                                                       v1::Organization* response) {
  return Answer(scheduling::CreateOrganization(deps_, context, *request), response);
}

grpc::Status SchedulingServiceImpl::GetOrganization(grpc::ServerContextBase* context,
                                                    const v1::GetOrganizationRequest* request,
                                                    v1::Organization* response) {
  return Answer(scheduling::GetOrganization(deps_, context, *request), response);
}

grpc::Status SchedulingServiceImpl::ListOrganizations(grpc::ServerContextBase* context,
                                                      const v1::ListOrganizationsRequest* request,
                                                      v1::ListOrganizationsResponse* response) {
  return Answer(scheduling::ListOrganizations(deps_, context, *request), response);
}

grpc::Status SchedulingServiceImpl::UpdateOrganization(grpc::ServerContextBase* context,
                                                       const v1::UpdateOrganizationRequest* request,
                                                       v1::Organization* response) {
  return Answer(scheduling::UpdateOrganization(deps_, context, *request), response);
}

}  // namespace fieldwork::scheduling
