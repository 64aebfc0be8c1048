// Which calls the audit trail records and what their entries say: the policy (every mutating RPC,
// every export, every denied call) and the AuditEntry of one finished call, built from what the
// runner's interceptor saw. Pure: no I/O.
//
// "Mutating" is decided here and only here, from the method name: every RPC is audited unless its
// name starts with a read verb (Get, List, Find, Watch). A new RPC is therefore audited until it is
// named as a read; exports (ExportReport, ExportCalendar) are audited by the same rule.
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_ENTRY_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_ENTRY_H_

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/finished_call.h"
#include "fieldwork/common/v1/audit.pb.h"

namespace fieldwork {

// True for every method but reads: "/pkg.Service/CreateEvent" yes, ".../GetEvent" no.
bool IsAuditedMethod(absl::string_view full_method);

// True when a call to `full_method` that ended with `code` is recorded: an audited method whatever
// the code, any method refused with PERMISSION_DENIED or UNAUTHENTICATED.
bool IsAuditedCall(absl::string_view full_method, grpc::StatusCode code);

// The resource a call acted on, as an entry names it, from the resource names of its request and
// answer (common/message_names.h, best first): for a successful Create*, the first name of the
// answer (the new resource, e.g. CreateEventResponse.event.name); else the first name of the
// request (its name or parent; an Update's resource); else the organization. A name counts only
// when it lies in `organization` (and names over 300 characters are never kept), so an entry never
// carries arbitrary request text.
std::string AuditResource(absl::string_view full_method,
                          const std::vector<std::string>& request_names,
                          const std::vector<std::string>& response_names, bool succeeded,
                          absl::string_view organization);

// The organization id the first name of the answer or else of the request names; "" when none.
std::string OrganizationNamedBy(const std::vector<std::string>& request_names,
                                const std::vector<std::string>& response_names);

// An entry ready to be written to the stream of `organization`.
struct PendingAuditEntry {
  std::string organization;
  fieldwork::common::v1::AuditEntry entry;  // without name (the stream id gives it)
  // False for a caller that did not authenticate: its entry goes only into a stream that already
  // exists, so an anonymous caller cannot make Redis create keys for made-up organizations.
  bool may_create_stream = true;
};

// The entry for `call` served by `service` ("scheduling"), or nothing when the call is not audited
// or its organization cannot be told. Which organization's stream: the one the call was
// authorized against when the caller's scope covers it; a caller confined to one organization
// otherwise gets its own (a call into another tenant is recorded where its caller lives, and tells
// that tenant nothing); otherwise the organization the request names.
std::optional<PendingAuditEntry> AuditEntryFor(const FinishedCall& call, absl::string_view service);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_ENTRY_H_
