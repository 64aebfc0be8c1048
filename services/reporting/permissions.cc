// Who may call each RPC of the reporting service (reporting_service.proto): staff and above for
// every report; a member for its own member report and its own MEMBER_* exports.
#include "services/reporting/permissions.h"

#include "absl/strings/str_cat.h"

namespace fieldwork::reporting {

const PermissionTable& ReportingPermissions() {
  static const PermissionTable* const table = [] {
    auto* permissions = new PermissionTable();
    auto reporting = [&](const char* method, Permission permission) {
      permissions->emplace(absl::StrCat("/fieldwork.reporting.v1.ReportingService/", method),
                           permission);
    };
    const Permission staff = Permission::AtLeast(Role::kStaff);
    reporting("GetMemberReport", staff.OrMemberSelf());
    reporting("ExportReport", staff.OrMemberSelf());
    for (const char* method : {"GetUnitReport", "GetEventSheet", "GetOrganizationSummary"}) {
      reporting(method, staff);
    }
    permissions->emplace(kListAuditEntriesMethod, AuditPermission());
    return permissions;
  }();
  return *table;
}

}  // namespace fieldwork::reporting
