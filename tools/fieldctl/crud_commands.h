// The standard commands every resource noun shares (`get`, `create`, `update`, `delete`, and
// `list` as `get` without ids), written once over a Noun traits struct that names the service, the
// request and response types, the methods and the table of the resource. Field flags (e.g.
// `--display-name`) fill the resource on create and the resource plus update_mask on update.
//
//   struct MemberNoun {
//     using Service = v1::RosterService;
//     using Resource = v1::Member;
//     static constexpr ResourceKind kKind = ResourceKind::kMember;
//     …
//   };
//   AddGetCommand<MemberNoun>(cli, "fieldctl get members m7");
#ifndef FIELDWORK_TOOLS_FIELDCTL_CRUD_COMMANDS_H_
#define FIELDWORK_TOOLS_FIELDCTL_CRUD_COMMANDS_H_

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/output_format.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/resource_tables.h"
#include "tools/fieldctl/rpc_client.h"
#include "tools/fieldctl/session.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {

// A flag that sets one field of a resource `R` (and names it in update_mask on update).
template <typename R>
struct FieldFlag {
  std::string flag;  // "--display-name"
  std::string path;  // update_mask path, "display_name"
  std::string help;
  std::function<absl::Status(const std::string& value, Session& session, R* resource)> set;
};

// The values given to a command's field flags, filled by CLI11 while parsing.
template <typename R>
class FieldFlagValues {
 public:
  FieldFlagValues(CLI::App* app, std::vector<FieldFlag<R>> flags) : flags_(std::move(flags)) {
    for (const FieldFlag<R>& flag : flags_)
      app->add_option(flag.flag, values_[flag.flag], flag.help);
  }

  // Applies every flag given on the command line to `resource`, adding its path to `mask`.
  absl::Status Apply(Session& session, R* resource, google::protobuf::FieldMask* mask) const {
    for (const FieldFlag<R>& flag : flags_) {
      const std::optional<std::string>& value = values_.at(flag.flag);
      if (!value.has_value()) continue;
      if (absl::Status status = flag.set(*value, session, resource); !status.ok()) {
        return absl::Status(status.code(), absl::StrCat(flag.flag, ": ", status.message()));
      }
      if (std::find(mask->paths().begin(), mask->paths().end(), flag.path) == mask->paths().end()) {
        mask->add_paths(flag.path);
      }
    }
    return absl::OkStatus();
  }

 private:
  std::vector<FieldFlag<R>> flags_;
  std::map<std::string, std::optional<std::string>> values_;
};

// Field setters shared by the nouns.
template <typename R>
auto SetString(std::string* (R::*mutable_field)()) {
  return [mutable_field](const std::string& value, Session&, R* resource) {
    *(resource->*mutable_field)() = value;
    return absl::OkStatus();
  };
}
template <typename R, typename Enum>
auto SetEnum(void (R::*setter)(Enum)) {
  return [setter](const std::string& value, Session&, R* resource) -> absl::Status {
    absl::StatusOr<Enum> parsed = ParseEnumArg<Enum>(value);
    if (!parsed.ok()) return parsed.status();
    (resource->*setter)(*parsed);
    return absl::OkStatus();
  };
}
// A comma-separated list of ids or names of `kind`, replacing the repeated field.
template <typename R>
auto SetNames(google::protobuf::RepeatedPtrField<std::string>* (R::*mutable_field)(),
              ResourceKind kind) {
  return [mutable_field, kind](const std::string& value, Session& session,
                               R* resource) -> absl::Status {
    absl::StatusOr<std::string> organization = session.Organization();
    if (!organization.ok()) return organization.status();
    auto* field = (resource->*mutable_field)();
    field->Clear();
    for (absl::string_view arg : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      absl::StatusOr<std::string> name = ResourceNameArg(kind, *organization, arg);
      if (!name.ok()) return name.status();
      field->Add(*std::move(name));
    }
    return absl::OkStatus();
  };
}
// One resource name of `kind` ("" clears it).
template <typename R>
auto SetName(std::string* (R::*mutable_field)(), ResourceKind kind) {
  return [mutable_field, kind](const std::string& value, Session& session,
                               R* resource) -> absl::Status {
    if (value.empty()) {
      (resource->*mutable_field)()->clear();
      return absl::OkStatus();
    }
    absl::StatusOr<std::string> organization = session.Organization();
    if (!organization.ok()) return organization.status();
    absl::StatusOr<std::string> name = ResourceNameArg(kind, *organization, value);
    if (!name.ok()) return name.status();
    *(resource->*mutable_field)() = *name;
    return absl::OkStatus();
  };
}

// A time flag (organization time zone or RFC 3339) setting one Timestamp of `R`.
template <typename R>
auto SetTime(google::protobuf::Timestamp* (*field)(R*)) {
  return [field](const std::string& value, Session& session, R* resource) -> absl::Status {
    absl::StatusOr<absl::Time> time = session.ParseTime(value);
    if (!time.ok()) return time.status();
    *field(resource) = ToProtoTime(*time);
    return absl::OkStatus();
  };
}

// Prints booking warnings of an answer that has them.
template <typename Response>
auto PrintWarnings(const Response& response) -> decltype(response.warnings(), void()) {
  for (const auto& warning : response.warnings()) {
    std::cerr << "warning: " << warning.message() << "\n";
  }
}
inline void PrintWarnings(const google::protobuf::Message&) {}

template <typename Noun>
absl::Status PrintResources(Session& session, const google::protobuf::Message& message,
                            const Items<typename Noun::Resource>& items) {
  if (session.format() == OutputFormat::kJson || session.format() == OutputFormat::kYaml) {
    session.Print(message, Table());
    return absl::OkStatus();
  }
  absl::StatusOr<Table> table = Noun::MakeTable(items, session);
  if (!table.ok()) return table.status();
  session.Print(message, *table);
  return absl::OkStatus();
}

// `get NOUNS [ID…]`: the named resources, or every one (all pages) without ids; also `list NOUNS`.
template <typename Noun>
void AddGetCommand(Cli& cli, const std::string& example) {
  auto ids = std::make_shared<std::vector<std::string>>();
  const auto run = [ids](Session& session) -> absl::Status {
    absl::StatusOr<std::string> organization = session.Organization();
    if (!organization.ok()) return organization.status();
    RpcClient<typename Noun::Service> client(session, session.scheduling());
    if (ids->empty()) {
      typename Noun::ListRequest request;
      request.set_parent(absl::StrCat("organizations/", *organization));
      typename Noun::ListResponse all;
      if (absl::Status status = client.ListAll(Noun::kList, request, &all); !status.ok()) {
        return status;
      }
      return PrintResources<Noun>(session, all, Noun::ListItems(all));
    }
    Items<typename Noun::Resource> found;
    for (const std::string& id : *ids) {
      absl::StatusOr<std::string> name = ResourceNameArg(Noun::kKind, *organization, id);
      if (!name.ok()) return name.status();
      typename Noun::GetRequest request;
      request.set_name(*name);
      if (absl::Status status = client.Call(Noun::kGet, request, found.Add()); !status.ok()) {
        return status;
      }
    }
    if (found.size() == 1) return PrintResources<Noun>(session, found[0], found);
    typename Noun::ListResponse list;
    *Noun::MutableListItems(list) = found;
    return PrintResources<Noun>(session, list, found);
  };
  CLI::App* get = cli.Add({"get",
                           Noun::kPlural,
                           {Noun::kSingular},
                           absl::StrCat("Show ", Noun::kPlural, " by id, or all of them"),
                           example},
                          run);
  get->add_option("ids", *ids, "Ids or full names; none: every one");
  cli.Add({"list",
           Noun::kPlural,
           {Noun::kSingular},
           absl::StrCat("List every ", Noun::kSingular),
           absl::StrCat("fieldctl list ", Noun::kPlural, " -o csv")},
          run);
}

// `create NOUN [ID] --field …`: prints the created resource.
template <typename Noun>
void AddCreateCommand(Cli& cli, const std::string& example) {
  using Resource = typename Noun::Resource;
  auto id = std::make_shared<std::string>();
  auto values = std::make_shared<std::unique_ptr<FieldFlagValues<Resource>>>();
  CLI::App* app = cli.Add(
      {"create",
       Noun::kSingular,
       {Noun::kPlural},
       absl::StrCat("Create a ", Noun::kSingular),
       example},
      [id, values](Session& session) -> absl::Status {
        absl::StatusOr<std::string> parent = session.OrganizationName();
        if (!parent.ok()) return parent.status();
        typename Noun::CreateRequest request;
        request.set_parent(*parent);
        Noun::SetCreateId(request, *id);
        google::protobuf::FieldMask given;
        if (absl::Status status = (*values)->Apply(session, Noun::MutableCreated(request), &given);
            !status.ok()) {
          return status;
        }
        RpcClient<typename Noun::Service> client(session, session.scheduling());
        typename Noun::CreateResponse response;
        if (absl::Status status = client.Call(Noun::kCreate, request, &response); !status.ok()) {
          return status;
        }
        PrintWarnings(response);
        const Resource& created = Noun::Created(response);
        return PrintResources<Noun>(session, created, One(created));
      });
  app->add_option("id", *id, "Id of the new resource; none: a random one");
  *values = std::make_unique<FieldFlagValues<Resource>>(app, Noun::Fields());
}

// `update NOUN ID --field …`: changes exactly the fields given.
template <typename Noun>
void AddUpdateCommand(Cli& cli, const std::string& example) {
  using Resource = typename Noun::Resource;
  auto id = std::make_shared<std::string>();
  auto values = std::make_shared<std::unique_ptr<FieldFlagValues<Resource>>>();
  CLI::App* app = cli.Add(
      {"update",
       Noun::kSingular,
       {Noun::kPlural},
       absl::StrCat("Change the given fields of a ", Noun::kSingular),
       example},
      [id, values](Session& session) -> absl::Status {
        absl::StatusOr<std::string> organization = session.Organization();
        if (!organization.ok()) return organization.status();
        absl::StatusOr<std::string> name = ResourceNameArg(Noun::kKind, *organization, *id);
        if (!name.ok()) return name.status();
        typename Noun::UpdateRequest request;
        Resource* resource = Noun::MutableUpdated(request);
        resource->set_name(*name);
        if (absl::Status status =
                (*values)->Apply(session, resource, request.mutable_update_mask());
            !status.ok()) {
          return status;
        }
        if (request.update_mask().paths().empty()) {
          return absl::InvalidArgumentError("nothing to change: give at least one field flag");
        }
        RpcClient<typename Noun::Service> client(session, session.scheduling());
        typename Noun::UpdateResponse response;
        if (absl::Status status = client.Call(Noun::kUpdate, request, &response); !status.ok()) {
          return status;
        }
        PrintWarnings(response);
        const Resource& updated = Noun::Updated(response);
        return PrintResources<Noun>(session, updated, One(updated));
      });
  app->add_option("id", *id, "Id or full name")->required();
  *values = std::make_unique<FieldFlagValues<Resource>>(app, Noun::Fields());
}

// `delete NOUN ID… [--force]`.
template <typename Noun>
void AddDeleteCommand(Cli& cli, const std::string& example) {
  auto ids = std::make_shared<std::vector<std::string>>();
  auto force = std::make_shared<bool>(false);
  CLI::App* app = cli.Add(
      {"delete", Noun::kPlural, {Noun::kSingular}, absl::StrCat("Delete ", Noun::kPlural), example},
      [ids, force](Session& session) -> absl::Status {
        absl::StatusOr<std::string> organization = session.Organization();
        if (!organization.ok()) return organization.status();
        RpcClient<typename Noun::Service> client(session, session.scheduling());
        for (const std::string& id : *ids) {
          absl::StatusOr<std::string> name = ResourceNameArg(Noun::kKind, *organization, id);
          if (!name.ok()) return name.status();
          typename Noun::DeleteRequest request;
          request.set_name(*name);
          request.set_force(*force);
          google::protobuf::Empty empty;
          if (absl::Status status = client.Call(Noun::kDelete, request, &empty); !status.ok()) {
            return status;
          }
          std::cout << Noun::kSingular << " " << IdOf(*name) << " deleted\n";
        }
        return absl::OkStatus();
      });
  app->add_option("ids", *ids, "Ids or full names")->required();
  app->add_flag("--force", *force,
                "Delete even while future events use it (org-admin and admin only)");
}

// `apply -f` for one resource of Noun: created with the id of its `name` when it does not exist,
// else updated in the fields the document sets (its non-default fields; the update_mask).
template <typename Noun>
absl::StatusOr<std::string> ApplyResource(Session& session, const std::string& json) {
  using Resource = typename Noun::Resource;
  Resource resource;
  if (absl::Status status = JsonToMessage(json, &resource); !status.ok()) return status;
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  if (resource.name().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", Noun::kSingular, " without name: give its id or full name"));
  }
  absl::StatusOr<std::string> name = ResourceNameArg(Noun::kKind, *organization, resource.name());
  if (!name.ok()) return name.status();
  RpcClient<typename Noun::Service> client(session, session.scheduling());
  typename Noun::GetRequest get;
  get.set_name(*name);
  Resource existing;
  const absl::Status found = client.Call(Noun::kGet, get, &existing);
  if (absl::IsNotFound(found)) {
    typename Noun::CreateRequest create;
    create.set_parent(absl::StrCat("organizations/", *organization));
    Noun::SetCreateId(create, IdOf(*name));
    *Noun::MutableCreated(create) = resource;
    Noun::MutableCreated(create)->clear_name();
    typename Noun::CreateResponse created;
    if (absl::Status status = client.Call(Noun::kCreate, create, &created); !status.ok()) {
      return status;
    }
    PrintWarnings(created);
    return absl::StrCat(Noun::kSingular, " ", IdOf(*name), " created");
  }
  if (!found.ok()) return found;
  typename Noun::UpdateRequest update;
  *Noun::MutableUpdated(update) = resource;
  Noun::MutableUpdated(update)->set_name(*name);
  // Every field the file names, false, 0 and "" included (a set-fields mask could not reset a
  // field to its default); fields it leaves out keep their values.
  absl::StatusOr<std::vector<std::string>> named = NamedFields(json, *Resource::descriptor());
  if (!named.ok()) return named.status();
  for (const std::string& field : *named) update.mutable_update_mask()->add_paths(field);
  typename Noun::UpdateResponse updated;
  if (absl::Status status = client.Call(Noun::kUpdate, update, &updated); !status.ok()) {
    return status;
  }
  PrintWarnings(updated);
  return absl::StrCat(Noun::kSingular, " ", IdOf(*name), " configured");
}

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_CRUD_COMMANDS_H_
