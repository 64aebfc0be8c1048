// The permission of every RPC the reporting service serves: the one place that says who may call
// what.
#ifndef FIELDWORK_SERVICES_REPORTING_PERMISSIONS_H_
#define FIELDWORK_SERVICES_REPORTING_PERMISSIONS_H_

#include "common/permissions.h"

namespace fieldwork::reporting {

// Full method name → permission, for every method of every service this binary registers; the
// server runner refuses to start when a registered method has no entry here.
const PermissionTable& ReportingPermissions();

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_PERMISSIONS_H_
