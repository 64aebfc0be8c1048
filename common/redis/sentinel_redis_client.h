// The Redis client for a Sentinel-managed deployment: asks the sentinels where the master of a
// named group is, checks with ROLE that the node really is a master, and sends everything to a
// pooled client for it. A connection failure or a READONLY reply (the node was demoted by a
// failover) makes it ask again, within the caller's deadline, so writes never go to a replica.
#ifndef FIELDWORK_COMMON_REDIS_SENTINEL_REDIS_CLIENT_H_
#define FIELDWORK_COMMON_REDIS_SENTINEL_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/pooled_redis_client.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_deployment.h"

namespace fieldwork {

class SentinelRedisClient final : public RedisClient {
 public:
  // `deployment` is a parsed redis-sentinel:// URL; `config` supplies pool size and timeouts.
  // Connects on first use.
  SentinelRedisClient(RedisConfig config, RedisDeployment deployment)
      : config_(std::move(config)), deployment_(std::move(deployment)) {}

  // Runs the batch on the current master. When the master cannot be reached (nothing sent) or
  // answers READONLY, discovers the master again and retries, a few times and never past
  // `deadline`. A connection lost after sending is returned as UNAVAILABLE, and a master that did
  // not answer in time as DEADLINE_EXCEEDED (the batch may have been applied either way); the next
  // call then discovers the master again. UNAVAILABLE when no sentinel names a reachable master.
  // While another call is discovering the master, waits for it at most until `deadline`, then
  // fails DEADLINE_EXCEEDED.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(const std::vector<RedisCommand>& commands,
                                                   absl::Time deadline) override;

  // "host:port" of the master in use; empty before the first call or after a failure.
  std::string current_master() const;

 private:
  // The master's client, discovering it if none is known (or waiting, up to `deadline`, for the
  // discovery another call is making).
  absl::StatusOr<std::shared_ptr<PooledRedisClient>> Master(absl::Time deadline);
  // Drops `failed` as the master (unless another thread already replaced it).
  void Forget(const std::shared_ptr<PooledRedisClient>& failed);
  // Asks each sentinel in turn for the master's address and confirms it with ROLE, repeating
  // while a failover is still in progress, until `deadline` or a bounded number of rounds.
  absl::StatusOr<RedisEndpoint> Discover(absl::Time deadline) const;
  // One sentinel's answer, confirmed by ROLE on the named node.
  absl::StatusOr<RedisEndpoint> AskSentinel(const RedisEndpoint& sentinel,
                                            absl::Time deadline) const;

  const RedisConfig config_;
  const RedisDeployment deployment_;
  mutable absl::Mutex mu_;
  std::shared_ptr<PooledRedisClient> master_ ABSL_GUARDED_BY(mu_);
  bool discovering_ ABSL_GUARDED_BY(mu_) = false;  // one call is asking the sentinels
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_SENTINEL_REDIS_CLIENT_H_
