// RFC 5545 iCalendar encoding of a calendar of events: VCALENDAR, a VTIMEZONE generated from the
// zone's real transitions, VEVENTs with local times, TEXT escaping and line folding at 75 octets
// that never splits a UTF-8 character. Pure: callers pass plain values.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ICAL_H_
#define FIELDWORK_SERVICES_SCHEDULING_ICAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"

namespace fieldwork::scheduling {

enum class IcalStatus { kConfirmed, kTentative, kCancelled };

struct IcalEvent {
  std::string uid;  // stable across exports, e.g. "e1@tongguan.fieldwork"
  Interval time;
  std::string summary;
  std::string description;
  std::string location;
  std::vector<std::string> categories;
  int64_t sequence = 0;
  IcalStatus status = IcalStatus::kConfirmed;
  absl::Time created = absl::InfinitePast();  // omitted when unknown
  absl::Time last_modified;                   // also the DTSTAMP (no METHOD: last revision)
};

struct IcalCalendar {
  std::string product_id;    // PRODID, e.g. "-//fieldwork//scheduling//ZH"
  std::string name;          // X-WR-CALNAME; omitted when empty
  std::string time_zone_id;  // IANA name, the TZID of every local time
  absl::TimeZone time_zone;  // the same zone, loaded
  Interval range;            // what the export covers; the VTIMEZONE covers it and every event
  std::vector<IcalEvent> events;
};

// The whole VCALENDAR document, CRLF line endings, folded.
std::string EncodeIcalendar(const IcalCalendar& calendar);

// A TEXT value escaped per RFC 5545 3.3.11: backslash, semicolon and comma get a backslash, line
// breaks become "\n", other control characters (except tab) are dropped.
std::string EscapeIcalText(absl::string_view text);

// One content line, folded so no physical line exceeds 75 octets and no UTF-8 character is split;
// every physical line ends with CRLF and continuation lines start with one space.
std::string FoldIcalLine(absl::string_view line);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ICAL_H_
