// The parts of the Redis client shared by every implementation: single commands, scripts with the
// NOSCRIPT fallback, PING, and the factory.
#include "common/redis/redis_client.h"

#include <iterator>
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

}  // namespace

absl::StatusOr<RedisReply> RedisClient::Execute(const RedisCommand& command, absl::Time deadline) {
  return ErrorReplyToStatus(OnlyReply(Pipeline({command}, deadline)));
}

absl::StatusOr<RedisReply> RedisClient::Eval(const Script& script,
                                             const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args,
                                             absl::Time deadline) {
  return EvalThen(script, keys, args, {}, nullptr, deadline);
}

absl::StatusOr<RedisReply> RedisClient::EvalThen(const Script& script,
                                                 const std::vector<std::string>& keys,
                                                 const std::vector<std::string>& args,
                                                 const std::vector<RedisCommand>& then,
                                                 std::vector<RedisReply>* then_replies,
                                                 absl::Time deadline) {
  const absl::Time start = absl::Now();
  RedisCommand command = {"EVALSHA", script.sha1(), absl::StrCat(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  std::vector<RedisCommand> commands = {std::move(command)};
  commands.insert(commands.end(), then.begin(), then.end());
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(commands, deadline);
  if (replies.ok() && replies->size() == commands.size() && replies->front().is_error() &&
      absl::StartsWith(replies->front().str(), "NOSCRIPT")) {
    commands.front()[0] = "EVAL";
    commands.front()[1] = script.source();
    replies = Pipeline(commands, deadline);
  }
  Metrics::Global().ObserveSeconds(
      "fieldwork_redis_script_seconds", "Latency of Redis Lua scripts by script name.",
      {{"script", script.name()}}, absl::ToDoubleSeconds(absl::Now() - start));
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
