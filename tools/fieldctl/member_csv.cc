// Reads a roster CSV into Member rows and maps row violations back to file lines.
#include "tools/fieldctl/member_csv.h"

#include <algorithm>
#include <iterator>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"
#include "tools/fieldctl/csv.h"
#include "tools/fieldctl/resource_args.h"

namespace fieldwork::fieldctl {
namespace {

using ::fieldwork::scheduling::v1::Member;
using ::fieldwork::scheduling::v1::MemberRole;
using ::fieldwork::scheduling::v1::MemberStatus;

constexpr const char* kColumns[] = {"id",    "display_name", "role",        "status",
                                    "units", "phone",        "affiliation", "term"};
constexpr const char* kRequiredColumns[] = {"id", "display_name", "role"};

std::string NormalizeHeader(const std::string& header) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(absl::StripAsciiWhitespace(header)),
                             {{" ", "_"}, {"-", "_"}});
}

// Applies one cell to `member`; the error text does not name the cell (the caller does).
absl::Status ApplyCell(const std::string& column, const std::string& value,
                       absl::string_view organization, Member* member) {
  if (column == "id") {
    absl::StatusOr<std::string> name = ResourceNameArg(ResourceKind::kMember, organization, value);
    if (!name.ok()) return name.status();
    member->set_name(*name);
  } else if (column == "display_name") {
    member->set_display_name(value);
  } else if (column == "role") {
    absl::StatusOr<MemberRole> role = ParseEnumArg<MemberRole>(value);
    if (!role.ok()) return role.status();
    member->set_role(*role);
  } else if (column == "status") {
    if (value.empty()) return absl::OkStatus();
    absl::StatusOr<MemberStatus> status = ParseEnumArg<MemberStatus>(value);
    if (!status.ok()) return status.status();
    member->set_status(*status);
  } else if (column == "units") {
    for (absl::string_view unit : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
      absl::StatusOr<std::string> name =
          ResourceNameArg(ResourceKind::kUnit, organization, absl::StripAsciiWhitespace(unit));
      if (!name.ok()) return name.status();
      member->add_units(*name);
    }
  } else if (column == "phone") {
    member->set_phone(value);
  } else if (column == "affiliation") {
    member->set_affiliation(value);
  } else if (column == "term" && !value.empty()) {
    member->mutable_term()->set_label(value);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MemberRows> ParseMemberCsv(absl::string_view csv, absl::string_view organization) {
  absl::StatusOr<std::vector<std::vector<std::string>>> records = ParseCsv(csv);
  if (!records.ok()) return records.status();
  if (records->empty()) return absl::InvalidArgumentError("the file is empty: no header line");
  std::vector<std::string> columns;
  for (const std::string& header : records->front()) {
    const std::string column = NormalizeHeader(header);
    if (std::find(std::begin(kColumns), std::end(kColumns), column) == std::end(kColumns)) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: unknown column \"", header,
                       "\" (columns: id, display_name, role, status, units, phone, affiliation, "
                       "term)"));
    }
    columns.push_back(column);
  }
  for (const char* required : kRequiredColumns) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: the required column \"", required, "\" is missing"));
    }
  }
  MemberRows rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const std::vector<std::string>& record = (*records)[r];
    const int line = static_cast<int>(r) + 1;
    if (record.size() != columns.size()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", record.size(),
                                                     " fields, the header has ", columns.size()));
    }
    Member member;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string value(absl::StripAsciiWhitespace(record[c]));
      if (const absl::Status applied = ApplyCell(columns[c], value, organization, &member);
          !applied.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, " (", columns[c], "): ", applied.message()));
      }
    }
    rows.members.push_back(std::move(member));
    rows.lines.push_back(line);
  }
  if (rows.members.empty()) return absl::InvalidArgumentError("the file has no member rows");
  return rows;
}

std::string DescribeRowViolation(const std::string& field, const std::string& description,
                                 const std::vector<int>& lines) {
  static const std::regex kRowField(R"(^members\[(\d+)\]\.?([a-z_]*)(.*)$)");
  std::smatch match;
  int row = 0;
  if (!std::regex_match(field, match, kRowField) || !absl::SimpleAtoi(match[1].str(), &row) ||
      row < 0 || row >= static_cast<int>(lines.size())) {
    return absl::StrCat(field, ": ", description);
  }
  std::string column = match[2].str();
  if (column == "name") column = "id";
  return absl::StrCat("line ", lines[row], " (", column.empty() ? "row" : column,
                      "): ", description);
}

}  // namespace fieldwork::fieldctl
