// Events (SchedulingService): get, list, create, update, and the lifecycle verbs schedule, cancel
// and complete.
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/fieldctl/crud_commands.h"

namespace fieldwork::fieldctl {
namespace {

using Scheduling = v1::SchedulingService;

// "m1:lead,m2,m3:optional": members with a role (required when none).
absl::Status SetParticipants(const std::string& value, Session& session, v1::Event* event) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  event->clear_participants();
  for (absl::string_view entry : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    const std::pair<std::string, std::string> parts = absl::StrSplit(entry, ':');
    absl::StatusOr<std::string> member =
        ResourceNameArg(ResourceKind::kMember, *organization, parts.first);
    if (!member.ok()) return member.status();
    absl::StatusOr<v1::ParticipantRole> role =
        ParseEnumArg<v1::ParticipantRole>(parts.second.empty() ? "required" : parts.second);
    if (!role.ok()) return role.status();
    v1::Participant* participant = event->add_participants();
    participant->set_member(*member);
    participant->set_role(*role);
  }
  return absl::OkStatus();
}

// "u1,u2:optional": invited units with a role (required when none).
absl::Status SetInvitedUnits(const std::string& value, Session& session, v1::Event* event) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  event->clear_invited_units();
  for (absl::string_view entry : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    const std::pair<std::string, std::string> parts = absl::StrSplit(entry, ':');
    absl::StatusOr<std::string> unit =
        ResourceNameArg(ResourceKind::kUnit, *organization, parts.first);
    if (!unit.ok()) return unit.status();
    absl::StatusOr<v1::ParticipantRole> role =
        ParseEnumArg<v1::ParticipantRole>(parts.second.empty() ? "required" : parts.second);
    if (!role.ok()) return role.status();
    v1::InvitedUnit* invited = event->add_invited_units();
    invited->set_unit(*unit);
    invited->set_role(*role);
  }
  return absl::OkStatus();
}

struct EventNoun {
  using Service = Scheduling;
  using Resource = v1::Event;
  static constexpr ResourceKind kKind = ResourceKind::kEvent;
  static constexpr char kSingular[] = "event";
  static constexpr char kPlural[] = "events";
  using GetRequest = v1::GetEventRequest;
  static constexpr auto kGet = &Scheduling::Stub::GetEvent;
  using ListRequest = v1::ListEventsRequest;
  using ListResponse = v1::ListEventsResponse;
  static constexpr auto kList = &Scheduling::Stub::ListEvents;
  static const Items<Resource>& ListItems(const ListResponse& r) { return r.events(); }
  static Items<Resource>* MutableListItems(ListResponse& r) { return r.mutable_events(); }
  using CreateRequest = v1::CreateEventRequest;
  using CreateResponse = v1::CreateEventResponse;
  static constexpr auto kCreate = &Scheduling::Stub::CreateEvent;
  static void SetCreateId(CreateRequest& r, const std::string& id) { r.set_event_id(id); }
  static Resource* MutableCreated(CreateRequest& r) { return r.mutable_event(); }
  static const Resource& Created(const CreateResponse& r) { return r.event(); }
  using UpdateRequest = v1::UpdateEventRequest;
  using UpdateResponse = v1::UpdateEventResponse;
  static constexpr auto kUpdate = &Scheduling::Stub::UpdateEvent;
  static Resource* MutableUpdated(UpdateRequest& r) { return r.mutable_event(); }
  static const Resource& Updated(const UpdateResponse& r) { return r.event(); }
  static absl::StatusOr<Table> MakeTable(const Items<Resource>& items, Session& session) {
    absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
    if (!zone.ok()) return zone.status();
    return EventsTable(items, *zone);
  }
  static std::vector<FieldFlag<Resource>> Fields() {
    return {
        {"--title", "title", "Title, e.g. 关于优化营商环境的专题调研",
         SetString(&Resource::mutable_title)},
        {"--kind", "kind", absl::StrCat("One of ", EnumChoices<v1::EventKind>()),
         SetEnum(&Resource::set_kind)},
        {"--topics", "topics", "Topics (课题), comma-separated",
         [](const std::string& value, Session&, Resource* event) {
           event->clear_topics();
           for (absl::string_view topic : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
             event->add_topics(std::string(topic));
           }
           return absl::OkStatus();
         }},
        {"--description", "description", "Description and programme",
         SetString(&Resource::mutable_description)},
        {"--organizing-unit", "organizing_unit", "Unit id that organizes it",
         SetName(&Resource::mutable_organizing_unit, ResourceKind::kUnit)},
        {"--venue", "venue", "Venue id", SetName(&Resource::mutable_venue, ResourceKind::kVenue)},
        {"--start", "time_range", "Start, e.g. \"2026-12-03 09:00\" (give --end too)",
         SetTime<Resource>(
             [](Resource* e) { return e->mutable_time_range()->mutable_start_time(); })},
        {"--end", "time_range", "End, e.g. \"2026-12-03 12:00\" (give --start too)",
         SetTime<Resource>(
             [](Resource* e) { return e->mutable_time_range()->mutable_end_time(); })},
        {"--participants", "participants",
         "Members as ID[:lead|required|optional], comma-separated (role required by default)",
         SetParticipants},
        {"--invited-units", "invited_units", "Units as ID[:required|optional], comma-separated",
         SetInvitedUnits},
        {"--capacity", "capacity", "Most resolved participants (0: no limit)",
         [](const std::string& value, Session&, Resource* event) {
           int capacity = 0;
           if (!absl::SimpleAtoi(value, &capacity)) {
             return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not a number"));
           }
           event->set_capacity(capacity);
           return absl::OkStatus();
         }},
        {"--state", "state", "On create: draft (default) or scheduled (books at once)",
         SetEnum(&Resource::set_state)},
    };
  }
};

// A lifecycle verb on one event: `VERB event ID [flags]`, printing the event after it.
template <typename Request, typename Response>
void AddLifecycleCommand(Cli& cli, const CommandSpec& spec,
                         grpc::Status (Scheduling::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                         const std::function<const v1::Event&(const Response&)>& event_of,
                         std::shared_ptr<std::string> reason) {
  auto id = std::make_shared<std::string>();
  auto etag = std::make_shared<std::string>();
  CLI::App* app = cli.Add(spec, [=](Session& session) -> absl::Status {
    absl::StatusOr<std::string> organization = session.Organization();
    if (!organization.ok()) return organization.status();
    absl::StatusOr<std::string> name = ResourceNameArg(ResourceKind::kEvent, *organization, *id);
    if (!name.ok()) return name.status();
    Request request;
    request.set_name(*name);
    request.set_etag(*etag);
    if constexpr (std::is_same_v<Request, v1::CancelEventRequest>) request.set_reason(*reason);
    RpcClient<Scheduling> client(session, session.scheduling());
    Response response;
    if (absl::Status status = client.Call(method, request, &response); !status.ok()) {
      return status;
    }
    PrintWarnings(response);
    const v1::Event& event = event_of(response);
    return PrintResources<EventNoun>(session, event, One(event));
  });
  app->add_option("id", *id, "Event id or name")->required();
  app->add_option("--etag", *etag, "Refuse if the event changed since this etag");
  if (reason != nullptr) app->add_option("--reason", *reason, "Why (required)")->required();
}

}  // namespace

void AddEventCommands(Cli& cli) {
  const std::string flags =
      "--kind research-trip --title 营商环境专题调研 --start \"2026-12-03 09:00\" --end "
      "\"2026-12-03 12:00\" --participants m1:lead,m2,m3:optional --venue park";
  AddGetCommand<EventNoun>(cli, "fieldctl get events e1 -o yaml");
  AddCreateCommand<EventNoun>(cli, absl::StrCat("fieldctl create event trip1 ", flags));
  AddUpdateCommand<EventNoun>(cli, "fieldctl update event trip1 --venue town-hall");
  cli.AddApplier("Event", ApplyResource<EventNoun>);
  AddLifecycleCommand<v1::ScheduleEventRequest, v1::ScheduleEventResponse>(
      cli,
      {"schedule",
       "event",
       {"events"},
       "Book a draft event (checks conflicts)",
       "fieldctl schedule event trip1"},
      &Scheduling::Stub::ScheduleEvent,
      [](const v1::ScheduleEventResponse& r) -> const v1::Event& { return r.event(); }, nullptr);
  AddLifecycleCommand<v1::CancelEventRequest, v1::Event>(
      cli,
      {"cancel",
       "event",
       {"events"},
       "Cancel a draft or scheduled event and free its calendars",
       "fieldctl cancel event trip1 --reason 天气原因"},
      &Scheduling::Stub::CancelEvent, [](const v1::Event& e) -> const v1::Event& { return e; },
      std::make_shared<std::string>());
  AddLifecycleCommand<v1::CompleteEventRequest, v1::Event>(
      cli,
      {"complete",
       "event",
       {"events"},
       "Mark a started scheduled event as completed",
       "fieldctl complete event trip1"},
      &Scheduling::Stub::CompleteEvent, [](const v1::Event& e) -> const v1::Event& { return e; },
      nullptr);
}

}  // namespace fieldwork::fieldctl
