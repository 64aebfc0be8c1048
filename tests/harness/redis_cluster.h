// A private Redis Cluster for tests: masters and replicas as redis-server processes on free
// loopback ports, joined by `redis-cli --cluster create`, plus the slot-migration steps
// (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE) that tests use to provoke MOVED and ASK.
#ifndef FIELDWORK_TESTS_HARNESS_REDIS_CLUSTER_H_
#define FIELDWORK_TESTS_HARNESS_REDIS_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/redis_server.h"

namespace fieldwork::testing {

struct RedisClusterOptions {
  int masters = 3;
  int replicas_per_master = 1;
  // cluster-node-timeout: how long a master may be unreachable before its replica takes over.
  absl::Duration node_timeout = absl::Milliseconds(1500);
};

class RedisCluster {
 public:
  // Starts the nodes, creates the cluster, and returns once every node reports cluster_state:ok,
  // agrees on the slot owners and every replica's link to its master is up.
  static absl::StatusOr<std::unique_ptr<RedisCluster>> Start(
      const RedisClusterOptions& options = {});

  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;
  // Stops every node and removes the data and log directories.
  ~RedisCluster();

  // redis-cluster://127.0.0.1:<port>,… naming every node as a seed.
  std::string url() const;
  // Every node, masters first as created (redis-cli makes the first `masters` nodes masters).
  const std::vector<std::unique_ptr<RedisServer>>& nodes() const { return nodes_; }
  // The node listening on `port`; nullptr when none does.
  RedisServer* NodeAt(int port) const;

  // The port of the master that owns `slot`, as the first reachable node tells it.
  absl::StatusOr<int> MasterPortOfSlot(int slot) const;
  // The ports of the current masters (nodes flagged master that own at least one slot).
  absl::StatusOr<std::vector<int>> MasterPorts() const;
  // The node id (CLUSTER MYID) of the node on `port`.
  absl::StatusOr<std::string> NodeId(int port) const;

  // Marks `slot` IMPORTING on `target_port` and MIGRATING on its current owner.
  absl::Status BeginSlotMigration(int slot, int target_port);
  // MIGRATEs up to `max_keys` keys of `slot` from its owner to `target_port`; returns how many.
  absl::StatusOr<int> MigrateKeys(int slot, int target_port, int max_keys);
  // Assigns `slot` to `target_port` on every master, then waits until every node agrees.
  absl::Status FinishSlotMigration(int slot, int target_port);
  // All three steps, moving every key of the slot.
  absl::Status MoveSlot(int slot, int target_port);

  // CLUSTER FAILOVER (the coordinated, manual kind) on a replica of the master owning `slot`, then
  // waits until every node names that replica as the slot's owner and the cluster is healthy.
  // Returns the new master's port.
  absl::StatusOr<int> FailOverMasterOfSlot(int slot);

  // Waits until every running node reports cluster_state:ok and names the same owner for every
  // slot the first node knows.
  absl::Status WaitUntilHealthy(absl::Duration timeout) const;

 private:
  RedisCluster() = default;

  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::string log_dir_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_REDIS_CLUSTER_H_
