// fieldwork-scheduling: serves the roster, events, holds and calendars of each organization.
#include <memory>

#include "CLI/CLI.hpp"
#include "common/api/error_reason.h"
#include "common/audit/audit_trail.h"
#include "common/config.h"
#include "common/redis/calendar_lock.h"
#include "common/redis/idempotency.h"
#include "common/redis/redis_client.h"
#include "common/server_runner.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/lifecycle_sweeper.h"
#include "services/scheduling/permissions.h"
#include "services/scheduling/roster_service.h"
#include "services/scheduling/scheduling_service.h"

int main(int argc, char** argv) {
  using fieldwork::ExitCode;
  fieldwork::ServerConfig config = fieldwork::DefaultServerConfig("scheduling", 50051, 9091);
  fieldwork::RedisConfig redis_config;
  fieldwork::LockOptions lock_options;
  fieldwork::scheduling::SchedulingDeps deps;
  CLI::App app{"fieldwork scheduling service: roster, events, holds and calendars",
               "fieldwork-scheduling"};
  fieldwork::AddServerFlags(app, &config);
  fieldwork::AddConfigOption(app, "redis-pool-size", &redis_config.pool_size,
                             "Most Redis connections open at once");
  fieldwork::AddDurationOption(app, "lock-ttl", &lock_options.ttl,
                               "Lifetime of a calendar lock; renewed every third of it while held");
  fieldwork::AddDurationOption(
      app, "lock-max-backoff", &lock_options.max_backoff,
      "Longest pause between two tries at busy calendars (the pauses start at 5ms and double)");
  fieldwork::AddDurationOption(app, "lock-wait", &deps.lock_wait,
                               "How long a booking waits for busy calendars before ABORTED");
  fieldwork::AddDurationOption(
      app, "rpc-budget", &deps.rpc_budget,
      "Longest time an RPC spends on Redis when the caller sets no deadline");
  fieldwork::AddDurationOption(
      app, "test-only-pause-before-booking-write", &deps.test_only_pause_before_booking_write,
      "TEST ONLY (the pause test): sleep this long between a booking's conflict check and its "
      "fenced write; keep 0 in every deployment");
  app.add_flag("--test-only-stop-before-booking-write", deps.test_only_stop_before_booking_write,
               "TEST ONLY (the pause test): stop the whole process (SIGSTOP) between a booking's "
               "conflict check and its fenced write, until SIGCONT; never set in a deployment");
  if (const auto exit_code = fieldwork::ParseCommandLine(app, argc, argv, config, [&] {
        redis_config.url = config.redis_url;
        return fieldwork::ValidateRedisConfig(redis_config);
      })) {
    return *exit_code;
  }

  fieldwork::SetErrorDomain("fieldwork.scheduling");
  redis_config.url = config.redis_url;
  auto redis = fieldwork::NewRedisClient(redis_config);
  if (!redis.ok()) return ExitCode(redis.status());
  fieldwork::CalendarLocks locks(redis->get(), lock_options);
  fieldwork::IdempotencyStore idempotency(redis->get());

  auto runner =
      fieldwork::ServerRunner::Create(config, fieldwork::scheduling::SchedulingPermissions());
  if (!runner.ok()) return ExitCode(runner.status());
  deps.redis = redis->get();
  deps.locks = &locks;
  deps.idempotency = &idempotency;
  deps.authorizer = &(*runner)->authorizer();
  fieldwork::scheduling::LifecycleSweeper lifecycle(deps, absl::Seconds(1));
  fieldwork::scheduling::SchedulingServiceImpl scheduling(deps);
  fieldwork::scheduling::RosterServiceImpl roster(deps);
  (*runner)->AddService<fieldwork::scheduling::v1::SchedulingService>(&scheduling);
  (*runner)->AddService<fieldwork::scheduling::v1::RosterService>(&roster);
  fieldwork::RedisClient* redis_client = redis->get();
  (*runner)->SetReadinessCheck(
      [redis_client] { return redis_client->Ping(absl::Now() + absl::Milliseconds(500)).ok(); });
  const fieldwork::AuditTrail audit(**runner, redis->get());
  return ExitCode((*runner)->Run());
}
