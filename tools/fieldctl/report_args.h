// What the report and export commands take from the command line: the report period (--year, or
// --from and --to) and the subject a report table is about. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_REPORT_ARGS_H_
#define FIELDWORK_TOOLS_FIELDCTL_REPORT_ARGS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fieldwork/reporting/v1/reporting_service.pb.h"
#include "tools/fieldctl/resource_args.h"

namespace fieldwork::fieldctl {

struct PeriodArgs {
  int year = 0;      // 0: none
  std::string from;  // YYYY-MM-DD
  std::string to;
};

// The period the flags give; INVALID_ARGUMENT when neither --year nor both --from and --to are
// given, or a date does not parse.
absl::StatusOr<fieldwork::reporting::v1::ReportPeriod> ReportPeriodArg(const PeriodArgs& args);

// The kind of resource SUBJECT names for the member-, unit- and event- tables; none for the
// organization's tables.
std::optional<ResourceKind> ReportSubjectKind(fieldwork::reporting::v1::ReportTable table);

// The ExportReportRequest subject of `table`: the member, unit or event `subject_arg` names, or
// `organizations/{organization}` for the organization's tables. INVALID_ARGUMENT naming SUBJECT
// when it is missing, not expected, or not an id.
absl::StatusOr<std::string> ReportSubjectArg(fieldwork::reporting::v1::ReportTable table,
                                             absl::string_view organization,
                                             absl::string_view subject_arg);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_REPORT_ARGS_H_
