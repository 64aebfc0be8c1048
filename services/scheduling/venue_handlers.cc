// Venues (towns, communities, enterprises, industrial parks, offices): create, read, list, update
// and delete.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/grpc_answer.h"
#include "common/api/page_token.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/organization_store.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/roster_kind.h"
#include "services/scheduling/roster_rules.h"
#include "services/scheduling/roster_service.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

using Empty = google::protobuf::Empty;

constexpr int kDefaultVenuePageSize = 100;
constexpr int kMaxVenuePageSize = 1000;

bool UsesVenue(const v1::Event& event, absl::string_view venue_name) {
  if (event.venue() == venue_name) return true;
  for (const v1::ItineraryStop& stop : event.itinerary()) {
    if (stop.venue() == venue_name) return true;
  }
  return false;
}

absl::StatusOr<v1::Venue> CreateVenue(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                      const v1::CreateVenueRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  FieldErrors errors;
  CheckChosenId("venue_id", request.venue_id(), errors);
  if (!request.has_venue()) {
    errors.Add("venue", "is required");
  } else {
    ValidateVenue(request.venue(), "venue", errors);
  }
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const RequestRecord record(deps.idempotency, call.organization, RosterMethod("CreateVenue"),
                             request);
  const std::string id = request.venue_id().empty() ? NewResourceId() : request.venue_id();
  return CreateRosterResource<v1::Venue>(
      deps, call.caller, call.organization, record, id, request.venue(),
      CallDeadline(context, deps.rpc_budget),
      [](const RosterStore&, v1::Venue&) { return absl::OkStatus(); });
}

absl::StatusOr<v1::ListVenuesResponse> ListVenues(const SchedulingDeps& deps,
                                                  grpc::ServerContextBase* context,
                                                  const v1::ListVenuesRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const ParentRosterCall call,
                             BeginParentRosterCall(deps, context, request.parent()));
  FieldErrors errors;
  const int page_size =
      CheckPageSize(request.page_size(), kDefaultVenuePageSize, kMaxVenuePageSize, errors);
  CheckOptionalEnum("kind", request.kind(), v1::VenueKind_IsValid, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  const std::string digest = FilterDigest(request);
  FIELDWORK_ASSIGN_OR_RETURN(const std::string after,
                             DecodePageToken(request.page_token(), digest));

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  FIELDWORK_RETURN_IF_ERROR(OrganizationStore(deps.redis).CheckExists(call.organization, deadline));
  FIELDWORK_ASSIGN_OR_RETURN(
      RosterPage<v1::Venue> page,
      RosterStore(deps.redis)
          .ListVenues(call.organization, request.kind(), after, page_size, deadline));
  v1::ListVenuesResponse response;
  FillRosterPage(std::move(page), digest, *response.mutable_venues(), response);
  return response;
}

absl::StatusOr<v1::Venue> UpdateVenue(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                      const v1::UpdateVenueRequest& request) {
  return UpdateRosterResource<v1::Venue, v1::UpdateVenueRequest>(
      deps, context, "UpdateVenue", request, request.venue(),
      [](const Principal&, const v1::UpdateVenueRequest&) { return absl::OkStatus(); },
      [](const RosterStore&, const ChildName&, const v1::Venue& after, absl::Time) {
        FieldErrors invalid;
        ValidateVenue(after, "venue", invalid);
        return invalid.ToStatus();
      });
}

absl::StatusOr<Empty> DeleteVenue(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                                  const v1::DeleteVenueRequest& request) {
  FIELDWORK_ASSIGN_OR_RETURN(const NamedRosterCall call,
                             BeginNamedRosterCall<v1::Venue>(deps, context, "name", request.name(),
                                                             /*self_access=*/false));
  const Principal& caller = call.caller;
  const ChildName& name = call.name;
  if (request.force()) FIELDWORK_RETURN_IF_ERROR(CheckMayForce(caller));
  FieldErrors errors;
  CheckRequestId(request.request_id(), errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time deadline = CallDeadline(context, deps.rpc_budget);
  const RosterStore store(deps.redis);
  const std::string venue_name = FormatVenueName(name.organization, name.id);
  const RequestRecord record(deps.idempotency, name.organization, RosterMethod("DeleteVenue"),
                             request);
  return RunOnce<Empty>(record, deadline, [&]() -> absl::StatusOr<Empty> {
    return RetryOnChange<Empty>(record, [&]() -> absl::StatusOr<Empty> {
      FIELDWORK_ASSIGN_OR_RETURN(const Stored<v1::Venue> before,
                                 store.GetVenue(name.organization, name.id, deadline));
      // Under the venue's calendar lock no booking can slip in between the check and the delete.
      FIELDWORK_ASSIGN_OR_RETURN(std::unique_ptr<LockSet> locks,
                                 deps.locks->Acquire({VenueLockKey(name.organization, name.id)},
                                                     LockWaitDeadline(deps, deadline)));
      const absl::Time now = absl::Now();
      FIELDWORK_ASSIGN_OR_RETURN(
          const std::vector<std::vector<CalendarEntry>> calendars,
          CalendarStore(deps.redis)
              .ReadVenueCalendars(name.organization, {name.id}, FutureWindow(now), now, deadline));
      const std::vector<CalendarEntry> bookings = FutureBookings(calendars.front(), now);
      fieldwork::common::v1::Conflicts uses;
      for (const CalendarEntry& entry : bookings) {
        AddUse(venue_name, entry.booked_by, entry.interval.start, entry.interval.end,
               "venue booked", uses);
      }
      // Events at a non-exclusive venue leave no calendar entry; their records name the venue.
      FIELDWORK_ASSIGN_OR_RETURN(
          const std::vector<v1::Event> events,
          EventStore(deps.redis).ListOverlapping(name.organization, FutureWindow(now), deadline));
      for (const v1::Event& event : events) {
        const bool booked = std::any_of(
            bookings.begin(), bookings.end(),
            [&](const CalendarEntry& entry) { return entry.booked_by == event.name(); });
        if (event.state() != v1::EVENT_STATE_SCHEDULED || booked || !UsesVenue(event, venue_name)) {
          continue;
        }
        AddUse(venue_name, event.name(), ToTime(event.time_range().start_time()),
               ToTime(event.time_range().end_time()), "event takes place there", uses);
      }
      if (!uses.conflicts().empty() && !request.force()) {
        return HasFutureEvents(venue_name, uses);
      }
      RosterWrite write(name.organization);
      for (const CalendarEntry& entry : bookings) {
        write.AddOp(CalendarStore::RemoveVenueEntry(name.organization, name.id, entry));
      }
      write.DeleteVenue(before);
      v1::Change change =
          RosterChange(v1::CHANGE_TYPE_VENUE_DELETED, venue_name, caller, ToTimestamp(now));
      *change.mutable_venue() = before.record;
      write.AddChange(change);
      FIELDWORK_RETURN_IF_ERROR(store.Commit(write, record, Empty(), deadline, locks.get()));
      return Empty();
    });
  });
}

}  // namespace

grpc::Status RosterServiceImpl::CreateVenue(grpc::ServerContextBase* context,
                                            const v1::CreateVenueRequest* request,
                                            v1::Venue* response) {
  return Answer(scheduling::CreateVenue(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::GetVenue(grpc::ServerContextBase* context,
                                         const v1::GetVenueRequest* request, v1::Venue* response) {
  return Answer(GetRosterResource<v1::Venue>(deps_, context, request->name()), response);
}

grpc::Status RosterServiceImpl::ListVenues(grpc::ServerContextBase* context,
                                           const v1::ListVenuesRequest* request,
                                           v1::ListVenuesResponse* response) {
  return Answer(scheduling::ListVenues(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::UpdateVenue(grpc::ServerContextBase* context,
                                            const v1::UpdateVenueRequest* request,
                                            v1::Venue* response) {
  return Answer(scheduling::UpdateVenue(deps_, context, *request), response);
}

grpc::Status RosterServiceImpl::DeleteVenue(grpc::ServerContextBase* context,
                                            const v1::DeleteVenueRequest* request,
                                            Empty* response) {
  return Answer(scheduling::DeleteVenue(deps_, context, *request), response);
}

}  // namespace fieldwork::scheduling
