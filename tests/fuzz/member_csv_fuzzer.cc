// The CSV reader behind `fieldctl import members` (tools/fieldctl/csv.cc, member_csv.cc) against
// any bytes: no crash; every record parsed is written back by FormatCsvRecord to text that parses
// to the same record; a roster that parses has one file line per member, each member named in
// the organization.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_check.h"
#include "tools/fieldctl/csv.h"
#include "tools/fieldctl/member_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldwork::fieldctl;  // NOLINT(build/namespaces)
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  const absl::StatusOr<std::vector<std::vector<std::string>>> records = ParseCsv(text);
  if (records.ok()) {
    for (const std::vector<std::string>& record : *records) {
      FUZZ_CHECK(!record.empty());
      // A record of one empty field is written as a blank line, which the reader skips.
      if (record.size() == 1 && record[0].empty()) continue;
      // A leading byte-order mark would be skipped on the way back in.
      if (absl::StartsWith(record[0], "\xEF\xBB\xBF")) continue;
      const absl::StatusOr<std::vector<std::vector<std::string>>> again =
          ParseCsv(FormatCsvRecord(record));
      FUZZ_CHECK(again.ok() && again->size() == 1 && (*again)[0] == record);
    }
  }

  const absl::StatusOr<MemberRows> roster = ParseMemberCsv(text, "tongguan");
  if (roster.ok()) {
    FUZZ_CHECK(roster->members.size() == roster->lines.size());
    for (size_t i = 0; i < roster->members.size(); ++i) {
      FUZZ_CHECK(absl::StartsWith(roster->members[i].name(), "organizations/tongguan/members/"));
      FUZZ_CHECK(roster->lines[i] >= 2);
    }
  }
  return 0;
}
