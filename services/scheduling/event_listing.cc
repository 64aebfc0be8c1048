// Filters and pages of ListEvents (see event_listing.h).
#include "services/scheduling/event_listing.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kMaxKindFilters = 8;
constexpr int kMaxStateFilters = 4;

template <typename Parse>
std::string CheckName(absl::string_view field, const std::string& name,
                      absl::string_view organization, Parse parse, FieldErrors& errors) {
  if (name.empty()) return "";
  auto parsed = parse(name);
  if (!parsed.ok()) {
    errors.Add(field, parsed.status().message());
  } else if (parsed->organization != organization) {
    errors.Add(field, absl::StrCat("must belong to ", FormatOrganizationName(organization)));
  } else {
    return parsed->id;
  }
  return "";
}

}  // namespace

EventFilter CheckEventFilter(const v1::ListEventsRequest& request, absl::string_view organization,
                             FieldErrors& errors) {
  EventFilter filter;
  if (request.has_time_range()) {
    if (auto window = CheckFilterRange("time_range", request.time_range(), errors)) {
      filter.window = *window;
    }
  }
  if (request.kinds_size() > kMaxKindFilters) errors.Add("kinds", "must have at most 8 entries");
  for (int i = 0; i < request.kinds_size(); ++i) {
    const int kind = request.kinds(i);
    if (kind == v1::EVENT_KIND_UNSPECIFIED || !v1::EventKind_IsValid(kind)) {
      errors.Add(absl::StrCat("kinds[", i, "]"), "must be a known event kind");
    }
    filter.kinds.insert(kind);
  }
  if (request.states_size() > kMaxStateFilters) errors.Add("states", "must have at most 4 entries");
  for (int i = 0; i < request.states_size(); ++i) {
    const int state = request.states(i);
    if (state == v1::EVENT_STATE_UNSPECIFIED || !v1::EventState_IsValid(state)) {
      errors.Add(absl::StrCat("states[", i, "]"), "must be a known event state");
    }
    filter.states.insert(state);
  }
  filter.member = CheckName("member", request.member(), organization, ParseMemberName, errors);
  if (!CheckName("unit", request.unit(), organization, ParseUnitName, errors).empty()) {
    filter.unit = request.unit();
  }
  if (!CheckName("venue", request.venue(), organization, ParseVenueName, errors).empty()) {
    filter.venue = request.venue();
  }
  if (!request.topic().empty()) {
    CheckText("topic", request.topic(), 1, 50, errors);
    filter.topic = request.topic();
  }
  return filter;
}

bool Matches(const v1::Event& event, const EventFilter& filter) {
  const Interval interval{ToTime(event.time_range().start_time()),
                          ToTime(event.time_range().end_time())};
  if (interval.end <= filter.window.start || interval.start >= filter.window.end) return false;
  if (!filter.kinds.empty() && !filter.kinds.contains(event.kind())) return false;
  if (!filter.states.empty() && !filter.states.contains(event.state())) return false;
  if (filter.hide_drafts && event.state() == v1::EVENT_STATE_DRAFT) return false;
  if (!filter.unit.empty() && event.organizing_unit() != filter.unit &&
      std::none_of(event.invited_units().begin(), event.invited_units().end(),
                   [&](const v1::InvitedUnit& invited) { return invited.unit() == filter.unit; })) {
    return false;
  }
  if (!filter.venue.empty() && event.venue() != filter.venue &&
      std::none_of(event.itinerary().begin(), event.itinerary().end(),
                   [&](const v1::ItineraryStop& stop) { return stop.venue() == filter.venue; })) {
    return false;
  }
  if (!filter.topic.empty() && std::find(event.topics().begin(), event.topics().end(),
                                         filter.topic) == event.topics().end()) {
    return false;
  }
  return true;
}

}  // namespace fieldwork::scheduling
