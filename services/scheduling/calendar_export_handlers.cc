// ExportCalendar: RFC 5545 iCalendar of a member or the whole organization. The handler checks
// the request, reads the organization, the events and their venues, and leaves the document to
// calendar_export.h and ical.h.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/call_rate_limiter.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/calendar_export.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/handler_support.h"
#include "services/scheduling/ical.h"
#include "services/scheduling/organization_rules.h"
#include "services/scheduling/roster_facts.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr char kProductId[] = "-//fieldwork//scheduling 1.0//ZH";

// The venues the events name, by venue name; venues deleted since are left out.
absl::StatusOr<absl::flat_hash_map<std::string, v1::Venue>> VenuesOf(
    const RosterFacts& roster, absl::string_view organization, const std::vector<v1::Event>& events,
    absl::Time deadline) {
  std::vector<Reference> references;
  absl::flat_hash_set<std::string> seen;
  const auto add = [&](const std::string& name) {
    absl::StatusOr<ChildName> venue = ParseVenueName(name);
    if (venue.ok() && seen.insert(venue->id).second) {
      references.push_back({Reference::Kind::kVenue, venue->id, name});
    }
  };
  for (const v1::Event& event : events) {
    if (!event.venue().empty()) add(event.venue());
    for (const v1::ItineraryStop& stop : event.itinerary()) add(stop.venue());
  }
  FieldErrors missing;  // a venue deleted after the event was booked is no error here
  FIELDWORK_ASSIGN_OR_RETURN(RosterRecords records,
                             roster.Resolve(organization, references, missing, deadline));
  absl::flat_hash_map<std::string, v1::Venue> venues;
  for (auto& [id, venue] : records.venues) {
    venues.emplace(FormatVenueName(organization, id), std::move(venue));
  }
  return venues;
}

absl::Status Export(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                    const v1::ExportCalendarRequest& request,
                    v1::ExportCalendarResponse& response) {
  absl::StatusOr<std::string> parent = ParseOrganizationName(request.parent());
  if (!parent.ok()) return InvalidField("parent", parent.status().message());
  const std::string& organization = *parent;
  const AccessTarget target = request.member().empty()
                                  ? AccessTarget::Organization(organization)
                                  : AccessTarget::Member(organization, request.member());
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authorize(context, target));
  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const RosterFacts roster(deps.redis);
  FIELDWORK_ASSIGN_OR_RETURN(const v1::Organization settings,
                             roster.Organization(organization, deadline));

  FieldErrors errors;
  std::vector<Reference> member;
  if (!request.member().empty()) {
    absl::StatusOr<ChildName> parsed = ParseMemberName(request.member());
    if (!parsed.ok()) {
      errors.Add("member", parsed.status().message());
    } else if (parsed->organization != organization) {
      errors.Add("member", absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    } else {
      member.push_back({Reference::Kind::kMember, parsed->id, "member"});
    }
  }
  const absl::Time now = absl::Now();
  Interval range{now - kExportDefaultPast, now + kExportDefaultAhead};
  if (request.has_time_range()) {
    std::optional<Interval> checked = CheckTimeRange("time_range", request.time_range(), true,
                                                     absl::Seconds(1), kExportLongestRange, errors);
    if (checked.has_value()) range = *checked;
  }
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  FIELDWORK_RETURN_IF_ERROR(CallRateLimiter(deps.redis)
                                .Count(organization, "ExportCalendar", caller.subject,
                                       kExpensiveReadRate, now, deadline));
  FIELDWORK_ASSIGN_OR_RETURN(const RosterRecords records,
                             roster.Resolve(organization, member, errors, deadline));
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const EventStore store(deps.redis);
  FIELDWORK_ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                             member.empty()
                                 ? store.ListOverlapping(organization, range, deadline)
                                 : store.ListOfMember(organization, member[0].id, range, deadline));
  events.erase(std::remove_if(events.begin(), events.end(),
                              [](const v1::Event& event) { return !Exported(event); }),
               events.end());
  FIELDWORK_ASSIGN_OR_RETURN(const auto venues, VenuesOf(roster, organization, events, deadline));

  IcalCalendar calendar;
  calendar.product_id = kProductId;
  calendar.name = member.empty() ? settings.display_name()
                                 : absl::StrCat(records.members.at(member[0].id).display_name(),
                                                " · ", settings.display_name());
  calendar.time_zone = CalendarRulesOf(settings).zone;
  calendar.time_zone_id = calendar.time_zone.name();
  calendar.range = range;
  for (const v1::Event& event : events) {
    calendar.events.push_back(ToIcalEvent(organization, event, venues, calendar.time_zone));
  }
  response.set_content_type("text/calendar; charset=utf-8");
  response.set_filename(
      ExportFileName(organization, member.empty() ? "" : member[0].id, range, calendar.time_zone));
  response.set_content(EncodeIcalendar(calendar));
  response.set_event_count(static_cast<int>(calendar.events.size()));
  return absl::OkStatus();
}

}  // namespace

grpc::Status SchedulingServiceImpl::ExportCalendar(grpc::ServerContextBase* context,
                                                   const v1::ExportCalendarRequest* request,
                                                   v1::ExportCalendarResponse* response) {
  return ToGrpcStatus(WithDefaultReason(Export(deps_, context, *request, *response)));
}

}  // namespace fieldwork::scheduling
