// The Redis client for one standalone server: a bounded, thread-safe pool of hiredis connections
// that are opened lazily, checked before reuse and dropped after any error.
#ifndef FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_
#define FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_connection.h"

namespace fieldwork {

class PooledRedisClient final : public RedisClient {
 public:
  // Checks `config` (INVALID_ARGUMENT); connects on first use.
  static absl::StatusOr<std::unique_ptr<PooledRedisClient>> Create(const RedisConfig& config);

  // Waits (up to `deadline`) for a free connection when all pool_size are busy, opens one when
  // none is idle, and drops it afterwards if the round trip failed.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(const std::vector<RedisCommand>& commands,
                                                   absl::Time deadline) override;

  // Connections open now (idle and in use).
  int open_connections() const;

 private:
  PooledRedisClient(RedisConfig config, RedisEndpoint endpoint)
      : config_(std::move(config)), endpoint_(std::move(endpoint)) {}

  absl::StatusOr<std::unique_ptr<RedisConnection>> Borrow(absl::Time deadline);
  void GiveBack(std::unique_ptr<RedisConnection> connection);

  const RedisConfig config_;
  const RedisEndpoint endpoint_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle plus borrowed plus being opened
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_POOLED_REDIS_CLIENT_H_
