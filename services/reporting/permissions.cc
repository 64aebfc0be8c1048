// Who may call each RPC of the reporting service. Entries look like
//   {"/fieldwork.reporting.v1.ReportingService/Method",
//   Permission::AtLeast(Role::kStaff).OrService()},
#include "services/reporting/permissions.h"

namespace fieldwork::reporting {

const PermissionTable& ReportingPermissions() {
  static const PermissionTable* const table = new PermissionTable{};
  return *table;
}

}  // namespace fieldwork::reporting
