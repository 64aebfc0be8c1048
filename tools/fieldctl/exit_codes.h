// The exit codes of fieldctl (documented in README.md and `fieldctl --help`) and how an RPC's
// status code maps onto them.
#ifndef FIELDWORK_TOOLS_FIELDCTL_EXIT_CODES_H_
#define FIELDWORK_TOOLS_FIELDCTL_EXIT_CODES_H_

#include "absl/status/status.h"

namespace fieldwork::fieldctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitInvalidArgument = 2,
  kExitNotFound = 3,
  kExitConflict = 4,
  kExitUnavailable = 5,
  kExitPermission = 6,
  kExitOther = 7,
};

// The exit code for a command that ended with `status`.
ExitCode ExitCodeFor(const absl::Status& status);

// The table of exit codes, for --help.
const char* ExitCodeHelp();

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_EXIT_CODES_H_
