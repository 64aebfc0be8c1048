// The Redis client for Redis Cluster: learns the slot map from CLUSTER SLOTS, sends each batch to
// the master of the one slot its keys hash to, follows MOVED (refreshing the map) and ASK (a
// one-shot ASKING on the importing node), and refuses a batch whose keys span slots.
#ifndef FIELDWORK_COMMON_REDIS_CLUSTER_REDIS_CLIENT_H_
#define FIELDWORK_COMMON_REDIS_CLUSTER_REDIS_CLIENT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/cluster_slot_map.h"
#include "common/redis/pooled_redis_client.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_deployment.h"

namespace fieldwork {

class ClusterRedisClient final : public RedisClient {
 public:
  // `deployment` is a parsed redis-cluster:// URL (its nodes are the seeds); `config` supplies the
  // pool size (per node) and timeouts. Connects on first use.
  ClusterRedisClient(RedisConfig config, RedisDeployment deployment)
      : config_(std::move(config)), deployment_(std::move(deployment)) {}

  // Routes the batch by the slot of its keys; a batch without keys goes to one master, except
  // SCRIPT LOAD/FLUSH and FLUSHALL/FLUSHDB, which go to every master (the first master's replies
  // are returned; any failure fails the call). Keys in more than one slot → INVALID_ARGUMENT
  // before anything is sent. Commands answered MOVED or ASK are sent again to the named node
  // (only those commands: the others were executed); TRYAGAIN and CLUSTERDOWN are retried after
  // a short pause; an unreachable master (nothing sent) makes the client refresh its map and
  // retry. All of it is bounded by `deadline` and a fixed number of redirections. UNAVAILABLE
  // when no node can be reached.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(const std::vector<RedisCommand>& commands,
                                                   absl::Time deadline) override;

  // PINGs every master; OK only when all answer.
  absl::Status Ping(absl::Time deadline) override;

  // The master serving `slot` in the client's current map ("host:port"); empty when unknown.
  std::string MasterOfSlot(int slot) const;

 private:
  // The client for the node at `address`, created on first use.
  std::shared_ptr<PooledRedisClient> Node(const ClusterNodeAddress& address);
  // Asks the known masters, then the seeds, for CLUSTER SLOTS and installs the first answer. While
  // another call refreshes, waits (up to `deadline`) for that refresh's outcome instead.
  absl::Status RefreshSlotMap(absl::Time deadline);
  // The first slot map one of `candidates` answers with; UNAVAILABLE when none does.
  absl::StatusOr<ClusterSlotMap> FetchSlotMap(const std::vector<ClusterNodeAddress>& candidates,
                                              absl::Time deadline);
  // The master for `slot` (or any master for -1), refreshing the map when it has none.
  absl::StatusOr<std::shared_ptr<PooledRedisClient>> NodeForSlot(int slot, absl::Time deadline);
  // Every master of the slot map, learning the map first when needed.
  absl::StatusOr<std::vector<ClusterNodeAddress>> Masters(absl::Time deadline);
  absl::StatusOr<std::vector<RedisReply>> Broadcast(const std::vector<RedisCommand>& commands,
                                                    absl::Time deadline);

  const RedisConfig config_;
  const RedisDeployment deployment_;
  mutable absl::Mutex mu_;
  std::optional<ClusterSlotMap> slots_ ABSL_GUARDED_BY(mu_);
  bool refreshing_ ABSL_GUARDED_BY(mu_) = false;  // one call is loading the slot map
  absl::Status last_refresh_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<PooledRedisClient>> nodes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_CLUSTER_REDIS_CLIENT_H_
