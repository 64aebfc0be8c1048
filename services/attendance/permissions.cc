// Who may call each RPC of the attendance service. Entries look like
//   {"/fieldwork.attendance.v1.AttendanceService/Method",
//   Permission::AtLeast(Role::kStaff).OrService()},
#include "services/attendance/permissions.h"

namespace fieldwork::attendance {

const PermissionTable& AttendancePermissions() {
  static const PermissionTable* const table = new PermissionTable{};
  return *table;
}

}  // namespace fieldwork::attendance
