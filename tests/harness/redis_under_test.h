// The Redis a service test runs against: one private redis-server by default, a private Redis
// Cluster (3 masters + 3 replicas) when the environment says FIELDWORK_TEST_REDIS=cluster, or a
// Sentinel deployment (1 master, 1 replica, 3 sentinels) with FIELDWORK_TEST_REDIS=sentinel, so
// the same test proves the same invariant on each. Tests see a URL and a command helper; with the
// cluster the helper sends each command to the master owning its first key's slot, with Sentinel
// to the current master.
#ifndef FIELDWORK_TESTS_HARNESS_REDIS_UNDER_TEST_H_
#define FIELDWORK_TESTS_HARNESS_REDIS_UNDER_TEST_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/redis_cluster.h"
#include "tests/harness/redis_sentinel.h"
#include "tests/harness/redis_server.h"

namespace fieldwork::testing {

class RedisUnderTest {
 public:
  // Starts what FIELDWORK_TEST_REDIS asks for: unset or "standalone" → RedisServer::Start();
  // "cluster" → RedisCluster::Start(); "sentinel" → RedisSentinelDeployment::Start(). Anything
  // else is INVALID_ARGUMENT.
  static absl::StatusOr<std::unique_ptr<RedisUnderTest>> Start();
  // What FIELDWORK_TEST_REDIS asks for: "standalone" (also when unset), "cluster", "sentinel", or
  // whatever else it says; lets a test skip before starting anything.
  static std::string RequestedKind();

  // The URL services are given: redis://…, redis-cluster://… or redis-sentinel://…?wait=1&… (with
  // Sentinel every write waits for the replica, so an acknowledged write survives a failover).
  std::string url() const;
  bool is_cluster() const { return cluster_ != nullptr; }
  // The cluster, for tests that move slots or fail masters over; nullptr otherwise.
  RedisCluster* cluster() const { return cluster_.get(); }
  bool is_sentinel() const { return sentinel_ != nullptr; }
  // The Sentinel deployment, for tests that force a failover; nullptr otherwise.
  RedisSentinelDeployment* sentinel() const { return sentinel_.get(); }

  // Runs one command as RedisServer::Command does; on the cluster, on the master owning the slot
  // of args[1] (the first key of most commands).
  absl::StatusOr<std::string> Command(const std::vector<std::string>& args,
                                      absl::Duration timeout = absl::Seconds(10)) const;

  // The port of the master holding `key`: on the cluster the owner of its slot, with Sentinel the
  // current master, otherwise the one server.
  absl::StatusOr<int> MasterPortOfKey(const std::string& key) const;
  // The ports of the masters: the cluster's masters, or the one master otherwise.
  absl::StatusOr<std::vector<int>> MasterPorts() const;
  // `count` organization ids "<prefix><n>" whose keys (hash tag {id}) are spread evenly over the
  // masters: on the cluster, with `count` at least the number of masters, every master holds at
  // least one of them. Elsewhere simply <prefix>0, <prefix>1, …
  absl::StatusOr<std::vector<std::string>> OrganizationsOverMasters(const std::string& prefix,
                                                                    int count) const;
  // OK when every master holds the keys of one of `organizations` at least (always so with a
  // single master); on the cluster, which must have several masters, this proves the
  // organizations spread over all of them. FAILED_PRECONDITION naming the masters otherwise.
  absl::Status CheckOrganizationsOnEveryMaster(const std::vector<std::string>& organizations) const;
  // OK when every master holds at least one key (DBSIZE); FAILED_PRECONDITION naming the masters
  // that hold none otherwise.
  absl::Status CheckEveryMasterHoldsKeys() const;

 private:
  RedisUnderTest() = default;

  // The server listening on `port` (a master), whatever the deployment.
  RedisServer* ServerAt(int port) const;

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisCluster> cluster_;
  std::unique_ptr<RedisSentinelDeployment> sentinel_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_REDIS_UNDER_TEST_H_
