// fieldwork-reporting: serves member, unit, event and organization reports built from the
// scheduling and attendance services.
#include "CLI/CLI.hpp"
#include "common/config.h"
#include "common/server_runner.h"
#include "services/reporting/permissions.h"

int main(int argc, char** argv) {
  fieldwork::ServerConfig config = fieldwork::DefaultServerConfig("reporting", 50053, 9093);
  fieldwork::ClientConfig client;
  std::string scheduling_target = "dns:///localhost:50051";
  std::string attendance_target = "dns:///localhost:50052";
  CLI::App app{"fieldwork reporting service: member, unit, event and organization reports",
               "fieldwork-reporting"};
  fieldwork::AddServerFlags(app, &config);
  fieldwork::AddClientFlags(app, &client);
  fieldwork::AddPeerTargetFlag(app, "scheduling", &scheduling_target);
  fieldwork::AddPeerTargetFlag(app, "attendance", &attendance_target);
  if (const auto exit_code = fieldwork::ParseCommandLine(app, argc, argv, config, [&] {
        return fieldwork::ValidateClientConfig(client, config);
      })) {
    return *exit_code;
  }

  auto runner =
      fieldwork::ServerRunner::Create(config, fieldwork::reporting::ReportingPermissions());
  if (!runner.ok()) return fieldwork::ExitCode(runner.status());
  (*runner)->SetReadinessCheck([] { return true; });
  return fieldwork::ExitCode((*runner)->Run());
}
