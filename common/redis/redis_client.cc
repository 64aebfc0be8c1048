// The parts of the Redis client shared by every implementation: single commands, scripts with the
// NOSCRIPT fallback, PING, and the factory.
#include "common/redis/redis_client.h"

#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/cluster_redis_client.h"
#include "common/redis/pooled_redis_client.h"
#include "common/redis/redis_deployment.h"
#include "common/redis/redis_status.h"
#include "common/redis/sentinel_redis_client.h"

namespace fieldwork {
namespace {

absl::StatusOr<RedisReply> OnlyReply(absl::StatusOr<std::vector<RedisReply>> replies) {
  if (!replies.ok()) return replies.status();
  if (replies->size() != 1) {
    return absl::InternalError(absl::StrCat("expected one Redis reply, got ", replies->size()));
  }
  return std::move(replies->front());
}

absl::StatusOr<RedisReply> ErrorReplyToStatus(absl::StatusOr<RedisReply> reply) {
  if (reply.ok() && reply->is_error()) return StatusFromErrorReply(reply->str());
  return reply;
}

bool IsNoScript(const absl::StatusOr<std::vector<RedisReply>>& replies, size_t expected) {
  return replies.ok() && replies->size() == expected && replies->front().is_error() &&
         absl::StartsWith(replies->front().str(), "NOSCRIPT");
}

void ObserveScript(const Script& script, absl::Duration latency) {
  Metrics::Global().ObserveSeconds("fieldwork_redis_script_seconds",
                                   "Latency of Redis Lua scripts by script name.",
                                   {{"script", script.name()}}, absl::ToDoubleSeconds(latency));
}

RedisCommand EvalShaCommand(const Script& script, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args) {
  RedisCommand command = {"EVALSHA", script.sha1(), absl::StrCat(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

}  // namespace

void RedisClient::PipelineAsync(const std::vector<RedisCommand>& commands, absl::Time deadline,
                                PipelineDone done) {
  std::move(done)(Pipeline(commands, deadline));
}

absl::StatusOr<RedisReply> RedisClient::Execute(const RedisCommand& command, absl::Time deadline) {
  return ErrorReplyToStatus(OnlyReply(Pipeline({command}, deadline)));
}

void RedisClient::ExecuteAsync(const RedisCommand& command, absl::Time deadline,
                               absl::AnyInvocable<void(absl::StatusOr<RedisReply>) &&> done) {
  PipelineAsync({command}, deadline,
                [done = std::move(done)](absl::StatusOr<std::vector<RedisReply>> replies) mutable {
                  std::move(done)(ErrorReplyToStatus(OnlyReply(std::move(replies))));
                });
}

absl::StatusOr<RedisReply> RedisClient::Eval(const Script& script,
                                             const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args,
                                             absl::Time deadline) {
  return EvalThen(script, keys, args, {}, nullptr, deadline);
}

void RedisClient::EvalAsync(const Script& script, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args, absl::Time deadline,
                            absl::AnyInvocable<void(absl::StatusOr<RedisReply>) &&> done) {
  // Kept for the EVAL retry, when Redis has not cached the script (a restart, SCRIPT FLUSH).
  auto commands =
      std::make_shared<std::vector<RedisCommand>>(1, EvalShaCommand(script, keys, args));
  auto finish = [&script, start = absl::Now()](absl::StatusOr<std::vector<RedisReply>> replies,
                                               auto& answer) {
    ObserveScript(script, absl::Now() - start);
    std::move(answer)(ErrorReplyToStatus(OnlyReply(std::move(replies))));
  };
  PipelineAsync(*commands, deadline,
                [this, &script, commands, deadline, finish,
                 done = std::move(done)](absl::StatusOr<std::vector<RedisReply>> replies) mutable {
                  if (!IsNoScript(replies, 1)) return finish(std::move(replies), done);
                  commands->front()[0] = "EVAL";
                  commands->front()[1] = script.source();
                  PipelineAsync(*commands, deadline,
                                [finish, done = std::move(done)](
                                    absl::StatusOr<std::vector<RedisReply>> evaluated) mutable {
                                  finish(std::move(evaluated), done);
                                });
                });
}

absl::StatusOr<RedisReply> RedisClient::EvalThen(const Script& script,
                                                 const std::vector<std::string>& keys,
                                                 const std::vector<std::string>& args,
                                                 const std::vector<RedisCommand>& then,
                                                 std::vector<RedisReply>* then_replies,
                                                 absl::Time deadline) {
  const absl::Time start = absl::Now();
  std::vector<RedisCommand> commands = {EvalShaCommand(script, keys, args)};
  commands.insert(commands.end(), then.begin(), then.end());
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(commands, deadline);
  if (IsNoScript(replies, commands.size())) {
    commands.front()[0] = "EVAL";
    commands.front()[1] = script.source();
    replies = Pipeline(commands, deadline);
  }
  ObserveScript(script, absl::Now() - start);
  if (!replies.ok()) return replies.status();
  if (replies->size() != commands.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", commands.size(), " Redis replies, got ", replies->size()));
  }
  if (then_replies != nullptr) {
    then_replies->assign(std::make_move_iterator(replies->begin() + 1),
                         std::make_move_iterator(replies->end()));
  }
  return ErrorReplyToStatus(std::move(replies->front()));
}

absl::Status RedisClient::Ping(absl::Time deadline) {
  absl::StatusOr<RedisReply> reply = Execute({"PING"}, deadline);
  if (!reply.ok()) return reply.status();
  if (reply->str() != "PONG") {
    return absl::InternalError(absl::StrCat("unexpected PING reply ", reply->DebugString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RedisClient>> NewRedisClient(const RedisConfig& config) {
  if (absl::Status valid = ValidateRedisConfig(config); !valid.ok()) return valid;
  absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(config.url);
  if (!deployment.ok()) return deployment.status();
  switch (deployment->topology) {
    case RedisTopology::kSentinel:
      return std::make_unique<SentinelRedisClient>(config, *std::move(deployment));
    case RedisTopology::kCluster:
      return std::make_unique<ClusterRedisClient>(config, *std::move(deployment));
    case RedisTopology::kStandalone:
      break;
  }
  return std::unique_ptr<RedisClient>(PooledRedisClient::ForEndpoint(
      config, std::move(deployment->nodes.front()), deployment->wait));
}

}  // namespace fieldwork
