// The report period and report table subject of the report and export commands.
#include "tools/fieldctl/report_args.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {

namespace rv1 = ::fieldwork::reporting::v1;

absl::StatusOr<rv1::ReportPeriod> ReportPeriodArg(const PeriodArgs& args) {
  rv1::ReportPeriod period;
  if (args.year != 0) {
    period.set_year(args.year);
    return period;
  }
  if (args.from.empty() || args.to.empty()) {
    return absl::InvalidArgumentError("give --year, or --from and --to (YYYY-MM-DD)");
  }
  for (const auto& [text, date] :
       {std::pair(args.from, period.mutable_date_range()->mutable_first_date()),
        std::pair(args.to, period.mutable_date_range()->mutable_last_date())}) {
    absl::StatusOr<absl::CivilDay> day = ParseDateInput(text);
    if (!day.ok()) return day.status();
    date->set_year(static_cast<int32_t>(day->year()));
    date->set_month(day->month());
    date->set_day(day->day());
  }
  return period;
}

std::optional<ResourceKind> ReportSubjectKind(rv1::ReportTable table) {
  switch (table) {
    case rv1::REPORT_TABLE_MEMBER_EVENTS:
    case rv1::REPORT_TABLE_MEMBER_KINDS:
      return ResourceKind::kMember;
    case rv1::REPORT_TABLE_UNIT_MEMBERS:
      return ResourceKind::kUnit;
    case rv1::REPORT_TABLE_EVENT_SHEET:
      return ResourceKind::kEvent;
    default:
      return std::nullopt;
  }
}

absl::StatusOr<std::string> ReportSubjectArg(rv1::ReportTable table, absl::string_view organization,
                                             absl::string_view subject_arg) {
  const std::optional<ResourceKind> kind = ReportSubjectKind(table);
  if (!kind.has_value()) {
    if (!subject_arg.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("SUBJECT: the organization's tables take none, got \"", subject_arg, "\""));
    }
    return absl::StrCat("organizations/", organization);
  }
  if (subject_arg.empty()) {
    const char* noun = *kind == ResourceKind::kMember ? "member"
                       : *kind == ResourceKind::kUnit ? "unit"
                                                      : "event";
    return absl::InvalidArgumentError(absl::StrCat(
        "SUBJECT: ", absl::AsciiStrToLower(absl::StrReplaceAll(EnumLabel(table), {{"_", "-"}})),
        " needs a ", noun, " id"));
  }
  absl::StatusOr<std::string> name = ResourceNameArg(*kind, organization, subject_arg);
  if (!name.ok())
    return absl::InvalidArgumentError(absl::StrCat("SUBJECT: ", name.status().message()));
  return name;
}

}  // namespace fieldwork::fieldctl
