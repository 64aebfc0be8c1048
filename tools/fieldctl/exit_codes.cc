// Maps canonical status codes onto fieldctl's documented exit codes.
#include "tools/fieldctl/exit_codes.h"

namespace fieldwork::fieldctl {

ExitCode ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kExitInvalidArgument;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return kExitConflict;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnavailable;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return kExitPermission;
    default:
      return kExitOther;
  }
}

const char* ExitCodeHelp() {
  return "Exit codes:\n"
         "  0  ok\n"
         "  1  usage error (unknown command or flag, missing argument)\n"
         "  2  invalid argument (the server or fieldctl refused a value; the field is named)\n"
         "  3  not found\n"
         "  4  conflict (booking conflict, stale etag, already exists, wrong state)\n"
         "  5  server unavailable or deadline exceeded\n"
         "  6  permission denied or unauthenticated\n"
         "  7  any other error\n";
}

}  // namespace fieldwork::fieldctl
