// FindSlots without I/O (see slot_request.h).
#include "services/scheduling/slot_request.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/scheduling/civil_checks.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "services/scheduling/slot_finder.h"

namespace fieldwork::scheduling {
namespace {

constexpr absl::Duration kStep = absl::Minutes(5);
constexpr int kMaxBlockedBy = 10;

// The id `name` gives through `parse` when it lies in `organization`; records why not otherwise.
template <typename Parse>
std::optional<std::string> IdIn(absl::string_view field, absl::string_view name,
                                absl::string_view organization, Parse parse, FieldErrors& errors) {
  auto parsed = parse(name);
  if (!parsed.ok()) {
    errors.Add(field, parsed.status().message());
    return std::nullopt;
  }
  if (parsed->organization != organization) {
    errors.Add(field, absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    return std::nullopt;
  }
  return parsed->id;
}

template <typename Parse>
void CheckNames(absl::string_view field,
                const google::protobuf::RepeatedPtrField<std::string>& names, int max_count,
                Reference::Kind kind, absl::string_view organization, Parse parse,
                std::vector<Reference>& references, FieldErrors& errors) {
  if (names.size() > max_count) {
    errors.Add(field, absl::StrCat("at most ", max_count, " entries"));
    return;
  }
  for (int i = 0; i < names.size(); ++i) {
    const std::string path = absl::StrCat(field, "[", i, "]");
    std::optional<std::string> id = IdIn(path, names[i], organization, parse, errors);
    if (id.has_value()) references.push_back({kind, std::move(*id), path});
  }
}

// A duration of `min`–`max`, a multiple of five minutes.
std::optional<absl::Duration> CheckStep(absl::string_view field,
                                        const google::protobuf::Duration& proto, absl::Duration min,
                                        absl::Duration max, FieldErrors& errors) {
  const absl::Duration value = ToDuration(proto);
  if (proto.nanos() != 0 || value % kStep != absl::ZeroDuration()) {
    errors.Add(field, "must be a multiple of 5 minutes");
    return std::nullopt;
  }
  if (value < min || value > max) {
    errors.Add(field, absl::StrCat("must be ", absl::FormatDuration(min), " to ",
                                   absl::FormatDuration(max)));
    return std::nullopt;
  }
  return value;
}

void CheckIgnoredBookings(const v1::FindSlotsRequest& request, absl::string_view organization,
                          SlotRequest& checked, FieldErrors& errors) {
  if (request.ignore_bookings_size() > kMaxIgnoredBookings) {
    errors.Add("ignore_bookings", absl::StrCat("at most ", kMaxIgnoredBookings, " entries"));
    return;
  }
  for (int i = 0; i < request.ignore_bookings_size(); ++i) {
    const std::string field = absl::StrCat("ignore_bookings[", i, "]");
    const std::string& name = request.ignore_bookings(i);
    if (ParseEventName(name).ok()) {
      if (auto id = IdIn(field, name, organization, ParseEventName, errors)) {
        checked.ignored_bookings.push_back({false, std::move(*id), field});
      }
    } else if (ParseHoldName(name).ok()) {
      if (auto id = IdIn(field, name, organization, ParseHoldName, errors)) {
        checked.ignored_bookings.push_back({true, std::move(*id), field});
      }
    } else {
      errors.Add(field, "must name an event or a hold");
    }
  }
}

// The intervals of `calendar` that keep its owner away, with the bookings they come from.
struct Busy {
  std::vector<Interval> intervals;
  std::vector<const CalendarEntry*> entries;
};

Busy BusyOf(const SlotCalendar& calendar, const absl::flat_hash_set<std::string>& ignored) {
  Busy busy;
  for (const CalendarEntry& entry : calendar.entries) {
    if (!entry.required || ignored.contains(entry.booked_by)) continue;
    busy.intervals.push_back(entry.interval);
    busy.entries.push_back(&entry);
  }
  return busy;
}

v1::NoSlotReason Reason(v1::NoSlotReasonKind kind, absl::string_view subject, std::string message) {
  v1::NoSlotReason reason;
  reason.set_kind(kind);
  reason.set_subject(std::string(subject));
  reason.set_message(std::move(message));
  return reason;
}

v1::NoSlotReason Explain(const EmptyExplanation& why) {
  switch (why.reason) {
    case EmptyReason::kNoWorkingTime:
      return Reason(v1::NO_SLOT_REASON_KIND_NO_WORKING_TIME, "",
                    "The search window holds no working time long enough for the duration "
                    "(working hours, weekends, holidays).");
    case EmptyReason::kRequiredBusy:
      return Reason(v1::NO_SLOT_REASON_KIND_REQUIRED_MEMBER_BUSY, why.subject,
                    "This required member is busy (travel buffer included) for the whole search "
                    "window.");
    case EmptyReason::kVenueBusy:
      return Reason(v1::NO_SLOT_REASON_KIND_VENUE_BUSY, why.subject,
                    "The venue is booked for the whole search window.");
    case EmptyReason::kNoCommonTime:
      return Reason(v1::NO_SLOT_REASON_KIND_NO_COMMON_TIME, "",
                    "Each required member has free time, but never all at once (with the venue).");
    case EmptyReason::kOptionalShareTooLow:
      break;
  }
  return Reason(v1::NO_SLOT_REASON_KIND_OPTIONAL_SHARE_NOT_MET, "",
                "Common free time exists, but never with the minimum share of optional members.");
}

}  // namespace

SlotRequest CheckFindSlotsRequest(const v1::FindSlotsRequest& request,
                                  absl::string_view organization, FieldErrors& errors) {
  SlotRequest checked;
  CheckNames("required_members", request.required_members(), kMaxSlotMembers,
             Reference::Kind::kMember, organization, ParseMemberName, checked.members, errors);
  checked.required_member_count = checked.members.size();
  CheckNames("optional_members", request.optional_members(), kMaxSlotMembers,
             Reference::Kind::kMember, organization, ParseMemberName, checked.members, errors);
  CheckNames("required_units", request.required_units(), kMaxSlotUnits, Reference::Kind::kUnit,
             organization, ParseUnitName, checked.units, errors);
  checked.required_unit_count = checked.units.size();
  CheckNames("optional_units", request.optional_units(), kMaxSlotUnits, Reference::Kind::kUnit,
             organization, ParseUnitName, checked.units, errors);
  if (!request.venue().empty()) {
    if (auto id = IdIn("venue", request.venue(), organization, ParseVenueName, errors)) {
      checked.venue = Reference{Reference::Kind::kVenue, std::move(*id), "venue"};
    }
  }

  if (!request.has_duration()) {
    errors.Add("duration", "is required");
  } else if (auto duration =
                 CheckStep("duration", request.duration(), kStep, absl::Hours(24 * 14), errors)) {
    checked.duration = *duration;
  }
  if (auto window =
          CheckTimeRange("search_window", request.search_window(), request.has_search_window(),
                         absl::ZeroDuration(), kMaxSearchWindow, errors)) {
    checked.window = *window;
  }
  if (request.has_granularity()) {
    if (auto granularity =
            CheckStep("granularity", request.granularity(), kStep, absl::Hours(24), errors)) {
      checked.granularity = *granularity;
    }
  }
  checked.respect_working_hours = !request.ignore_working_hours();
  if (!std::isfinite(request.min_optional_share()) || request.min_optional_share() < 0 ||
      request.min_optional_share() > 1) {
    errors.Add("min_optional_share", "must be 0 to 1");
  }
  checked.min_optional_share = request.min_optional_share();
  if (request.max_results() < 0 || request.max_results() > kMaxSlotResults) {
    errors.Add("max_results",
               absl::StrCat("must be 0 (default ", kDefaultSlotResults, ") to ", kMaxSlotResults));
  } else if (request.max_results() > 0) {
    checked.max_results = request.max_results();
  }
  CheckIgnoredBookings(request, organization, checked, errors);
  return checked;
}

v1::FindSlotsResponse SearchSlots(const SlotSearch& search) {
  v1::FindSlotsResponse response;
  if (search.window.length() < search.duration) {
    *response.add_no_slot_reasons() =
        Reason(v1::NO_SLOT_REASON_KIND_WINDOW_TOO_SHORT, "",
               absl::StrCat("The search window (", absl::FormatDuration(search.window.length()),
                            ") is shorter than the duration (",
                            absl::FormatDuration(search.duration), ")."));
    return response;
  }
  if (search.venue_capacity > 0 &&
      search.required.size() > static_cast<size_t>(search.venue_capacity)) {
    *response.add_no_slot_reasons() =
        Reason(v1::NO_SLOT_REASON_KIND_VENUE_TOO_SMALL, search.venue_name,
               absl::StrFormat("The venue holds %d people; %d members are required.",
                               search.venue_capacity, search.required.size()));
    return response;
  }

  SlotQuery query;
  query.window = search.window;
  query.duration = search.duration;
  query.granularity = search.granularity;
  query.grid_origin = search.window.start;
  query.buffer = search.travel_buffer;
  query.respect_working_hours = search.respect_working_hours;
  query.rules = search.rules;
  query.min_optional_share = search.min_optional_share;
  query.max_results = search.max_results;
  query.disjoint = true;
  for (const SlotCalendar& calendar : search.required) {
    query.required.push_back({calendar.name, BusyOf(calendar, search.ignored_bookings).intervals});
  }
  absl::flat_hash_map<std::string, Busy> optional_busy;
  for (const SlotCalendar& calendar : search.optional) {
    Busy busy = BusyOf(calendar, search.ignored_bookings);
    query.optional.push_back({calendar.name, busy.intervals});
    optional_busy.emplace(calendar.name, std::move(busy));
  }
  if (search.venue.has_value()) {
    query.venue =
        Attendee{search.venue->name, BusyOf(*search.venue, search.ignored_bookings).intervals};
  }

  const SlotResult result = FindSlots(query);
  const int attendees = static_cast<int>(search.required.size() + search.optional.size());
  for (const SlotCandidate& found : result.candidates) {
    v1::SlotCandidate& candidate = *response.add_candidates();
    *candidate.mutable_time_range() = ToTimeRange(found.slot);
    candidate.set_available_share(found.share_available);
    candidate.set_attendee_count(attendees);
    candidate.set_available_count(attendees - static_cast<int>(found.unavailable.size()));
    std::vector<std::string> unavailable = found.unavailable;
    std::sort(unavailable.begin(), unavailable.end());
    for (const std::string& member : unavailable) {
      v1::Unavailability& entry = *candidate.add_unavailable();
      entry.set_member(member);
      for (const CalendarEntry* booking : optional_busy.at(member).entries) {
        if (entry.blocked_by_size() == kMaxBlockedBy) break;
        if (Overlaps(booking->interval, found.slot, search.travel_buffer)) {
          entry.add_blocked_by(booking->booked_by);
        }
      }
    }
  }
  for (const EmptyExplanation& why : result.why_empty)
    *response.add_no_slot_reasons() = Explain(why);
  return response;
}

}  // namespace fieldwork::scheduling
