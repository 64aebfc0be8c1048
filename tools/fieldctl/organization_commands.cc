// Organizations (SchedulingService): get, list, create, update (display name, time zone, travel
// buffer; settings as a whole through `apply -f`).
#include <memory>

#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/fieldctl/crud_commands.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

using Scheduling = v1::SchedulingService;

std::vector<FieldFlag<v1::Organization>> OrganizationFields() {
  return {
      {"--display-name", "display_name", "Name shown to people, e.g. 铜官区政协",
       SetString(&v1::Organization::mutable_display_name)},
      {"--time-zone", "time_zone", "IANA time zone, e.g. Asia/Shanghai",
       SetString(&v1::Organization::mutable_time_zone)},
      {"--travel-buffer", "travel_buffer", "Gap between two bookings of a member, e.g. 30m",
       [](const std::string& value, Session&, v1::Organization* organization) -> absl::Status {
         absl::StatusOr<absl::Duration> buffer = ParseDurationInput(value);
         if (!buffer.ok()) return buffer.status();
         *organization->mutable_travel_buffer() = ToProtoDuration(*buffer);
         return absl::OkStatus();
       }},
  };
}

void PrintOrganization(Session& session, const v1::Organization& organization) {
  session.Print(organization, OrganizationsTable(One(organization)));
}

// The organization named by `id`, or the session's.
absl::StatusOr<std::string> OrganizationNameFor(Session& session, const std::string& id) {
  if (id.empty()) return session.OrganizationName();
  return absl::StrCat("organizations/", absl::StripPrefix(id, "organizations/"));
}

}  // namespace

void AddOrganizationCommands(Cli& cli) {
  auto ids = std::make_shared<std::vector<std::string>>();
  const auto get = [ids](Session& session) -> absl::Status {
    RpcClient<Scheduling> client(session, session.scheduling());
    v1::ListOrganizationsResponse found;
    if (ids->empty()) {
      if (absl::Status status = client.ListAll(&Scheduling::Stub::ListOrganizations,
                                               v1::ListOrganizationsRequest(), &found);
          !status.ok()) {
        return status;
      }
    }
    for (const std::string& id : *ids) {
      v1::GetOrganizationRequest request;
      request.set_name(*OrganizationNameFor(session, id));
      if (absl::Status status =
              client.Call(&Scheduling::Stub::GetOrganization, request, found.add_organizations());
          !status.ok()) {
        return status;
      }
    }
    if (found.organizations_size() == 1 && !ids->empty()) {
      PrintOrganization(session, found.organizations(0));
    } else {
      session.Print(found, OrganizationsTable(found.organizations()));
    }
    return absl::OkStatus();
  };
  cli.Add({"get",
           "organizations",
           {"organization", "org", "orgs"},
           "Show organizations by id, or every one visible",
           "fieldctl get org tongguan -o yaml"},
          get)
      ->add_option("ids", *ids, "Organization ids; none: every one visible to the caller");
  cli.Add({"list",
           "organizations",
           {"organization", "org", "orgs"},
           "List the organizations visible to the caller",
           "fieldctl list orgs"},
          get);

  auto create_id = std::make_shared<std::string>();
  auto create_values = std::make_shared<std::unique_ptr<FieldFlagValues<v1::Organization>>>();
  CLI::App* create =
      cli.Add({"create",
               "organization",
               {"org"},
               "Create an organization (admin only)",
               "fieldctl create org tongguan --display-name 铜官区政协 --time-zone Asia/Shanghai"},
              [create_id, create_values](Session& session) -> absl::Status {
                v1::CreateOrganizationRequest request;
                request.set_organization_id(*create_id);
                google::protobuf::FieldMask given;
                if (absl::Status status =
                        (*create_values)->Apply(session, request.mutable_organization(), &given);
                    !status.ok()) {
                  return status;
                }
                RpcClient<Scheduling> client(session, session.scheduling());
                v1::Organization organization;
                if (absl::Status status =
                        client.Call(&Scheduling::Stub::CreateOrganization, request, &organization);
                    !status.ok()) {
                  return status;
                }
                PrintOrganization(session, organization);
                return absl::OkStatus();
              });
  create->add_option("id", *create_id, "Organization id, e.g. tongguan")->required();
  *create_values =
      std::make_unique<FieldFlagValues<v1::Organization>>(create, OrganizationFields());

  auto update_id = std::make_shared<std::string>();
  auto update_values = std::make_shared<std::unique_ptr<FieldFlagValues<v1::Organization>>>();
  CLI::App* update = cli.Add(
      {"update",
       "organization",
       {"org"},
       "Change an organization's display name, time zone or travel buffer (org-admin)",
       "fieldctl update org --travel-buffer 45m"},
      [update_id, update_values](Session& session) -> absl::Status {
        absl::StatusOr<std::string> name = OrganizationNameFor(session, *update_id);
        if (!name.ok()) return name.status();
        v1::UpdateOrganizationRequest request;
        request.mutable_organization()->set_name(*name);
        if (absl::Status status =
                (*update_values)
                    ->Apply(session, request.mutable_organization(), request.mutable_update_mask());
            !status.ok()) {
          return status;
        }
        if (request.update_mask().paths().empty()) {
          return absl::InvalidArgumentError("nothing to change: give at least one field flag");
        }
        RpcClient<Scheduling> client(session, session.scheduling());
        v1::Organization organization;
        if (absl::Status status =
                client.Call(&Scheduling::Stub::UpdateOrganization, request, &organization);
            !status.ok()) {
          return status;
        }
        PrintOrganization(session, organization);
        return absl::OkStatus();
      });
  update->add_option("id", *update_id, "Organization id; none: the context's");
  *update_values =
      std::make_unique<FieldFlagValues<v1::Organization>>(update, OrganizationFields());
}

}  // namespace fieldwork::fieldctl
