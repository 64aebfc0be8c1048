// Members, units and venues (RosterService): get, list, create, update, delete, and
// `import members FILE.csv`.
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "tools/fieldctl/crud_commands.h"
#include "tools/fieldctl/member_csv.h"

namespace fieldwork::fieldctl {
namespace {

using Roster = v1::RosterService;

absl::Status SetBool(const std::string& value, bool* out) {
  if (value == "true" || value == "yes") {
    *out = true;
  } else if (value == "false" || value == "no") {
    *out = false;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not true or false"));
  }
  return absl::OkStatus();
}

struct MemberNoun {
  using Service = Roster;
  using Resource = v1::Member;
  static constexpr ResourceKind kKind = ResourceKind::kMember;
  static constexpr char kSingular[] = "member";
  static constexpr char kPlural[] = "members";
  using GetRequest = v1::GetMemberRequest;
  static constexpr auto kGet = &Roster::Stub::GetMember;
  using ListRequest = v1::ListMembersRequest;
  using ListResponse = v1::ListMembersResponse;
  static constexpr auto kList = &Roster::Stub::ListMembers;
  static const Items<Resource>& ListItems(const ListResponse& r) { return r.members(); }
  static Items<Resource>* MutableListItems(ListResponse& r) { return r.mutable_members(); }
  using CreateRequest = v1::CreateMemberRequest;
  using CreateResponse = Resource;
  static constexpr auto kCreate = &Roster::Stub::CreateMember;
  static void SetCreateId(CreateRequest& r, const std::string& id) { r.set_member_id(id); }
  static Resource* MutableCreated(CreateRequest& r) { return r.mutable_member(); }
  static const Resource& Created(const CreateResponse& r) { return r; }
  using UpdateRequest = v1::UpdateMemberRequest;
  using UpdateResponse = Resource;
  static constexpr auto kUpdate = &Roster::Stub::UpdateMember;
  static Resource* MutableUpdated(UpdateRequest& r) { return r.mutable_member(); }
  static const Resource& Updated(const UpdateResponse& r) { return r; }
  using DeleteRequest = v1::DeleteMemberRequest;
  static constexpr auto kDelete = &Roster::Stub::DeleteMember;
  static absl::StatusOr<Table> MakeTable(const Items<Resource>& items, Session&) {
    return MembersTable(items);
  }
  static std::vector<FieldFlag<Resource>> Fields() {
    return {
        {"--display-name", "display_name", "Name shown to people, e.g. 王建国",
         SetString(&Resource::mutable_display_name)},
        {"--role", "role", absl::StrCat("One of ", EnumChoices<v1::MemberRole>()),
         SetEnum(&Resource::set_role)},
        {"--status", "status", absl::StrCat("One of ", EnumChoices<v1::MemberStatus>()),
         SetEnum(&Resource::set_status)},
        {"--units", "units", "Unit ids, comma-separated (replaces the list)",
         SetNames(&Resource::mutable_units, ResourceKind::kUnit)},
        {"--phone", "phone", "Contact phone", SetString(&Resource::mutable_phone)},
        {"--affiliation", "affiliation", "Employer and position",
         SetString(&Resource::mutable_affiliation)},
        {"--term", "term", "Term label, e.g. 第十届",
         [](const std::string& value, Session&, Resource* member) {
           member->mutable_term()->set_label(value);
           return absl::OkStatus();
         }},
    };
  }
};

struct UnitNoun {
  using Service = Roster;
  using Resource = v1::Unit;
  static constexpr ResourceKind kKind = ResourceKind::kUnit;
  static constexpr char kSingular[] = "unit";
  static constexpr char kPlural[] = "units";
  using GetRequest = v1::GetUnitRequest;
  static constexpr auto kGet = &Roster::Stub::GetUnit;
  using ListRequest = v1::ListUnitsRequest;
  using ListResponse = v1::ListUnitsResponse;
  static constexpr auto kList = &Roster::Stub::ListUnits;
  static const Items<Resource>& ListItems(const ListResponse& r) { return r.units(); }
  static Items<Resource>* MutableListItems(ListResponse& r) { return r.mutable_units(); }
  using CreateRequest = v1::CreateUnitRequest;
  using CreateResponse = Resource;
  static constexpr auto kCreate = &Roster::Stub::CreateUnit;
  static void SetCreateId(CreateRequest& r, const std::string& id) { r.set_unit_id(id); }
  static Resource* MutableCreated(CreateRequest& r) { return r.mutable_unit(); }
  static const Resource& Created(const CreateResponse& r) { return r; }
  using UpdateRequest = v1::UpdateUnitRequest;
  using UpdateResponse = Resource;
  static constexpr auto kUpdate = &Roster::Stub::UpdateUnit;
  static Resource* MutableUpdated(UpdateRequest& r) { return r.mutable_unit(); }
  static const Resource& Updated(const UpdateResponse& r) { return r; }
  using DeleteRequest = v1::DeleteUnitRequest;
  static constexpr auto kDelete = &Roster::Stub::DeleteUnit;
  static absl::StatusOr<Table> MakeTable(const Items<Resource>& items, Session&) {
    return UnitsTable(items);
  }
  static std::vector<FieldFlag<Resource>> Fields() {
    return {
        {"--display-name", "display_name", "Name shown to people, e.g. 经济界",
         SetString(&Resource::mutable_display_name)},
        {"--kind", "kind", absl::StrCat("One of ", EnumChoices<v1::UnitKind>()),
         SetEnum(&Resource::set_kind)},
        {"--description", "description", "Description", SetString(&Resource::mutable_description)},
        {"--component-units", "component_units",
         "Joint sector groups: the sector unit ids, comma-separated",
         SetNames(&Resource::mutable_component_units, ResourceKind::kUnit)},
    };
  }
};

struct VenueNoun {
  using Service = Roster;
  using Resource = v1::Venue;
  static constexpr ResourceKind kKind = ResourceKind::kVenue;
  static constexpr char kSingular[] = "venue";
  static constexpr char kPlural[] = "venues";
  using GetRequest = v1::GetVenueRequest;
  static constexpr auto kGet = &Roster::Stub::GetVenue;
  using ListRequest = v1::ListVenuesRequest;
  using ListResponse = v1::ListVenuesResponse;
  static constexpr auto kList = &Roster::Stub::ListVenues;
  static const Items<Resource>& ListItems(const ListResponse& r) { return r.venues(); }
  static Items<Resource>* MutableListItems(ListResponse& r) { return r.mutable_venues(); }
  using CreateRequest = v1::CreateVenueRequest;
  using CreateResponse = Resource;
  static constexpr auto kCreate = &Roster::Stub::CreateVenue;
  static void SetCreateId(CreateRequest& r, const std::string& id) { r.set_venue_id(id); }
  static Resource* MutableCreated(CreateRequest& r) { return r.mutable_venue(); }
  static const Resource& Created(const CreateResponse& r) { return r; }
  using UpdateRequest = v1::UpdateVenueRequest;
  using UpdateResponse = Resource;
  static constexpr auto kUpdate = &Roster::Stub::UpdateVenue;
  static Resource* MutableUpdated(UpdateRequest& r) { return r.mutable_venue(); }
  static const Resource& Updated(const UpdateResponse& r) { return r; }
  using DeleteRequest = v1::DeleteVenueRequest;
  static constexpr auto kDelete = &Roster::Stub::DeleteVenue;
  static absl::StatusOr<Table> MakeTable(const Items<Resource>& items, Session&) {
    return VenuesTable(items);
  }
  static std::vector<FieldFlag<Resource>> Fields() {
    return {
        {"--display-name", "display_name", "Name shown to people, e.g. 高新技术产业园",
         SetString(&Resource::mutable_display_name)},
        {"--kind", "kind", absl::StrCat("One of ", EnumChoices<v1::VenueKind>()),
         SetEnum(&Resource::set_kind)},
        {"--address", "address", "Postal address", SetString(&Resource::mutable_address)},
        {"--capacity", "capacity", "How many people it holds (0: unknown)",
         [](const std::string& value, Session&, Resource* venue) {
           int capacity = 0;
           if (!absl::SimpleAtoi(value, &capacity)) {
             return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not a number"));
           }
           venue->set_capacity(capacity);
           return absl::OkStatus();
         }},
        {"--exclusive", "exclusive", "true: one event at a time",
         [](const std::string& value, Session&, Resource* venue) {
           bool exclusive = false;
           absl::Status status = SetBool(value, &exclusive);
           venue->set_exclusive(exclusive);
           return status;
         }},
        {"--description", "description", "Description", SetString(&Resource::mutable_description)},
    };
  }
};

template <typename Noun>
void AddNoun(Cli& cli, const std::string& create_flags) {
  const std::string plural = Noun::kPlural;
  const std::string singular = Noun::kSingular;
  AddGetCommand<Noun>(cli, absl::StrCat("fieldctl get ", plural, " -o yaml"));
  AddCreateCommand<Noun>(cli, absl::StrCat("fieldctl create ", singular, " ", create_flags));
  AddUpdateCommand<Noun>(cli, absl::StrCat("fieldctl update ", singular, " ", create_flags));
  AddDeleteCommand<Noun>(cli, absl::StrCat("fieldctl delete ", singular, " old-id"));
  std::string kind = singular;
  kind[0] = absl::ascii_toupper(kind[0]);
  cli.AddApplier(kind, ApplyResource<Noun>);
}

// The server's violations of ImportMembers, each on its file line.
absl::Status ExplainImportError(const absl::Status& status, const std::vector<int>& lines,
                                const std::string& file) {
  const std::optional<common::v1::FieldViolations> violations = GetFieldViolations(status);
  if (!violations.has_value()) return status;
  std::vector<std::string> parts;
  for (const auto& violation : violations->violations()) {
    parts.push_back(DescribeRowViolation(violation.field(), violation.description(), lines));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": nothing imported: ", absl::StrJoin(parts, "; ")));
}

struct ImportOptions {
  std::string file;
  bool dry_run = false;
};

absl::Status ImportMembers(Session& session, const ImportOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  std::ifstream in(options.file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", options.file));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<MemberRows> rows = ParseMemberCsv(text.str(), *organization);
  if (!rows.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.file, ": nothing imported: ", rows.status().message()));
  }
  session.Progress(absl::StrCat("importing ", rows->members.size(), " members…"));
  v1::ImportMembersRequest request;
  request.set_parent(absl::StrCat("organizations/", *organization));
  *request.mutable_members() = {rows->members.begin(), rows->members.end()};
  request.set_validate_only(options.dry_run);
  RpcClient<Roster> client(session, session.scheduling());
  v1::ImportMembersResponse response;
  const absl::Status status = client.Call(&Roster::Stub::ImportMembers, request, &response);
  session.Progress("");
  if (!status.ok()) return ExplainImportError(status, rows->lines, options.file);
  if (session.format() == OutputFormat::kJson || session.format() == OutputFormat::kYaml) {
    session.Print(response, Table());
    return absl::OkStatus();
  }
  Table table{{"CREATED", "UPDATED", "UNCHANGED", "DRY RUN"},
              {{absl::StrCat(response.created_count()), absl::StrCat(response.updated_count()),
                absl::StrCat(response.unchanged_count()), options.dry_run ? "yes" : "no"}}};
  session.Print(response, table);
  return absl::OkStatus();
}

}  // namespace

void AddRosterCommands(Cli& cli) {
  AddNoun<MemberNoun>(cli, "m7 --display-name 王建国 --role member --units jingji,tiaoyan");
  AddNoun<UnitNoun>(cli, "jingji --display-name 经济界 --kind sector");
  AddNoun<VenueNoun>(cli, "park --display-name 高新技术产业园 --kind industrial-park");
}

void AddImportCommands(Cli& cli) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* app = cli.Add(
      {"import",
       "members",
       {"member"},
       "Create or update members from a roster CSV, all or nothing. Columns: id, display_name, "
       "role (required), status, units (ids joined by ;), phone, affiliation, term — the columns "
       "of `fieldctl list members -o csv`. A bad row is reported with its line and column and "
       "nothing is imported.",
       "fieldctl import members roster.csv --dry-run"},
      [options](Session& session) { return ImportMembers(session, *options); });
  app->add_option("file", options->file, "The roster CSV (UTF-8)")->required();
  app->add_flag("--dry-run", options->dry_run, "Check every row and count, write nothing");
}

}  // namespace fieldwork::fieldctl
