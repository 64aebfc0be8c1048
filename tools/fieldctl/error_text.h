// The one line fieldctl prints for a failed command, built from the status and the details the
// server attached in the grpc-status-details-bin trailer (FieldViolations, Conflicts, ErrorInfo).
// Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_ERROR_TEXT_H_
#define FIELDWORK_TOOLS_FIELDCTL_ERROR_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace fieldwork::fieldctl {

// "error: …" on one line: every offending field with its reason, or every conflict as member or
// venue, what holds it and when (times in `zone`), or the status message; ids are shortened to
// the part after the organization.
std::string ErrorLine(const absl::Status& status, const absl::TimeZone& zone);

// `name` without its leading "organizations/{org}/" ("members/m7"); organization names stay whole.
std::string ShortName(const std::string& name);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_ERROR_TEXT_H_
