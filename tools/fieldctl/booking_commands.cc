// Holds, busy blocks and free slots (SchedulingService): get/create/confirm/release holds,
// get/create/delete busy blocks, `find slots`.
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/fieldctl/crud_commands.h"

namespace fieldwork::fieldctl {
namespace {

using Scheduling = v1::SchedulingService;

struct HoldNoun {
  using Service = Scheduling;
  using Resource = v1::Hold;
  static constexpr ResourceKind kKind = ResourceKind::kHold;
  static constexpr char kSingular[] = "hold";
  static constexpr char kPlural[] = "holds";
  using GetRequest = v1::GetHoldRequest;
  static constexpr auto kGet = &Scheduling::Stub::GetHold;
  using ListRequest = v1::ListHoldsRequest;
  using ListResponse = v1::ListHoldsResponse;
  static constexpr auto kList = &Scheduling::Stub::ListHolds;
  static const Items<Resource>& ListItems(const ListResponse& r) { return r.holds(); }
  static Items<Resource>* MutableListItems(ListResponse& r) { return r.mutable_holds(); }
  using CreateRequest = v1::CreateHoldRequest;
  using CreateResponse = Resource;
  static constexpr auto kCreate = &Scheduling::Stub::CreateHold;
  static void SetCreateId(CreateRequest& r, const std::string& id) { r.set_hold_id(id); }
  static Resource* MutableCreated(CreateRequest& r) { return r.mutable_hold(); }
  static const Resource& Created(const CreateResponse& r) { return r; }
  static absl::StatusOr<Table> MakeTable(const Items<Resource>& items, Session& session) {
    absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
    if (!zone.ok()) return zone.status();
    return HoldsTable(items, *zone);
  }
  static std::vector<FieldFlag<Resource>> Fields() {
    return {
        {"--members", "members", "Member ids held, comma-separated",
         SetNames(&Resource::mutable_members, ResourceKind::kMember)},
        {"--units", "units", "Unit ids whose active members are held, comma-separated",
         SetNames(&Resource::mutable_units, ResourceKind::kUnit)},
        {"--venue", "venue", "Venue id", SetName(&Resource::mutable_venue, ResourceKind::kVenue)},
        {"--start", "time_range", "Start, e.g. \"2026-12-03 09:00\"",
         SetTime<Resource>(
             [](Resource* h) { return h->mutable_time_range()->mutable_start_time(); })},
        {"--end", "time_range", "End, e.g. \"2026-12-03 12:00\"",
         SetTime<Resource>(
             [](Resource* h) { return h->mutable_time_range()->mutable_end_time(); })},
        {"--ttl", "ttl", "How long the hold lives, 1–30 min, e.g. 10m",
         [](const std::string& value, Session&, Resource* hold) -> absl::Status {
           absl::StatusOr<absl::Duration> ttl = ParseDurationInput(value);
           if (!ttl.ok()) return ttl.status();
           *hold->mutable_ttl() = ToProtoDuration(*ttl);
           return absl::OkStatus();
         }},
        {"--note", "note", "Purpose", SetString(&Resource::mutable_note)},
    };
  }
};

// Busy blocks are named MEMBER/BLOCK under a member; listed for one member or for every member.
absl::Status GetBusyBlocks(Session& session, const std::string& member) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  v1::ListBusyBlocksRequest request;
  if (member.empty()) {
    request.set_parent(absl::StrCat("organizations/", *organization, "/members/-"));
  } else {
    absl::StatusOr<std::string> name =
        ResourceNameArg(ResourceKind::kMember, *organization, member);
    if (!name.ok()) return name.status();
    request.set_parent(*name);
  }
  RpcClient<Scheduling> client(session, session.scheduling());
  v1::ListBusyBlocksResponse all;
  if (absl::Status status = client.ListAll(&Scheduling::Stub::ListBusyBlocks, request, &all);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  session.Print(all, BusyBlocksTable(all.busy_blocks(), *zone));
  return absl::OkStatus();
}

struct BusyBlockOptions {
  std::string member;
  std::string id;
  std::string start;
  std::string end;
  std::string reason;
};

absl::Status CreateBusyBlock(Session& session, const BusyBlockOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  absl::StatusOr<std::string> member =
      ResourceNameArg(ResourceKind::kMember, *organization, options.member);
  if (!member.ok()) return member.status();
  absl::StatusOr<absl::Time> start = session.ParseTime(options.start);
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::Time> end = session.ParseTime(options.end);
  if (!end.ok()) return end.status();
  v1::CreateBusyBlockRequest request;
  request.set_parent(*member);
  request.set_busy_block_id(options.id);
  *request.mutable_busy_block()->mutable_time_range()->mutable_start_time() = ToProtoTime(*start);
  *request.mutable_busy_block()->mutable_time_range()->mutable_end_time() = ToProtoTime(*end);
  request.mutable_busy_block()->set_reason(options.reason);
  RpcClient<Scheduling> client(session, session.scheduling());
  v1::BusyBlock block;
  if (absl::Status status = client.Call(&Scheduling::Stub::CreateBusyBlock, request, &block);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  session.Print(block, BusyBlocksTable(One(block), *zone));
  return absl::OkStatus();
}

absl::Status DeleteBusyBlock(Session& session, const std::string& arg) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  absl::StatusOr<std::string> name = BusyBlockNameArg(*organization, arg);
  if (!name.ok()) return name.status();
  v1::DeleteBusyBlockRequest request;
  request.set_name(*name);
  RpcClient<Scheduling> client(session, session.scheduling());
  google::protobuf::Empty empty;
  if (absl::Status status = client.Call(&Scheduling::Stub::DeleteBusyBlock, request, &empty);
      !status.ok()) {
    return status;
  }
  std::cout << "busy block " << arg << " deleted\n";
  return absl::OkStatus();
}

struct SlotOptions {
  std::string required_members;
  std::string required_units;
  std::string optional_members;
  std::string optional_units;
  std::string duration;
  std::string from;
  std::string to;
  std::string granularity;
  std::string venue;
  bool any_time = false;
  double min_optional_share = 0;
  int max_results = 0;
};

absl::Status AddNames(const std::string& list, ResourceKind kind, const std::string& organization,
                      google::protobuf::RepeatedPtrField<std::string>* names) {
  for (absl::string_view arg : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    absl::StatusOr<std::string> name = ResourceNameArg(kind, organization, arg);
    if (!name.ok()) return name.status();
    names->Add(*std::move(name));
  }
  return absl::OkStatus();
}

absl::Status FindSlots(Session& session, const SlotOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  v1::FindSlotsRequest request;
  request.set_parent(absl::StrCat("organizations/", *organization));
  for (const auto& [list, kind, names] :
       {std::tuple(options.required_members, ResourceKind::kMember,
                   request.mutable_required_members()),
        std::tuple(options.required_units, ResourceKind::kUnit, request.mutable_required_units()),
        std::tuple(options.optional_members, ResourceKind::kMember,
                   request.mutable_optional_members()),
        std::tuple(options.optional_units, ResourceKind::kUnit,
                   request.mutable_optional_units())}) {
    if (absl::Status status = AddNames(list, kind, *organization, names); !status.ok()) {
      return status;
    }
  }
  absl::StatusOr<absl::Duration> duration = ParseDurationInput(options.duration);
  if (!duration.ok())
    return absl::InvalidArgumentError(absl::StrCat("--duration: ", duration.status().message()));
  *request.mutable_duration() = ToProtoDuration(*duration);
  if (!options.granularity.empty()) {
    absl::StatusOr<absl::Duration> step = ParseDurationInput(options.granularity);
    if (!step.ok()) return step.status();
    *request.mutable_granularity() = ToProtoDuration(*step);
  }
  absl::StatusOr<absl::Time> from = session.ParseTime(options.from);
  if (!from.ok()) return from.status();
  absl::StatusOr<absl::Time> to = session.ParseTime(options.to);
  if (!to.ok()) return to.status();
  *request.mutable_search_window()->mutable_start_time() = ToProtoTime(*from);
  *request.mutable_search_window()->mutable_end_time() = ToProtoTime(*to);
  if (!options.venue.empty()) {
    absl::StatusOr<std::string> venue =
        ResourceNameArg(ResourceKind::kVenue, *organization, options.venue);
    if (!venue.ok()) return venue.status();
    request.set_venue(*venue);
  }
  request.set_ignore_working_hours(options.any_time);
  request.set_min_optional_share(options.min_optional_share);
  request.set_max_results(options.max_results);
  RpcClient<Scheduling> client(session, session.scheduling());
  v1::FindSlotsResponse response;
  if (absl::Status status = client.Call(&Scheduling::Stub::FindSlots, request, &response);
      !status.ok()) {
    return status;
  }
  for (const auto& reason : response.no_slot_reasons()) {
    std::cerr << "no slot: " << reason.message() << "\n";
  }
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  session.Print(response, SlotsTable(response.candidates(), *zone));
  return absl::OkStatus();
}

struct ConfirmOptions {
  std::string hold;
  std::string event_id;
  std::string kind;
  std::string title;
};

absl::Status ConfirmHold(Session& session, const ConfirmOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  absl::StatusOr<std::string> name =
      ResourceNameArg(ResourceKind::kHold, *organization, options.hold);
  if (!name.ok()) return name.status();
  absl::StatusOr<v1::EventKind> kind = ParseEnumArg<v1::EventKind>(options.kind);
  if (!kind.ok())
    return absl::InvalidArgumentError(absl::StrCat("--kind: ", kind.status().message()));
  v1::ConfirmHoldRequest request;
  request.set_name(*name);
  request.set_event_id(options.event_id);
  request.mutable_event()->set_kind(*kind);
  request.mutable_event()->set_title(options.title);
  RpcClient<Scheduling> client(session, session.scheduling());
  v1::ConfirmHoldResponse response;
  if (absl::Status status = client.Call(&Scheduling::Stub::ConfirmHold, request, &response);
      !status.ok()) {
    return status;
  }
  PrintWarnings(response);
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  session.Print(response, EventsTable(One(response.event()), *zone));
  return absl::OkStatus();
}

absl::Status ReleaseHold(Session& session, const std::string& id) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  absl::StatusOr<std::string> name = ResourceNameArg(ResourceKind::kHold, *organization, id);
  if (!name.ok()) return name.status();
  v1::ReleaseHoldRequest request;
  request.set_name(*name);
  RpcClient<Scheduling> client(session, session.scheduling());
  v1::Hold hold;
  if (absl::Status status = client.Call(&Scheduling::Stub::ReleaseHold, request, &hold);
      !status.ok()) {
    return status;
  }
  return PrintResources<HoldNoun>(session, hold, One(hold));
}

}  // namespace

void AddBookingCommands(Cli& cli) {
  AddGetCommand<HoldNoun>(cli, "fieldctl get holds");
  AddCreateCommand<HoldNoun>(cli,
                             "fieldctl create hold --members m1,m2 --start \"2026-12-03 09:00\" "
                             "--end \"2026-12-03 12:00\" --ttl 10m");
  auto confirm = std::make_shared<ConfirmOptions>();
  CLI::App* confirm_app =
      cli.Add({"confirm",
               "hold",
               {"holds"},
               "Turn an active hold into a scheduled event",
               "fieldctl confirm hold h1 --kind inspection --title 集中视察 --event-id insp1"},
              [confirm](Session& session) { return ConfirmHold(session, *confirm); });
  confirm_app->add_option("hold", confirm->hold, "Hold id")->required();
  confirm_app->add_option("--kind", confirm->kind, EnumChoices<v1::EventKind>())->required();
  confirm_app->add_option("--title", confirm->title, "Event title")->required();
  confirm_app->add_option("--event-id", confirm->event_id, "Id of the new event");
  auto release = std::make_shared<std::string>();
  cli.Add({"release", "hold", {"holds"}, "Release an active hold", "fieldctl release hold h1"},
          [release](Session& session) { return ReleaseHold(session, *release); })
      ->add_option("hold", *release, "Hold id")
      ->required();

  const std::vector<std::string> busy_aliases = {"busy-block", "busyblocks", "busyblock"};
  auto member = std::make_shared<std::string>();
  const auto get_busy = [member](Session& session) { return GetBusyBlocks(session, *member); };
  cli.Add({"get", "busy-blocks", busy_aliases, "Show a member's busy blocks, or every member's",
           "fieldctl get busy-blocks m7"},
          get_busy)
      ->add_option("member", *member, "Member id; none: every member");
  cli.Add({"list", "busy-blocks", busy_aliases, "List every member's busy blocks",
           "fieldctl list busy-blocks"},
          get_busy);
  auto block = std::make_shared<BusyBlockOptions>();
  CLI::App* create_block =
      cli.Add({"create",
               "busy-block",
               {"busy-blocks", "busyblock"},
               "Mark a member unavailable",
               "fieldctl create busy-block m7 trip --start \"2026-12-01 00:00\" --end \"2026-12-05 "
               "00:00\" --reason 出差"},
              [block](Session& session) { return CreateBusyBlock(session, *block); });
  create_block->add_option("member", block->member, "Member id")->required();
  create_block->add_option("id", block->id, "Id of the block; none: a random one");
  create_block->add_option("--start", block->start, "Start")->required();
  create_block->add_option("--end", block->end, "End")->required();
  create_block->add_option("--reason", block->reason, "Why");
  auto delete_block = std::make_shared<std::string>();
  cli.Add({"delete",
           "busy-block",
           {"busy-blocks", "busyblock"},
           "Delete a busy block",
           "fieldctl delete busy-block m7/trip"},
          [delete_block](Session& session) { return DeleteBusyBlock(session, *delete_block); })
      ->add_option("name", *delete_block, "MEMBER/BLOCK ids or the full name")
      ->required();

  auto slots = std::make_shared<SlotOptions>();
  CLI::App* find =
      cli.Add({"find",
               "slots",
               {"slot"},
               "Find times when the required members (and venue) are free",
               "fieldctl find slots --required m1,m2 --optional-units jingji --duration 3h --from "
               "2026-12-01 --to 2026-12-15 --venue park"},
              [slots](Session& session) { return FindSlots(session, *slots); });
  find->add_option("--required", slots->required_members, "Member ids that must be free");
  find->add_option("--required-units", slots->required_units, "Unit ids that must be free");
  find->add_option("--optional", slots->optional_members, "Member ids counted, not required");
  find->add_option("--optional-units", slots->optional_units, "Unit ids counted, not required");
  find->add_option("--duration", slots->duration, "Length, e.g. 3h")->required();
  find->add_option("--from", slots->from, "Search window start")->required();
  find->add_option("--to", slots->to, "Search window end")->required();
  find->add_option("--granularity", slots->granularity, "Step between starts (default 30m)");
  find->add_option("--venue", slots->venue, "Venue id that must be free");
  find->add_flag("--any-time", slots->any_time, "Ignore working hours and days");
  find->add_option("--min-optional-share", slots->min_optional_share,
                   "Least share (0–1) of optional members free");
  find->add_option("--max-results", slots->max_results, "Most candidates (default 10)");
}

}  // namespace fieldwork::fieldctl
