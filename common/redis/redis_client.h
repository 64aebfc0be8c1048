// The Redis client every service uses: one interface (commands, pipelines, scripts, health ping)
// with deadlines on every call, and the factory that builds the implementation a URL asks for.
// The pooled standalone client, the Sentinel client and the Cluster client all sit behind the same
// interface. Every pipeline and script stays within one hash tag ({org}), so each can be routed
// to the one node that owns its slot.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_CLIENT_H_
#define FIELDWORK_COMMON_REDIS_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_reply.h"
#include "common/redis/script.h"

namespace fieldwork {

// One command as its arguments, e.g. {"SET", key, value}; binary-safe.
using RedisCommand = std::vector<std::string>;

// Thread-safe. No call blocks past its deadline. Failures:
//  - Redis unreachable, connection lost, Redis loading or refusing writes → UNAVAILABLE;
//  - the deadline passed first (waiting for a connection, or for the reply) → DEADLINE_EXCEEDED;
//    when the client's own command timeout cut the wait short → UNAVAILABLE;
//  - error replies → see StatusFromErrorReply (redis_status.h).
// A failed call may or may not have been applied by Redis; fieldwork writes are idempotent or
// fenced so that callers can retry.
class RedisClient {
 public:
  virtual ~RedisClient() = default;

  // Sends all commands, then reads all replies, in one round trip on one connection. Error replies
  // stay in the result as RedisReply::Type::kError; the status fails only when the round trip
  // does. All keys of the batch share one hash tag.
  virtual absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<RedisCommand>& commands, absl::Time deadline) = 0;

  using PipelineDone = absl::AnyInvocable<void(absl::StatusOr<std::vector<RedisReply>>) &&>;

  // Pipeline, with the result handed to `done` rather than returned. A client that
  // PipelinesWithoutBlocking returns at once and calls `done` later on a thread of its own, which
  // `done` must not block; the others run Pipeline and call `done` before returning.
  virtual void PipelineAsync(const std::vector<RedisCommand>& commands, absl::Time deadline,
                             PipelineDone done);
  // True when PipelineAsync returns without waiting for Redis, so a caller may start it on a
  // thread that must never block (a gRPC callback).
  virtual bool PipelinesWithoutBlocking() const { return false; }

  // Runs one command; an error reply becomes an error status.
  virtual absl::StatusOr<RedisReply> Execute(const RedisCommand& command, absl::Time deadline);

  // Runs `script` by EVALSHA, falling back to EVAL (which also caches it) when Redis answers
  // NOSCRIPT, e.g. after a restart or SCRIPT FLUSH. Every key the script touches is in `keys`, all
  // with one hash tag. An error reply becomes an error status.
  virtual absl::StatusOr<RedisReply> Eval(const Script& script,
                                          const std::vector<std::string>& keys,
                                          const std::vector<std::string>& args,
                                          absl::Time deadline);

  // Execute through PipelineAsync: `done` gets the one reply, an error reply as an error status.
  void ExecuteAsync(const RedisCommand& command, absl::Time deadline,
                    absl::AnyInvocable<void(absl::StatusOr<RedisReply>) &&> done);

  // Eval through PipelineAsync (EVALSHA, then EVAL on NOSCRIPT): `done` gets the script's reply,
  // an error reply as an error status. `script` outlives the call (scripts are static).
  void EvalAsync(const Script& script, const std::vector<std::string>& keys,
                 const std::vector<std::string>& args, absl::Time deadline,
                 absl::AnyInvocable<void(absl::StatusOr<RedisReply>) &&> done);

  // Eval followed, in the same round trip on the same connection, by `then`: Redis runs those
  // commands after the script, whatever the script answered. Their replies (error replies kept as
  // kError) go to `then_replies` when the round trip succeeds. For reads that are worth having
  // only once the script succeeded (e.g. calendars right after their locks are taken).
  absl::StatusOr<RedisReply> EvalThen(const Script& script, const std::vector<std::string>& keys,
                                      const std::vector<std::string>& args,
                                      const std::vector<RedisCommand>& then,
                                      std::vector<RedisReply>* then_replies, absl::Time deadline);

  // OK when Redis answers PING; what health checks call.
  virtual absl::Status Ping(absl::Time deadline);
};

// The client `config.url` asks for: redis:// → the pooled standalone client
// (pooled_redis_client.h), redis-sentinel:// → SentinelRedisClient, redis-cluster:// →
// ClusterRedisClient. Checks the configuration (INVALID_ARGUMENT) but does not connect: connections
// open on first use, so a service can start while Redis is still coming up.
absl::StatusOr<std::unique_ptr<RedisClient>> NewRedisClient(const RedisConfig& config);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_CLIENT_H_
