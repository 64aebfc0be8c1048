// fieldwork-reporting: serves member, unit, event and organization reports built from the
// scheduling and attendance services.
#include <memory>

#include "CLI/CLI.hpp"
#include "common/api/error_reason.h"
#include "common/api/peer_call.h"
#include "common/audit/audit_trail.h"
#include "common/channel_factory.h"
#include "common/config.h"
#include "common/redis/redis_client.h"
#include "common/server_runner.h"
#include "common/service_token.h"
#include "services/reporting/peer_reader.h"
#include "services/reporting/permissions.h"
#include "services/reporting/reporting_service.h"

int main(int argc, char** argv) {
  using fieldwork::ExitCode;
  fieldwork::ServerConfig config = fieldwork::DefaultServerConfig("reporting", 50053, 9093);
  fieldwork::ClientConfig client;
  fieldwork::reporting::ReportingDeps deps;
  std::string scheduling_target = "dns:///localhost:50051";
  std::string attendance_target = "dns:///localhost:50052";
  fieldwork::RedisConfig redis_config;
  CLI::App app{"fieldwork reporting service: member, unit, event and organization reports",
               "fieldwork-reporting"};
  fieldwork::AddServerFlags(app, &config);
  fieldwork::AddClientFlags(app, &client);
  fieldwork::AddPeerTargetFlag(app, "scheduling", &scheduling_target);
  fieldwork::AddPeerTargetFlag(app, "attendance", &attendance_target);
  fieldwork::AddDurationOption(app, "rpc-budget", &deps.rpc_budget,
                               "Longest time a report takes when the caller sets no deadline");
  if (const auto exit_code = fieldwork::ParseCommandLine(app, argc, argv, config, [&] {
        redis_config.url = config.redis_url;
        if (absl::Status redis = fieldwork::ValidateRedisConfig(redis_config); !redis.ok()) {
          return redis;
        }
        return fieldwork::ValidateClientConfig(client, config);
      })) {
    return *exit_code;
  }

  fieldwork::SetErrorDomain("fieldwork.reporting");
  auto redis = fieldwork::NewRedisClient(redis_config);
  if (!redis.ok()) return ExitCode(redis.status());
  auto token = client.service_token_file.empty()
                   ? fieldwork::ServiceToken::Fixed("")
                   : fieldwork::ServiceToken::Load(client.service_token_file);
  if (!token.ok()) return ExitCode(token.status());
  const fieldwork::reporting::PeerReader peers(
      fieldwork::CreatePeerChannel(fieldwork::PeerChannelOptions(config, scheduling_target)),
      fieldwork::CreatePeerChannel(fieldwork::PeerChannelOptions(config, attendance_target)),
      fieldwork::PeerCallOptions{token->get(), client.call_timeout});

  auto runner =
      fieldwork::ServerRunner::Create(config, fieldwork::reporting::ReportingPermissions());
  if (!runner.ok()) return ExitCode(runner.status());
  deps.authorizer = &(*runner)->authorizer();
  deps.peers = &peers;
  deps.redis = redis->get();
  fieldwork::reporting::ReportingServiceImpl reporting(deps);
  (*runner)->AddService<fieldwork::reporting::v1::ReportingService>(&reporting);
  // Reporting keeps no reports: it is ready whenever it runs; a peer (or, for exports, Redis) that
  // is down makes each call fail with UNAVAILABLE instead.
  (*runner)->SetReadinessCheck([] { return true; });
  const fieldwork::AuditTrail audit(**runner, redis->get());
  return ExitCode((*runner)->Run());
}
