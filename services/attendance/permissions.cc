// Who may call each RPC of the attendance service (the contract is in attendance_service.proto):
// staff and above for everything; a member for its own record where the proto says "member:
// itself"; the service role for reads (reporting calling on its own account).
#include "services/attendance/permissions.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace fieldwork::attendance {

const PermissionTable& AttendancePermissions() {
  static const PermissionTable* const table = [] {
    auto* permissions = new PermissionTable();
    auto attendance = [&](const char* method, Permission permission) {
      permissions->emplace(absl::StrCat("/fieldwork.attendance.v1.AttendanceService/", method),
                           permission);
    };
    const Permission staff = Permission::AtLeast(Role::kStaff);
    for (const char* method : {"Respond", "RequestLeave", "CheckIn", "CheckOut"}) {
      attendance(method, staff.OrMemberSelf());
    }
    for (const char* method :
         {"DecideLeave", "BatchCheckIn", "IssueCheckInCode", "FinalizeEvent", "CorrectOutcome"}) {
      attendance(method, staff);
    }
    for (const char* method : {"GetAttendance", "ListAttendance"}) {
      attendance(method, staff.OrService().OrMemberSelf());
    }
    permissions->emplace(kListAuditEntriesMethod, AuditPermission());
    return permissions;
  }();
  return *table;
}

}  // namespace fieldwork::attendance
