// Events: create, read, list, update, schedule, cancel and complete. Handlers authorize, check
// the request's fields, and leave booking to EventBooking (event_booking.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/page_token.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/event_booking.h"
#include "services/scheduling/event_listing.h"
#include "services/scheduling/event_rules.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/handler_support.h"
#include "services/scheduling/roster_handler_support.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kDefaultEventPageSize = 50;
constexpr int kMaxEventPageSize = 500;

// Parses `name` (an event name, reported under `field`) into its organization and id.
absl::StatusOr<ChildName> ParseEventField(absl::string_view field, absl::string_view name) {
  absl::StatusOr<ChildName> parsed = ParseEventName(name);
  if (!parsed.ok()) return InvalidField(field, parsed.status().message());
  return parsed;
}

// A member sees only non-draft events it takes part in; to it, others do not exist.
bool VisibleTo(const Principal& caller, const v1::Event& event) {
  if (caller.role != Role::kMember) return true;
  return event.state() != v1::EVENT_STATE_DRAFT && TakesPart(event, caller.subject);
}

template <typename Response>
EventAnswer AnswerInto(Response& response) {
  return [&response](
             const v1::Event& event,
             const std::vector<v1::BookingWarning>& warnings) -> const google::protobuf::Message& {
    response.Clear();
    *response.mutable_event() = event;
    for (const v1::BookingWarning& warning : warnings) *response.add_warnings() = warning;
    return response;
  };
}

EventAnswer AnswerEvent(v1::Event& response) {
  return [&response](const v1::Event& event,
                     const std::vector<v1::BookingWarning>&) -> const google::protobuf::Message& {
    response = event;
    return response;
  };
}

}  // namespace

grpc::Status SchedulingServiceImpl::CreateEvent(grpc::ServerContextBase* context,
                                                const v1::CreateEventRequest* request,
                                                v1::CreateEventResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const std::string organization, ParseParent(request->parent()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(organization)));
    FieldErrors errors;
    if (!request->event_id().empty()) {
      if (absl::Status valid = ValidateId(request->event_id()); !valid.ok()) {
        errors.Add("event_id", valid.message());
      }
    }
    CheckRequestId(request->request_id(), errors);
    if (!request->has_event()) {
      errors.Add("event", "is required");
    } else {
      CheckEventFields("event", request->event(), organization, errors);
      const v1::EventState state = request->event().state();
      if (state != v1::EVENT_STATE_UNSPECIFIED && state != v1::EVENT_STATE_DRAFT &&
          state != v1::EVENT_STATE_SCHEDULED) {
        errors.Add("event.state", "must be DRAFT or SCHEDULED");
      }
    }
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, organization, SchedulingMethod("CreateEvent"),
                               *request);
    // A random id is drawn once per call; a retry replays the recorded answer instead.
    const std::string event_id =
        request->event_id().empty() ? NewResourceId() : request->event_id();
    return Once<v1::CreateEventResponse>(
        record, deadline, *response, [&](v1::CreateEventResponse& fresh) {
          return EventBooking(deps_).Create(caller, organization, event_id, request->event(),
                                            request->validate_only(), {}, record, deadline,
                                            AnswerInto(fresh));
        });
  };
  return Finish(run());
}

void SchedulingServiceImpl::GetEvent(grpc::CallbackServerContext* context,
                                     const v1::GetEventRequest* request, v1::Event* response,
                                     CallDone done) {
  ChildName name;
  auto check = [&]() -> absl::StatusOr<Principal> {
    FIELDWORK_ASSIGN_OR_RETURN(name, ParseEventField("name", request->name()));
    if (!request->member().empty()) {
      absl::StatusOr<ChildName> filter = ParseMemberName(request->member());
      if (!filter.ok()) return InvalidField("member", filter.status().message());
      if (filter->organization != name.organization) {
        return InvalidField("member", "must be a member of the event's organization");
      }
    }
    FIELDWORK_ASSIGN_OR_RETURN(Principal caller, deps_.authorizer->Authenticate(context));
    const bool member = caller.role == Role::kMember;
    FIELDWORK_RETURN_IF_ERROR(
        deps_.authorizer->Authorize(context, caller,
                                    member ? AccessTarget::Member(name.organization, caller.subject)
                                           : AccessTarget::Organization(name.organization)));
    return caller;
  };
  absl::StatusOr<Principal> caller = check();
  if (!caller.ok()) return std::move(done)(Finish(caller.status()));
  // Parsed straight into the answer, which lives on the call's arena.
  EventStore(deps_.redis)
      .ReadAsync(name.organization, name.id, CallDeadline(context, deps_.rpc_budget), *response,
                 [caller = *std::move(caller), request, response,
                  done = std::move(done)](absl::Status read) mutable {
                   if (read.ok() && !VisibleTo(caller, *response)) {
                     response->Clear();
                     read =
                         absl::NotFoundError(absl::StrCat("event ", request->name(), " not found"));
                   }
                   if (read.ok() && !request->member().empty()) {
                     KeepOnlyParticipant(*response, request->member());
                   }
                   std::move(done)(Finish(read));
                 });
}

grpc::Status SchedulingServiceImpl::ListEvents(grpc::ServerContextBase* context,
                                               const v1::ListEventsRequest* request,
                                               v1::ListEventsResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const std::string organization, ParseParent(request->parent()));
    FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps_.authorizer->Authenticate(context));
    const bool member = caller.role == Role::kMember;
    FIELDWORK_RETURN_IF_ERROR(
        deps_.authorizer->Authorize(context, caller,
                                    member ? AccessTarget::Member(organization, request->member())
                                           : AccessTarget::Organization(organization)));
    FieldErrors errors;
    const int page_size =
        CheckPageSize(request->page_size(), kDefaultEventPageSize, kMaxEventPageSize, errors);
    EventFilter filter = CheckEventFilter(*request, organization, errors);
    filter.hide_drafts = member;
    if (!IsEventReadMask(request->read_mask())) {
      errors.Add("read_mask", "every path must name a field of Event, e.g. \"name,time_range\"");
    }
    const std::string digest = FilterDigest(*request);
    absl::StatusOr<std::string> after = DecodePageToken(request->page_token(), digest);
    if (!after.ok()) errors.Add("page_token", after.status().message());
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const EventStore events(deps_.redis);
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<v1::Event> candidates,
        filter.member.empty()
            ? events.ListOverlapping(organization, filter.window, deadline)
            : events.ListOfMember(organization, filter.member, filter.window, deadline));
    std::vector<v1::Event> matching;
    for (v1::Event& event : candidates) {
      if (Matches(event, filter)) matching.push_back(std::move(event));
    }
    response->set_total_size(static_cast<int32_t>(matching.size()));
    std::string next;
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<v1::Event> page,
        PageAfter(std::move(matching), *after, page_size, EventStartSeconds, next));
    for (v1::Event& event : page) {
      TrimToReadMask(request->read_mask(), event);
      *response->add_events() = std::move(event);
    }
    if (!next.empty()) response->set_next_page_token(EncodePageToken(digest, next));
    return absl::OkStatus();
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::UpdateEvent(grpc::ServerContextBase* context,
                                                const v1::UpdateEventRequest* request,
                                                v1::UpdateEventResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name,
                               ParseEventField("event.name", request->event().name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    CheckRequestId(request->request_id(), errors);
    CheckUpdateMask(request->update_mask(), EventMask(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("UpdateEvent"), *request);
    return Once<v1::UpdateEventResponse>(
        record, deadline, *response, [&](v1::UpdateEventResponse& fresh) {
          return EventBooking(deps_).Update(caller, name, *request, record, deadline,
                                            AnswerInto(fresh));
        });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::ScheduleEvent(grpc::ServerContextBase* context,
                                                  const v1::ScheduleEventRequest* request,
                                                  v1::ScheduleEventResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseEventField("name", request->name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("ScheduleEvent"), *request);
    return Once<v1::ScheduleEventResponse>(
        record, deadline, *response, [&](v1::ScheduleEventResponse& fresh) {
          return EventBooking(deps_).Schedule(caller, name, request->etag(), record, deadline,
                                              AnswerInto(fresh));
        });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::CancelEvent(grpc::ServerContextBase* context,
                                                const v1::CancelEventRequest* request,
                                                v1::Event* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseEventField("name", request->name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    CheckText("reason", request->reason(), 1, 500, errors);
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("CancelEvent"), *request);
    return Once<v1::Event>(record, deadline, *response, [&](v1::Event& fresh) {
      return EventBooking(deps_).Cancel(caller, name, request->reason(), request->etag(), record,
                                        deadline, AnswerEvent(fresh));
    });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::CompleteEvent(grpc::ServerContextBase* context,
                                                  const v1::CompleteEventRequest* request,
                                                  v1::Event* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, ParseEventField("name", request->name()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
    FieldErrors errors;
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, name.organization,
                               SchedulingMethod("CompleteEvent"), *request);
    return Once<v1::Event>(record, deadline, *response, [&](v1::Event& fresh) {
      return EventBooking(deps_).Complete(caller, name, request->etag(), record, deadline,
                                          AnswerEvent(fresh));
    });
  };
  return Finish(run());
}

}  // namespace fieldwork::scheduling
