// The parts of the Redis client shared by every implementation: single commands, scripts with the
// NOSCRIPT fallback, PING, and the factory.
#include "common/redis/redis_client.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/pooled_redis_client.h"
#include "common/redis/redis_status.h"

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
  const absl::Time start = absl::Now();
  RedisCommand command = {"EVALSHA", script.sha1(), absl::StrCat(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  absl::StatusOr<RedisReply> reply = OnlyReply(Pipeline({command}, deadline));
  if (reply.ok() && reply->is_error() && absl::StartsWith(reply->str(), "NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = script.source();
    reply = OnlyReply(Pipeline({command}, deadline));
  }
  Metrics::Global().ObserveSeconds(
      "fieldwork_redis_script_seconds", "Latency of Redis Lua scripts by script name.",
      {{"script", script.name()}}, absl::ToDoubleSeconds(absl::Now() - start));
  return ErrorReplyToStatus(std::move(reply));
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
  const absl::string_view url = config.url;
  if (absl::StartsWithIgnoreCase(url, "redis-sentinel://") ||
      absl::StartsWithIgnoreCase(url, "redis-cluster://")) {
    return absl::UnimplementedError(absl::StrCat("Redis URL \"", RedactRedisUrl(url),
                                                 "\": Sentinel and Cluster are not supported yet"));
  }
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> client = PooledRedisClient::Create(config);
  if (!client.ok()) return client.status();
  return std::unique_ptr<RedisClient>(*std::move(client));
}

}  // namespace fieldwork
