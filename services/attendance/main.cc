// fieldwork-attendance: serves invitations, leave requests, check-in and attendance outcomes.
#include "CLI/CLI.hpp"
#include "common/config.h"
#include "common/server_runner.h"
#include "services/attendance/permissions.h"

int main(int argc, char** argv) {
  fieldwork::ServerConfig config = fieldwork::DefaultServerConfig("attendance", 50052, 9092);
  fieldwork::ClientConfig client;
  std::string scheduling_target = "dns:///localhost:50051";
  CLI::App app{"fieldwork attendance service: invitations, leave, check-in and outcomes",
               "fieldwork-attendance"};
  fieldwork::AddServerFlags(app, &config);
  fieldwork::AddClientFlags(app, &client);
  fieldwork::AddPeerTargetFlag(app, "scheduling", &scheduling_target);
  if (const auto exit_code = fieldwork::ParseCommandLine(app, argc, argv, config, [&] {
        return fieldwork::ValidateClientConfig(client, config);
      })) {
    return *exit_code;
  }

  auto runner =
      fieldwork::ServerRunner::Create(config, fieldwork::attendance::AttendancePermissions());
  if (!runner.ok()) return fieldwork::ExitCode(runner.status());
  (*runner)->SetReadinessCheck([] { return true; });
  return fieldwork::ExitCode((*runner)->Run());
}
