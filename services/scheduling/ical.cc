// iCalendar encoding (see ical.h).
#include "services/scheduling/ical.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace fieldwork::scheduling {
namespace {

constexpr size_t kMaxLineOctets = 75;

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void AddLine(std::string* out, absl::string_view name, absl::string_view value) {
  out->append(FoldIcalLine(absl::StrCat(name, ":", value)));
}

std::string UtcStamp(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

std::string LocalStamp(absl::CivilSecond cs) {
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02d", cs.year(), cs.month(), cs.day(), cs.hour(),
                         cs.minute(), cs.second());
}

// A UTC offset as ±HHMM, or ±HHMMSS when it has seconds (local mean times).
std::string Offset(int seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  seconds = std::abs(seconds);
  const int h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
  return s == 0 ? absl::StrFormat("%c%02d%02d", sign, h, m)
                : absl::StrFormat("%c%02d%02d%02d", sign, h, m, s);
}

// One STANDARD or DAYLIGHT component: the zone's rules from `start` (local time in the offset
// before the change) on.
struct Observance {
  bool daylight = false;
  absl::CivilSecond start;
  int offset_from = 0;
  int offset_to = 0;
  std::string name;
};

Observance ObservanceAt(const absl::TimeZone& zone, const absl::TimeZone::CivilTransition& change) {
  const absl::Time instant = zone.At(change.to).trans;
  const absl::TimeZone::CivilInfo after = zone.At(instant);
  return {after.is_dst, change.from, zone.At(instant - absl::Seconds(1)).offset, after.offset,
          std::string(after.zone_abbr)};
}

// The observances in force during `span`: the one current at its start, then one per change.
std::vector<Observance> Observances(const absl::TimeZone& zone, const Interval& span) {
  std::vector<Observance> observances;
  absl::TimeZone::CivilTransition change;
  if (zone.PrevTransition(span.start + absl::Seconds(1), &change)) {
    observances.push_back(ObservanceAt(zone, change));
  }
  for (absl::Time t = span.start; zone.NextTransition(t, &change);) {
    const absl::Time instant = zone.At(change.to).trans;
    if (instant >= span.end || instant <= t) break;
    observances.push_back(ObservanceAt(zone, change));
    t = instant;
  }
  if (observances.empty()) {  // a zone that never changed its offset, e.g. UTC
    const absl::TimeZone::CivilInfo info = zone.At(span.start);
    observances.push_back({info.is_dst, absl::CivilSecond(1970, 1, 1), info.offset, info.offset,
                           std::string(info.zone_abbr)});
  }
  return observances;
}

void AddTimeZone(std::string* out, const IcalCalendar& calendar, const Interval& span) {
  AddLine(out, "BEGIN", "VTIMEZONE");
  AddLine(out, "TZID", calendar.time_zone_id);
  for (const Observance& o : Observances(calendar.time_zone, span)) {
    const absl::string_view kind = o.daylight ? "DAYLIGHT" : "STANDARD";
    AddLine(out, "BEGIN", kind);
    AddLine(out, "DTSTART", LocalStamp(o.start));
    AddLine(out, "TZOFFSETFROM", Offset(o.offset_from));
    AddLine(out, "TZOFFSETTO", Offset(o.offset_to));
    if (!o.name.empty()) AddLine(out, "TZNAME", EscapeIcalText(o.name));
    AddLine(out, "END", kind);
  }
  AddLine(out, "END", "VTIMEZONE");
}

absl::string_view StatusName(IcalStatus status) {
  switch (status) {
    case IcalStatus::kTentative:
      return "TENTATIVE";
    case IcalStatus::kCancelled:
      return "CANCELLED";
    case IcalStatus::kConfirmed:
      break;
  }
  return "CONFIRMED";
}

void AddEvent(std::string* out, const IcalCalendar& calendar, const IcalEvent& event) {
  const std::string tzid = absl::StrCat(";TZID=", calendar.time_zone_id);
  AddLine(out, "BEGIN", "VEVENT");
  AddLine(out, "UID", event.uid);
  AddLine(out, "DTSTAMP", UtcStamp(event.last_modified));
  AddLine(out, "DTSTART" + tzid,
          absl::FormatTime("%Y%m%dT%H%M%S", event.time.start, calendar.time_zone));
  AddLine(out, "DTEND" + tzid,
          absl::FormatTime("%Y%m%dT%H%M%S", event.time.end, calendar.time_zone));
  AddLine(out, "SUMMARY", EscapeIcalText(event.summary));
  if (!event.description.empty()) AddLine(out, "DESCRIPTION", EscapeIcalText(event.description));
  if (!event.location.empty()) AddLine(out, "LOCATION", EscapeIcalText(event.location));
  if (!event.categories.empty()) {
    std::vector<std::string> escaped;
    for (const std::string& category : event.categories)
      escaped.push_back(EscapeIcalText(category));
    AddLine(out, "CATEGORIES", absl::StrJoin(escaped, ","));
  }
  AddLine(out, "SEQUENCE", absl::StrCat(event.sequence));
  AddLine(out, "STATUS", StatusName(event.status));
  if (event.created != absl::InfinitePast()) AddLine(out, "CREATED", UtcStamp(event.created));
  AddLine(out, "LAST-MODIFIED", UtcStamp(event.last_modified));
  AddLine(out, "END", "VEVENT");
}

}  // namespace

std::string EscapeIcalText(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case ';':
      case ',':
        escaped.push_back('\\');
        escaped.push_back(c);
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        escaped.append("\\n");
        break;
      case '\n':
        escaped.append("\\n");
        break;
      default:
        const unsigned char u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7F) break;
        escaped.push_back(c);
    }
  }
  return escaped;
}

std::string FoldIcalLine(absl::string_view line) {
  std::string folded;
  folded.reserve(line.size() + line.size() / 64 * 3 + 2);
  size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && IsUtf8Continuation(line[cut])) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 at all: fold at the octet limit
    folded.append(line.substr(0, cut).data(), cut);
    folded.append("\r\n ");
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // the leading space counts
  }
  folded.append(line.data(), line.size());
  folded.append("\r\n");
  return folded;
}

std::string EncodeIcalendar(const IcalCalendar& calendar) {
  Interval span = calendar.range;
  for (const IcalEvent& event : calendar.events) {
    span.start = std::min(span.start, event.time.start);
    span.end = std::max(span.end, event.time.end);
  }
  std::string out;
  AddLine(&out, "BEGIN", "VCALENDAR");
  AddLine(&out, "VERSION", "2.0");
  AddLine(&out, "PRODID", calendar.product_id);
  AddLine(&out, "CALSCALE", "GREGORIAN");
  if (!calendar.name.empty()) AddLine(&out, "X-WR-CALNAME", EscapeIcalText(calendar.name));
  AddLine(&out, "X-WR-TIMEZONE", calendar.time_zone_id);
  AddTimeZone(&out, calendar, span);
  for (const IcalEvent& event : calendar.events) AddEvent(&out, calendar, event);
  AddLine(&out, "END", "VCALENDAR");
  return out;
}

}  // namespace fieldwork::scheduling
