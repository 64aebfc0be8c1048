// The permission of every RPC the scheduling service serves: the one place that says who may call
// what.
#ifndef FIELDWORK_SERVICES_SCHEDULING_PERMISSIONS_H_
#define FIELDWORK_SERVICES_SCHEDULING_PERMISSIONS_H_

#include "common/permissions.h"

namespace fieldwork::scheduling {

// Full method name → permission, for every method of every service this binary registers; the
// server runner refuses to start when a registered method has no entry here.
const PermissionTable& SchedulingPermissions();

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_PERMISSIONS_H_
