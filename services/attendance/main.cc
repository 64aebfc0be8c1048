// fieldwork-attendance: serves RSVPs, leave requests, check-in and attendance outcomes.
#include <memory>

#include "CLI/CLI.hpp"
#include "common/api/error_reason.h"
#include "common/audit/audit_trail.h"
#include "common/channel_factory.h"
#include "common/config.h"
#include "common/redis/idempotency.h"
#include "common/redis/redis_client.h"
#include "common/server_runner.h"
#include "common/service_token.h"
#include "services/attendance/attendance_service.h"
#include "services/attendance/auto_finalizer.h"
#include "services/attendance/permissions.h"

int main(int argc, char** argv) {
  using fieldwork::ExitCode;
  fieldwork::ServerConfig config = fieldwork::DefaultServerConfig("attendance", 50052, 9092);
  fieldwork::ClientConfig client;
  fieldwork::RedisConfig redis_config;
  fieldwork::attendance::AttendanceDeps deps;
  std::string scheduling_target = "dns:///localhost:50051";
  absl::Duration sweep_interval = absl::Seconds(60);
  absl::Duration event_cache_ttl = absl::ZeroDuration();
  CLI::App app{"fieldwork attendance service: RSVPs, leave, check-in and outcomes",
               "fieldwork-attendance"};
  fieldwork::AddServerFlags(app, &config);
  fieldwork::AddClientFlags(app, &client);
  fieldwork::AddPeerTargetFlag(app, "scheduling", &scheduling_target);
  fieldwork::AddConfigOption(app, "redis-pool-size", &redis_config.pool_size,
                             "Most Redis connections open at once");
  fieldwork::AddDurationOption(
      app, "rpc-budget", &deps.rpc_budget,
      "Longest time an RPC spends on Redis and scheduling when the caller sets no deadline");
  fieldwork::AddDurationOption(app, "finalize-sweep-interval", &sweep_interval,
                               "How often ended events are checked for automatic finalization");
  fieldwork::AddDurationOption(
      app, "event-cache-ttl", &event_cache_ttl,
      "How long a replica reuses an event read from scheduling (0: always read; a call may act "
      "on facts this old, e.g. right after a cancellation)");
  if (const auto exit_code = fieldwork::ParseCommandLine(app, argc, argv, config, [&] {
        redis_config.url = config.redis_url;
        if (absl::Status redis = fieldwork::ValidateRedisConfig(redis_config); !redis.ok()) {
          return redis;
        }
        return fieldwork::ValidateClientConfig(client, config);
      })) {
    return *exit_code;
  }

  fieldwork::SetErrorDomain("fieldwork.attendance");
  redis_config.url = config.redis_url;
  auto redis = fieldwork::NewRedisClient(redis_config);
  if (!redis.ok()) return ExitCode(redis.status());
  fieldwork::IdempotencyStore idempotency(redis->get());
  auto token = client.service_token_file.empty()
                   ? fieldwork::ServiceToken::Fixed("")
                   : fieldwork::ServiceToken::Load(client.service_token_file);
  if (!token.ok()) return ExitCode(token.status());
  const fieldwork::attendance::SchedulingClient scheduling(
      fieldwork::CreatePeerChannel(fieldwork::PeerChannelOptions(config, scheduling_target)),
      token->get(), client.call_timeout, event_cache_ttl);

  auto runner =
      fieldwork::ServerRunner::Create(config, fieldwork::attendance::AttendancePermissions());
  if (!runner.ok()) return ExitCode(runner.status());
  deps.redis = redis->get();
  deps.idempotency = &idempotency;
  deps.authorizer = &(*runner)->authorizer();
  deps.scheduling = &scheduling;
  fieldwork::attendance::AttendanceServiceImpl attendance(deps);
  (*runner)->AddService<fieldwork::attendance::v1::AttendanceService>(&attendance);
  const fieldwork::attendance::AutoFinalizer finalizer(scheduling, attendance.finalizer(),
                                                       sweep_interval);
  fieldwork::RedisClient* redis_client = redis->get();
  (*runner)->SetReadinessCheck(
      [redis_client] { return redis_client->Ping(absl::Now() + absl::Milliseconds(500)).ok(); });
  const fieldwork::AuditTrail audit(**runner, redis->get());
  return ExitCode((*runner)->Run());
}
