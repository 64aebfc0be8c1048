// The pure half of `fieldctl audit list`: the method and resource flags turned into the
// ListAuditEntries filters, the trails of the three services merged newest first, and the table.
#ifndef FIELDWORK_TOOLS_FIELDCTL_AUDIT_LISTING_H_
#define FIELDWORK_TOOLS_FIELDCTL_AUDIT_LISTING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/common/v1/audit.pb.h"
#include "tools/fieldctl/resource_tables.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

// A full method name as given ("/fieldwork.scheduling.v1.SchedulingService/CancelEvent"), or the
// full name of a bare one ("CancelEvent") found among the fieldwork services; INVALID_ARGUMENT
// naming --method for a name no service has.
absl::StatusOr<std::string> AuditMethodArg(absl::string_view arg);

// A resource name as given when it starts with "organizations/", else the name relative to
// `organization` ("events/trip1" → "organizations/{organization}/events/trip1").
std::string AuditResourceArg(absl::string_view organization, absl::string_view arg);

// Every entry of `trails` newest first (by time, then name), each entry once (two trails are the
// same server when the context points the three services at one address), at most `limit`
// entries (0: all).
std::vector<fieldwork::common::v1::AuditEntry> MergeAuditTrails(
    const std::vector<std::vector<fieldwork::common::v1::AuditEntry>>& trails, size_t limit);

// TIME (in `zone`), SERVICE, METHOD (without its service), CALLER ("reporting for staff-li" for a
// forwarded call), RESOURCE (short), CODE ("OK" or the code's name), REASON, REPLAYED.
Table AuditTable(const Items<fieldwork::common::v1::AuditEntry>& items, const absl::TimeZone& zone);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_AUDIT_LISTING_H_
