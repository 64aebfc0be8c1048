// ExportCalendar without I/O (see calendar_export.h).
#include "services/scheduling/calendar_export.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

std::string VenueLabel(const std::string& venue_name,
                       const absl::flat_hash_map<std::string, v1::Venue>& venues) {
  const auto venue = venues.find(venue_name);
  return venue == venues.end() ? "" : venue->second.display_name();
}

IcalStatus StatusOf(v1::EventState state) {
  switch (state) {
    case v1::EVENT_STATE_CANCELLED:
      return IcalStatus::kCancelled;
    case v1::EVENT_STATE_SCHEDULED:
    case v1::EVENT_STATE_COMPLETED:
      return IcalStatus::kConfirmed;
    default:
      return IcalStatus::kTentative;
  }
}

}  // namespace

bool Exported(const v1::Event& event) {
  return event.state() == v1::EVENT_STATE_SCHEDULED || event.state() == v1::EVENT_STATE_COMPLETED ||
         event.state() == v1::EVENT_STATE_CANCELLED;
}

IcalEvent ToIcalEvent(absl::string_view organization, const v1::Event& event,
                      const absl::flat_hash_map<std::string, v1::Venue>& venues,
                      const absl::TimeZone& zone) {
  IcalEvent ical;
  absl::StatusOr<ChildName> name = ParseEventName(event.name());
  ical.uid = absl::StrCat(name.ok() ? name->id : event.name(), "@", organization, ".fieldwork");
  ical.time = {ToTime(event.time_range().start_time()), ToTime(event.time_range().end_time())};
  ical.summary = event.title();
  std::vector<std::string> description;
  if (!event.description().empty()) description.push_back(event.description());
  std::vector<std::string> stops;
  for (const v1::ItineraryStop& stop : event.itinerary()) {
    const std::string label = VenueLabel(stop.venue(), venues);
    if (!label.empty()) stops.push_back(label);
    std::vector<std::string> line = {
        absl::StrCat(absl::FormatTime("%H:%M", ToTime(stop.time_range().start_time()), zone), "–",
                     absl::FormatTime("%H:%M", ToTime(stop.time_range().end_time()), zone))};
    if (!label.empty()) line.push_back(label);
    if (!stop.note().empty()) line.push_back(stop.note());
    description.push_back(absl::StrJoin(line, " "));
  }
  if (event.state() == v1::EVENT_STATE_CANCELLED && !event.cancel_reason().empty()) {
    description.push_back(absl::StrCat("取消原因：", event.cancel_reason()));
  }
  ical.description = absl::StrJoin(description, "\n");
  ical.location =
      event.venue().empty() ? absl::StrJoin(stops, " → ") : VenueLabel(event.venue(), venues);
  ical.categories.assign(event.topics().begin(), event.topics().end());
  ical.sequence = event.sequence();
  ical.status = StatusOf(event.state());
  if (event.has_create_time()) ical.created = ToTime(event.create_time());
  ical.last_modified = event.has_update_time() ? ToTime(event.update_time()) : ical.created;
  if (ical.last_modified == absl::InfinitePast()) ical.last_modified = absl::UnixEpoch();
  return ical;
}

std::string ExportFileName(absl::string_view organization, absl::string_view member_id,
                           const Interval& range, const absl::TimeZone& zone) {
  const int64_t first = absl::ToCivilYear(range.start, zone).year();
  const int64_t last = absl::ToCivilYear(range.end - absl::Seconds(1), zone).year();
  std::string name(organization);
  if (!member_id.empty()) absl::StrAppend(&name, "-", member_id);
  absl::StrAppend(&name, "-", first);
  if (last != first) absl::StrAppend(&name, "-", last);
  return absl::StrCat(name, ".ics");
}

}  // namespace fieldwork::scheduling
