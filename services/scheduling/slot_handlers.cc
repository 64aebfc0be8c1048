// FindSlots: free times for a set of members and a venue. The handler checks the request, reads
// the organization, the roster records it names and their calendars, and leaves the search to
// SearchSlots (slot_request.h).
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/call_rate_limiter.h"
#include "common/api/error_reason.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/handler_support.h"
#include "services/scheduling/hold_store.h"
#include "services/scheduling/organization_rules.h"
#include "services/scheduling/roster_facts.h"
#include "services/scheduling/scheduling_service.h"
#include "services/scheduling/slot_request.h"

namespace fieldwork::scheduling {
namespace {

// Records ignore_bookings entries that name no event or hold of the organization.
absl::Status CheckIgnoredBookingsExist(RedisClient* redis, absl::string_view organization,
                                       const SlotRequest& request, FieldErrors& errors,
                                       absl::Time deadline) {
  const EventStore events(redis);
  const HoldStore holds(redis);
  for (const SlotRequest::IgnoredBooking& booking : request.ignored_bookings) {
    const absl::Status found = booking.hold
                                   ? holds.Get(organization, booking.id, deadline).status()
                                   : events.Get(organization, booking.id, deadline).status();
    if (absl::IsNotFound(found)) {
      errors.Add(booking.field, "names no existing event or hold of this organization");
    } else if (!found.ok()) {
      return found;
    }
  }
  return absl::OkStatus();
}

// Adds the ids of `members` and of the active members of `units` to `ids`, skipping those in
// `taken` or already added.
absl::Status Expand(const RosterFacts& roster, absl::string_view organization,
                    const std::vector<Reference>& members, const std::vector<Reference>& units,
                    const RosterRecords& records, absl::flat_hash_set<std::string>& taken,
                    std::vector<std::string>& ids, absl::Time deadline) {
  for (const Reference& member : members) {
    if (taken.insert(member.id).second) ids.push_back(member.id);
  }
  for (const Reference& unit : units) {
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<std::string> unit_members,
        roster.ActiveMemberIds(organization, records.units.at(unit.id), deadline));
    for (std::string& id : unit_members) {
      if (taken.insert(id).second) ids.push_back(std::move(id));
    }
  }
  return absl::OkStatus();
}

std::vector<SlotCalendar> Calendars(absl::string_view organization,
                                    const std::vector<std::string>& member_ids,
                                    std::vector<std::vector<CalendarEntry>>::iterator entries) {
  std::vector<SlotCalendar> calendars;
  for (const std::string& id : member_ids) {
    calendars.push_back({FormatMemberName(organization, id), std::move(*entries++)});
  }
  return calendars;
}

absl::Status AnswerFindSlots(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                             const v1::FindSlotsRequest& request, v1::FindSlotsResponse& response) {
  absl::StatusOr<std::string> parent = ParseOrganizationName(request.parent());
  if (!parent.ok()) return InvalidField("parent", parent.status().message());
  const std::string& organization = *parent;
  FIELDWORK_ASSIGN_OR_RETURN(
      const Principal caller,
      deps.authorizer->Authorize(context, AccessTarget::Organization(organization)));
  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);

  const RosterFacts roster(deps.redis);
  FIELDWORK_ASSIGN_OR_RETURN(const v1::Organization settings,
                             roster.Organization(organization, deadline));
  FieldErrors errors;
  const SlotRequest checked = CheckFindSlotsRequest(request, organization, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  FIELDWORK_RETURN_IF_ERROR(CallRateLimiter(deps.redis)
                                .Count(organization, "FindSlots", caller.subject,
                                       kExpensiveReadRate, absl::Now(), deadline));
  std::vector<Reference> references = checked.members;
  references.insert(references.end(), checked.units.begin(), checked.units.end());
  if (checked.venue.has_value()) references.push_back(*checked.venue);
  FIELDWORK_ASSIGN_OR_RETURN(const RosterRecords records,
                             roster.Resolve(organization, references, errors, deadline));
  for (const Reference& member : checked.members) {
    const auto record = records.members.find(member.id);
    if (record != records.members.end() && record->second.status() != v1::MEMBER_STATUS_ACTIVE) {
      errors.Add(member.field, "must be an active member");
    }
  }
  FIELDWORK_RETURN_IF_ERROR(
      CheckIgnoredBookingsExist(deps.redis, organization, checked, errors, deadline));
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const auto split = [](const std::vector<Reference>& all, size_t count) {
    return std::make_pair(std::vector<Reference>(all.begin(), all.begin() + count),
                          std::vector<Reference>(all.begin() + count, all.end()));
  };
  const auto [required_members, optional_members] =
      split(checked.members, checked.required_member_count);
  const auto [required_units, optional_units] = split(checked.units, checked.required_unit_count);
  absl::flat_hash_set<std::string> taken;
  std::vector<std::string> required_ids, optional_ids;
  FIELDWORK_RETURN_IF_ERROR(Expand(roster, organization, required_members, required_units, records,
                                   taken, required_ids, deadline));
  FIELDWORK_RETURN_IF_ERROR(Expand(roster, organization, optional_members, optional_units, records,
                                   taken, optional_ids, deadline));
  if (taken.size() > static_cast<size_t>(kMaxSlotMembers)) {
    return InvalidField(required_ids.size() > static_cast<size_t>(kMaxSlotMembers)
                            ? "required_units"
                            : "optional_units",
                        absl::StrCat("required and optional members together, after expanding "
                                     "units, must be at most ",
                                     kMaxSlotMembers, " (found ", taken.size(), ")"));
  }

  SlotSearch search;
  search.window = checked.window;
  search.duration = checked.duration;
  search.granularity = checked.granularity;
  search.respect_working_hours = checked.respect_working_hours;
  search.min_optional_share = checked.min_optional_share;
  search.max_results = checked.max_results;
  search.rules = CalendarRulesOf(settings);
  search.travel_buffer = TravelBuffer(settings);
  for (const SlotRequest::IgnoredBooking& booking : checked.ignored_bookings) {
    search.ignored_bookings.insert(booking.hold ? FormatHoldName(organization, booking.id)
                                                : FormatEventName(organization, booking.id));
  }

  const CalendarStore calendars(deps.redis);
  const absl::Time now = absl::Now();
  std::vector<std::string> member_ids = required_ids;
  member_ids.insert(member_ids.end(), optional_ids.begin(), optional_ids.end());
  FIELDWORK_ASSIGN_OR_RETURN(std::vector<std::vector<CalendarEntry>> entries,
                             calendars.ReadMemberCalendars(organization, member_ids, checked.window,
                                                           search.travel_buffer, now, deadline));
  search.required = Calendars(organization, required_ids, entries.begin());
  search.optional = Calendars(organization, optional_ids, entries.begin() + required_ids.size());
  if (checked.venue.has_value()) {
    const v1::Venue& venue = records.venues.at(checked.venue->id);
    search.venue_name = FormatVenueName(organization, checked.venue->id);
    search.venue_capacity = venue.capacity();
    if (venue.exclusive()) {
      FIELDWORK_ASSIGN_OR_RETURN(std::vector<std::vector<CalendarEntry>> venue_entries,
                                 calendars.ReadVenueCalendars(organization, {checked.venue->id},
                                                              checked.window, now, deadline));
      search.venue = SlotCalendar{search.venue_name, std::move(venue_entries[0])};
    }
  }
  response = SearchSlots(search);
  return absl::OkStatus();
}

}  // namespace

grpc::Status SchedulingServiceImpl::FindSlots(grpc::ServerContextBase* context,
                                              const v1::FindSlotsRequest* request,
                                              v1::FindSlotsResponse* response) {
  return ToGrpcStatus(WithDefaultReason(AnswerFindSlots(deps_, context, *request, *response)));
}

}  // namespace fieldwork::scheduling
