// The Redis client for one server: a bounded, thread-safe pool of hiredis connections that are
// opened lazily, checked before reuse and dropped after any error. Used alone for redis:// and as
// the per-node client of the Sentinel and Cluster clients. Follows writes with WAIT when the
// configuration asks for it.
#ifndef FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_
#define FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_

#include <memory>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/multiplexed_connection.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_connection.h"
#include "common/redis/redis_deployment.h"

namespace fieldwork {

// True when `status` says the call failed before anything was sent to Redis (no connection could
// be opened), so retrying it elsewhere cannot apply a command twice.
bool FailedBeforeSending(const absl::Status& status);

class PooledRedisClient final : public RedisClient {
 public:
  // Checks `config`, which must name a redis:// URL (INVALID_ARGUMENT); connects on first use.
  static absl::StatusOr<std::unique_ptr<PooledRedisClient>> Create(const RedisConfig& config);
  // A client for `endpoint` with the pool size and timeouts of `config` (its URL is not used);
  // `config` must be valid.
  static std::unique_ptr<PooledRedisClient> ForEndpoint(const RedisConfig& config,
                                                        RedisEndpoint endpoint,
                                                        RedisWaitPolicy wait = {});

  // Waits (up to `deadline`) for a free connection when all pool_size are busy, opens one when
  // none is idle, and drops it afterwards if the round trip failed. When the wait policy asks for
  // replicas and a command may write, `WAIT replicas timeout` follows in the same round trip;
  // fewer acknowledgements than asked for → UNAVAILABLE (the write happened on this server).
  absl::StatusOr<std::vector<RedisReply>> Pipeline(const std::vector<RedisCommand>& commands,
                                                   absl::Time deadline) override;

  // Sends through one connection that all PipelineAsync calls share (multiplexed_connection.h),
  // opened on the first call; without a WAIT policy only (else as RedisClient does).
  void PipelineAsync(const std::vector<RedisCommand>& commands, absl::Time deadline,
                     PipelineDone done) override;
  bool PipelinesWithoutBlocking() const override { return wait_.replicas == 0; }

  // Connections open now (idle and in use).
  int open_connections() const;
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  PooledRedisClient(RedisConfig config, RedisEndpoint endpoint, RedisWaitPolicy wait)
      : config_(std::move(config)), endpoint_(std::move(endpoint)), wait_(wait) {}

  absl::StatusOr<std::unique_ptr<RedisConnection>> Borrow(absl::Time deadline);
  void GiveBack(std::unique_ptr<RedisConnection> connection);
  // Strips the trailing WAIT reply; UNAVAILABLE when something was written but fewer replicas
  // than the policy asks for acknowledged it.
  absl::StatusOr<std::vector<RedisReply>> CheckWaitReply(const std::vector<RedisCommand>& commands,
                                                         std::vector<RedisReply> replies) const;

  const RedisConfig config_;
  const RedisEndpoint endpoint_;
  const RedisWaitPolicy wait_;
  absl::once_flag multiplexed_once_;
  std::unique_ptr<MultiplexedConnection> multiplexed_;  // set once, on the first PipelineAsync
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle plus borrowed plus being opened
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_
