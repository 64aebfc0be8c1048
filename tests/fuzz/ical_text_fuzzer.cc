// iCalendar TEXT escaping and folding (services/scheduling/ical.cc) against any bytes: the escaped
// value holds no line break or other control character but tab, every ';' ',' and '\' is escaped,
// it grows at most twice; unescaping gives back the input when the input had no control
// characters; a whole document built around it has CRLF lines of at most 75 octets.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scheduling/ical.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool IsControl(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// RFC 5545 3.3.11 unescaping; nothing for a dangling or unknown escape.
bool Unescape(absl::string_view escaped, std::string& out) {
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\') {
      out += escaped[i];
      continue;
    }
    if (++i == escaped.size()) return false;
    switch (escaped[i]) {
      case '\\':
      case ';':
      case ',':
        out += escaped[i];
        break;
      case 'n':
      case 'N':
        out += '\n';
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldwork::scheduling;  // NOLINT(build/namespaces)
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string escaped = EscapeIcalText(text);
  FUZZ_CHECK(escaped.size() <= 2 * text.size());
  for (char c : escaped) FUZZ_CHECK(!IsControl(c));
  std::string unescaped;
  FUZZ_CHECK(Unescape(escaped, unescaped));
  bool has_control = false;
  for (char c : text) has_control = has_control || IsControl(c);
  if (!has_control) FUZZ_CHECK(unescaped == text);

  IcalCalendar calendar;
  calendar.product_id = "-//fieldwork//fuzz//ZH";
  calendar.time_zone_id = "UTC";
  calendar.time_zone = absl::UTCTimeZone();
  const absl::Time start = absl::FromUnixSeconds(1893456000);  // 2030-01-01
  calendar.range = {start, start + absl::Hours(24)};
  IcalEvent event;
  event.uid = "e1@tongguan.fieldwork";
  event.time = {start + absl::Hours(1), start + absl::Hours(2)};
  event.summary = std::string(text);
  event.description = std::string(text);
  event.location = std::string(text);
  event.last_modified = start;
  calendar.events.push_back(event);
  const std::string document = EncodeIcalendar(calendar);
  FUZZ_CHECK(document.size() >= 2 && document.substr(document.size() - 2) == "\r\n");
  for (absl::string_view line : absl::StrSplit(document.substr(0, document.size() - 2), "\r\n")) {
    FUZZ_CHECK(line.size() <= 75);
    for (char c : line) FUZZ_CHECK(!IsControl(c));
  }
  return 0;
}
