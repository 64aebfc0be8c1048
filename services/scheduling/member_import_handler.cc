// ImportMembers: creates or updates up to 2,000 members in one all-or-nothing step, naming every
// bad field by row (e.g. `members[17].display_name`) when anything is invalid.
#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/grpc_answer.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_service.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kMaxRows = 2000;
constexpr int kMaxViolations = 1000;

// FieldErrors that keep at most kMaxViolations violations.
class CappedErrors {
 public:
  // Adds the violations of `row` (a FieldErrors of one row) while there is room.
  void Merge(const FieldErrors& row) {
    const std::optional<fieldwork::common::v1::FieldViolations> violations =
        GetFieldViolations(row.ToStatus());
    if (!violations.has_value()) return;
    for (const auto& violation : violations->violations()) {
      if (count_ == kMaxViolations) return;
      errors_.Add(violation.field(), violation.description());
      ++count_;
    }
  }
  absl::Status ToStatus() const { return errors_.ToStatus(); }

 private:
  FieldErrors errors_;
  int count_ = 0;
};

bool SameMember(const v1::Member& a, const v1::Member& b) {
  v1::Member left = a;
  v1::Member right = b;
  left.clear_update_time();
  right.clear_update_time();
  return google::protobuf::util::MessageDifferencer::Equals(left, right);
}

// What one row does.
struct PlannedRow {
  const Stored<v1::Member>* before = nullptr;  // null: creates the member
  v1::Member after;
  bool changes = true;
};

// The ids the rows name (well-formed names of `organization`), the unit ids they list, and every
// problem of their names under `members[i].name`.
struct RowNames {
  std::vector<std::string> ids;  // per row; "" when the name is bad
  std::vector<std::string> unit_ids;
};

RowNames CheckRowNames(const v1::ImportMembersRequest& request, absl::string_view organization,
                       std::vector<FieldErrors>& row_errors) {
  RowNames names;
  absl::flat_hash_set<std::string> seen;
  absl::flat_hash_set<std::string> units;
  for (int i = 0; i < request.members_size(); ++i) {
    const v1::Member& row = request.members(i);
    const std::string field = absl::StrCat("members[", i, "].name");
    absl::StatusOr<ChildName> name = ParseMemberName(row.name());
    std::string id;
    if (row.name().empty()) {
      row_errors[i].Add(field, "is required: it picks the member to create or update");
    } else if (!name.ok()) {
      row_errors[i].Add(field, name.status().message());
    } else if (name->organization != organization) {
      row_errors[i].Add(field, "names no member of this organization");
    } else if (!seen.insert(name->id).second) {
      row_errors[i].Add(field, "names a member of an earlier row");
    } else {
      id = name->id;
    }
    names.ids.push_back(id);
    for (const std::string& unit : MemberUnitIds(row)) {
      if (units.insert(unit).second) names.unit_ids.push_back(unit);
    }
  }
  return names;
}

// Plans every row against the members and units that exist; INVALID_ARGUMENT naming every bad
// field (at most kMaxViolations) when any row is invalid.
absl::StatusOr<std::vector<PlannedRow>> PlanRows(
    const v1::ImportMembersRequest& request, absl::string_view organization,
    const absl::flat_hash_map<std::string, Stored<v1::Member>>& existing, const UnitsById& units,
    const RowNames& names, std::vector<FieldErrors>& row_errors) {
  google::protobuf::FieldMask mask = request.update_mask();
  if (mask.paths().empty()) mask.add_paths("*");
  const google::protobuf::Timestamp now = ToTimestamp(absl::Now());
  std::vector<PlannedRow> rows(request.members_size());
  CappedErrors errors;
  for (int i = 0; i < request.members_size(); ++i) {
    const std::string prefix = absl::StrCat("members[", i, "]");
    v1::Member row = request.members(i);
    const std::string name = row.name();
    ClearOutputOnly(row);
    PlannedRow& planned = rows[i];
    const auto found = existing.find(names.ids[i]);
    if (found != existing.end()) {
      planned.before = &found->second;
      // A row without a status (e.g. a CSV without that column) keeps the member's.
      if (row.status() == v1::MEMBER_STATUS_UNSPECIFIED)
        row.set_status(found->second.record.status());
      planned.after = found->second.record;
      ApplyUpdateMask(mask, MemberMask(), row, planned.after);
      ValidateMember(planned.after, organization, prefix, /*creating=*/false, row_errors[i]);
      planned.changes = !SameMember(planned.after, found->second.record);
      *planned.after.mutable_update_time() =
          planned.changes ? now : found->second.record.update_time();
    } else {
      ValidateMember(row, organization, prefix, /*creating=*/true, row_errors[i]);
      planned.after = std::move(row);
      planned.after.set_name(name);
      if (planned.after.status() == v1::MEMBER_STATUS_UNSPECIFIED) {
        planned.after.set_status(v1::MEMBER_STATUS_ACTIVE);
      }
      *planned.after.mutable_create_time() = now;
      *planned.after.mutable_update_time() = now;
    }
    CheckMemberUnits(planned.after, units, prefix, row_errors[i]);
    errors.Merge(row_errors[i]);
  }
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  return rows;
}

absl::StatusOr<v1::ImportMembersResponse> ImportMembers(const SchedulingDeps& deps,
                                                        grpc::ServerContextBase* context,
                                                        const v1::ImportMembersRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authenticate(context));
  FIELDWORK_ASSIGN_OR_RETURN(const std::string organization, ParseParent(request.parent()));
  FIELDWORK_RETURN_IF_ERROR(
      deps.authorizer->Authorize(context, caller, AccessTarget::Organization(organization)));
  FieldErrors errors;
  if (request.members_size() < 1 || request.members_size() > kMaxRows) {
    errors.Add("members", "must hold 1-2000 rows");
  }
  if (!request.update_mask().paths().empty()) {
    CheckUpdateMask(request.update_mask(), MemberMask(), errors);
  }
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  FIELDWORK_RETURN_IF_ERROR(OrganizationStore(deps.redis).CheckExists(organization, deadline));
  const RosterStore store(deps.redis);
  const RequestRecord record(deps.idempotency, organization, RosterMethod("ImportMembers"),
                             request);
  const std::function<absl::StatusOr<v1::ImportMembersResponse>()> import =
      [&]() -> absl::StatusOr<v1::ImportMembersResponse> {
    std::vector<FieldErrors> row_errors(request.members_size());
    const RowNames names = CheckRowNames(request, organization, row_errors);
    FIELDWORK_ASSIGN_OR_RETURN(const auto existing,
                               store.GetMembers(organization, names.ids, deadline));
    FIELDWORK_ASSIGN_OR_RETURN(const auto units,
                               store.GetUnits(organization, names.unit_ids, deadline));
    FIELDWORK_ASSIGN_OR_RETURN(
        const std::vector<PlannedRow> rows,
        PlanRows(request, organization, existing, UnitRecords(units), names, row_errors));
    v1::ImportMembersResponse response;
    RosterWrite write(organization);
    for (const PlannedRow& row : rows) {
      response.add_names(row.after.name());
      if (!row.changes) {
        response.set_unchanged_count(response.unchanged_count() + 1);
        continue;
      }
      if (row.before == nullptr) {
        response.set_created_count(response.created_count() + 1);
      } else {
        response.set_updated_count(response.updated_count() + 1);
      }
      write.PutMember(row.before, row.after);
      v1::Change change = RosterChange(
          row.before == nullptr ? v1::CHANGE_TYPE_MEMBER_CREATED : v1::CHANGE_TYPE_MEMBER_UPDATED,
          row.after.name(), caller, row.after.update_time());
      *change.mutable_member() = row.after;
      write.AddChange(change);
    }
    if (request.validate_only()) return response;
    FIELDWORK_RETURN_IF_ERROR(store.Commit(write, record, response, deadline));
    return response;
  };
  const std::function<absl::StatusOr<v1::ImportMembersResponse>()> retried = [&]() {
    return RetryOnChange<v1::ImportMembersResponse>(record, import);
  };
  if (request.validate_only()) return import();
  return RunOnce<v1::ImportMembersResponse>(record, deadline, retried);
}

}  // namespace

grpc::Status RosterServiceImpl::ImportMembers(grpc::ServerContextBase* context,
                                              const v1::ImportMembersRequest* request,
                                              v1::ImportMembersResponse* response) {
  return Answer(scheduling::ImportMembers(deps_, context, *request), response);
}

}  // namespace fieldwork::scheduling
