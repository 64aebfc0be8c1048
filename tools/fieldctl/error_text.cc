// Turns a failed status with fieldwork error details into one readable line.
#include "tools/fieldctl/error_text.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

using ::fieldwork::common::v1::Conflicts;
using ::fieldwork::common::v1::FieldViolations;

std::string DescribeConflict(const Conflicts::Conflict& conflict, const absl::TimeZone& zone) {
  std::string text = absl::StrCat(ShortName(conflict.calendar()), " is booked by ",
                                  ShortName(conflict.booked_by()));
  if (conflict.has_start_time() && conflict.has_end_time()) {
    absl::StrAppend(&text, " at ",
                    FormatTimeRangeIn(FromProtoTime(conflict.start_time()),
                                      FromProtoTime(conflict.end_time()), zone));
  }
  if (!conflict.reason().empty()) absl::StrAppend(&text, " (", conflict.reason(), ")");
  return text;
}

std::string CodeLabel(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return "invalid argument";
    case absl::StatusCode::kNotFound:
      return "not found";
    case absl::StatusCode::kAlreadyExists:
      return "already exists";
    case absl::StatusCode::kFailedPrecondition:
      return "refused";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline exceeded";
    case absl::StatusCode::kPermissionDenied:
      return "permission denied";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return absl::AsciiStrToLower(absl::StatusCodeToString(code));
  }
}

}  // namespace

std::string ShortName(const std::string& name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() <= 2 || parts[0] != "organizations") return name;
  return absl::StrJoin(parts.begin() + 2, parts.end(), "/");
}

std::string ErrorLine(const absl::Status& status, const absl::TimeZone& zone) {
  std::string detail;
  if (const std::optional<Conflicts> conflicts = GetConflicts(status);
      conflicts.has_value() && !conflicts->conflicts().empty()) {
    std::vector<std::string> parts;
    for (const auto& conflict : conflicts->conflicts()) {
      parts.push_back(DescribeConflict(conflict, zone));
    }
    detail = absl::StrCat(status.message(), ": ", absl::StrJoin(parts, "; "));
  } else if (const std::optional<FieldViolations> violations = GetFieldViolations(status);
             violations.has_value() && !violations->violations().empty()) {
    std::vector<std::string> parts;
    for (const auto& violation : violations->violations()) {
      parts.push_back(absl::StrCat(violation.field(), ": ", violation.description()));
    }
    detail = absl::StrJoin(parts, "; ");
  } else {
    detail = std::string(status.message());
  }
  const std::string line = absl::StrCat("error: ", CodeLabel(status.code()), ": ", detail);
  return absl::StrReplaceAll(line, {{"\r\n", " "}, {"\n", " "}});
}

}  // namespace fieldwork::fieldctl
