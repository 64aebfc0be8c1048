// Who may call each RPC of the scheduling service (the "Roles:" line of each RPC's proto comment).
// Member-self entries let a member through only where the handler names that member as the target.
#include "services/scheduling/permissions.h"

#include <string>

namespace fieldwork::scheduling {
namespace {

constexpr char kScheduling[] = "/fieldwork.scheduling.v1.SchedulingService/";
constexpr char kRoster[] = "/fieldwork.scheduling.v1.RosterService/";

}  // namespace

const PermissionTable& SchedulingPermissions() {
  static const PermissionTable* const table = [] {
    const Permission admin = Permission::Roles({Role::kAdmin});
    const Permission org_admin = Permission::AtLeast(Role::kOrgAdmin);
    const Permission staff = Permission::AtLeast(Role::kStaff);
    const Permission staff_or_self = staff.OrMemberSelf();
    const Permission staff_or_service = staff.OrService();
    const Permission staff_service_or_self = staff.OrService().OrMemberSelf();
    const Permission anyone_of_org = Permission::AtLeast(Role::kMember).OrService();
    auto* t = new PermissionTable;
    const auto scheduling = [t](const std::string& method, Permission permission) {
      t->emplace(kScheduling + method, permission);
    };
    const auto roster = [t](const std::string& method, Permission permission) {
      t->emplace(kRoster + method, permission);
    };
    scheduling("CreateOrganization", admin);
    scheduling("GetOrganization", anyone_of_org);
    scheduling("ListOrganizations", anyone_of_org);
    scheduling("UpdateOrganization", org_admin);
    // Members read events they take part in; the handler names the member as the target.
    scheduling("GetEvent", staff_service_or_self);
    scheduling("ListEvents", staff_service_or_self);
    for (const char* method :
         {"CreateEvent", "UpdateEvent", "ScheduleEvent", "CancelEvent", "CompleteEvent",
          "CreateHold", "GetHold", "ListHolds", "ConfirmHold", "ReleaseHold", "FindSlots"}) {
      scheduling(method, staff);
    }
    for (const char* method :
         {"CreateBusyBlock", "ListBusyBlocks", "DeleteBusyBlock", "ExportCalendar"}) {
      scheduling(method, staff_or_self);
    }
    scheduling("WatchChanges", staff_service_or_self);

    for (const char* method :
         {"CreateMember", "DeleteMember", "ImportMembers", "CreateUnit", "UpdateUnit", "DeleteUnit",
          "CreateVenue", "UpdateVenue", "DeleteVenue"}) {
      roster(method, staff);
    }
    roster("GetMember", staff_service_or_self);
    roster("ListMembers", staff_or_service);
    roster("UpdateMember", staff_or_self);
    for (const char* method : {"GetUnit", "ListUnits", "GetVenue", "ListVenues"}) {
      roster(method, anyone_of_org);
    }
    t->emplace(kListAuditEntriesMethod, AuditPermission());
    return t;
  }();
  return *table;
}

}  // namespace fieldwork::scheduling
