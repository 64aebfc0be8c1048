// The audit policy and the entry of one finished call (see audit_entry.h).
#include "common/audit/audit_entry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/errors.h"

namespace fieldwork {
namespace {

namespace v1 = ::fieldwork::common::v1;

constexpr absl::string_view kReadVerbs[] = {"Get", "List", "Find", "Watch"};

absl::string_view MethodName(absl::string_view full_method) {
  const size_t slash = full_method.rfind('/');
  return slash == absl::string_view::npos ? full_method : full_method.substr(slash + 1);
}

bool IsCreate(absl::string_view full_method) {
  return absl::StartsWith(MethodName(full_method), "Create");
}

// The organization id of a resource name "organizations/{id}[/...]", "" when it is not one.
std::string OrganizationOf(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "organizations/")) return "";
  const absl::string_view id = name.substr(0, name.find('/'));
  return ValidateOrganizationId(id).ok() ? std::string(id) : "";
}

bool LiesIn(absl::string_view name, absl::string_view organization) {
  const std::string root = FormatOrganizationName(organization);
  return name == root || absl::StartsWith(name, absl::StrCat(root, "/"));
}

v1::CallerRole CallerRoleOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return v1::CALLER_ROLE_ADMIN;
    case Role::kOrgAdmin:
      return v1::CALLER_ROLE_ORG_ADMIN;
    case Role::kStaff:
      return v1::CALLER_ROLE_STAFF;
    case Role::kMember:
      return v1::CALLER_ROLE_MEMBER;
    case Role::kService:
      return v1::CALLER_ROLE_SERVICE;
  }
  return v1::CALLER_ROLE_UNSPECIFIED;
}

std::string EntryOrganization(const FinishedCall& call) {
  const RpcCallInfo& info = call.info;
  const bool all_organizations = info.scope == kAllOrganizations;
  if (info.authenticated) {
    if (!info.organization.empty() && (all_organizations || info.scope == info.organization)) {
      return info.organization;
    }
    if (!all_organizations) return info.scope;
  }
  return OrganizationNamedBy(info.request_names,
                             call.status.ok() ? call.response_names : std::vector<std::string>{});
}

std::string ErrorReasonOf(const grpc::Status& status) {
  if (status.ok()) return "";
  const std::optional<v1::ErrorInfo> info = GetErrorInfo(FromGrpcStatus(status));
  return info.has_value() ? info->reason() : "";
}

}  // namespace

bool IsAuditedMethod(absl::string_view full_method) {
  const absl::string_view name = MethodName(full_method);
  for (const absl::string_view verb : kReadVerbs) {
    if (absl::StartsWith(name, verb)) return false;
  }
  return true;
}

bool IsAuditedCall(absl::string_view full_method, grpc::StatusCode code) {
  return IsAuditedMethod(full_method) || code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::UNAUTHENTICATED;
}

std::string AuditResource(absl::string_view full_method,
                          const std::vector<std::string>& request_names,
                          const std::vector<std::string>& response_names, bool succeeded,
                          absl::string_view organization) {
  if (succeeded && IsCreate(full_method)) {
    for (const std::string& created : response_names) {
      if (LiesIn(created, organization)) return created;
    }
  }
  for (const std::string& name : request_names) {
    if (LiesIn(name, organization)) return name;
  }
  return FormatOrganizationName(organization);
}

std::string OrganizationNamedBy(const std::vector<std::string>& request_names,
                                const std::vector<std::string>& response_names) {
  for (const std::vector<std::string>* names : {&response_names, &request_names}) {
    for (const std::string& name : *names) {
      if (std::string id = OrganizationOf(name); !id.empty()) return id;
    }
  }
  return "";
}

std::optional<PendingAuditEntry> AuditEntryFor(const FinishedCall& call,
                                               absl::string_view service) {
  const RpcCallInfo& info = call.info;
  if (!IsAuditedCall(info.method, call.status.error_code())) return std::nullopt;
  PendingAuditEntry pending;
  pending.organization = EntryOrganization(call);
  if (pending.organization.empty()) return std::nullopt;
  pending.may_create_stream = info.authenticated;

  v1::AuditEntry& entry = pending.entry;
  *entry.mutable_time() = ToTimestamp(call.time);
  entry.set_service(std::string(service));
  entry.set_method(info.method);
  if (info.authenticated) {
    v1::Caller direct;
    direct.set_subject(info.subject);
    direct.set_role(CallerRoleOf(info.role));
    if (info.via.empty()) {
      *entry.mutable_caller() = direct;
    } else {
      entry.mutable_caller()->set_subject(info.via);
      entry.mutable_caller()->set_role(v1::CALLER_ROLE_SERVICE);
      *entry.mutable_original_caller() = direct;
    }
  }
  entry.set_request_id(info.request_id);
  entry.set_resource(AuditResource(info.method, info.request_names, call.response_names,
                                   call.status.ok(), pending.organization));
  entry.set_status_code(static_cast<int32_t>(call.status.error_code()));
  entry.set_error_reason(ErrorReasonOf(call.status));
  entry.set_replayed(info.replayed);
  entry.set_peer(call.peer);
  return pending;
}

}  // namespace fieldwork
