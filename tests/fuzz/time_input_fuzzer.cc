// fieldctl's time input (tools/fieldctl/time_input.cc) against any bytes: no crash; a parsed time
// of whole seconds prints (in UTC) to text that parses back to the same instant; parsed durations
// are positive; parsed dates print back as the same date.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tests/fuzz/fuzz_check.h"
#include "tools/fieldctl/time_input.h"

namespace {

const absl::TimeZone& Shanghai() {
  static const absl::TimeZone* const zone = [] {
    auto* loaded = new absl::TimeZone;
    if (!absl::LoadTimeZone("Asia/Shanghai", loaded)) *loaded = absl::FixedTimeZone(8 * 3600);
    return loaded;
  }();
  return *zone;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldwork::fieldctl;  // NOLINT(build/namespaces)
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::TimeZone utc = absl::UTCTimeZone();

  for (const absl::TimeZone& zone : {Shanghai(), utc}) {
    const absl::StatusOr<absl::Time> time = ParseTimeInput(text, zone);
    if (!time.ok()) continue;
    const absl::CivilSecond civil = absl::ToCivilSecond(*time, utc);
    const bool printable = civil.year() >= 1 && civil.year() <= 9999 &&
                           *time == absl::FromUnixSeconds(absl::ToUnixSeconds(*time)) &&
                           *time != absl::UnixEpoch();
    if (!printable) continue;
    const std::string shown = FormatTimeIn(*time, utc);
    const absl::StatusOr<absl::Time> again = ParseTimeInput(shown, utc);
    FUZZ_CHECK(again.ok() && *again == *time);
  }

  if (const absl::StatusOr<absl::Duration> duration = ParseDurationInput(text); duration.ok()) {
    FUZZ_CHECK(*duration > absl::ZeroDuration());
  }

  if (const absl::StatusOr<absl::CivilDay> day = ParseDateInput(text); day.ok()) {
    if (day->year() >= 1 && day->year() <= 9999) {
      const std::string shown =
          absl::StrFormat("%04d-%02d-%02d", day->year(), day->month(), day->day());
      const absl::StatusOr<absl::CivilDay> again = ParseDateInput(shown);
      FUZZ_CHECK(again.ok() && *again == *day);
    }
  }
  return 0;
}
