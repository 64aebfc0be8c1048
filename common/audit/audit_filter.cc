// ListAuditEntries filters: checks and matching (see audit_filter.h).
#include "common/audit/audit_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"

namespace fieldwork {

absl::StatusOr<AuditQuery> ParseAuditQuery(
    const fieldwork::common::v1::ListAuditEntriesRequest& request) {
  FieldErrors errors;
  AuditQuery query;
  if (absl::StatusOr<std::string> organization = ParseOrganizationName(request.parent());
      organization.ok()) {
    query.organization = *std::move(organization);
  } else {
    errors.Add("parent", organization.status().message());
  }
  query.page_size =
      CheckPageSize(request.page_size(), kDefaultAuditPageSize, kMaxAuditPageSize, errors);
  if (std::optional<Interval> range = CheckFilterRange("time_range", request.time_range(), errors);
      range.has_value()) {
    query.time_range = *range;
  }
  CheckText("subject", request.subject(), 0, 200, errors);
  CheckText("method", request.method(), 0, 200, errors);
  CheckText("resource", request.resource(), 0, 300, errors);
  if (!request.method().empty() && !absl::StartsWith(request.method(), "/")) {
    errors.Add("method",
               "must be a full method name such as /fieldwork.scheduling.v1."
               "SchedulingService/CreateEvent");
  }
  if (!request.resource().empty() && !absl::StartsWith(request.resource(), "organizations/")) {
    errors.Add("resource", "must be a resource name starting with organizations/");
  }
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  query.subject = request.subject();
  query.method = request.method();
  query.resource = request.resource();
  query.failures_only = request.failures_only();
  return query;
}

bool MatchesAuditQuery(const fieldwork::common::v1::AuditEntry& entry, const AuditQuery& query) {
  const absl::Time time = ToTime(entry.time());
  if (time < query.time_range.start || time >= query.time_range.end) return false;
  if (!query.subject.empty() && entry.caller().subject() != query.subject &&
      entry.original_caller().subject() != query.subject) {
    return false;
  }
  if (!query.method.empty() && entry.method() != query.method) return false;
  if (!query.resource.empty() && entry.resource() != query.resource &&
      !absl::StartsWith(entry.resource(), absl::StrCat(query.resource, "/"))) {
    return false;
  }
  return !query.failures_only || entry.status_code() != 0;
}

}  // namespace fieldwork
