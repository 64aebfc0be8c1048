// A private Sentinel deployment for tests: one master, one replica and three redis-sentinel
// processes on free loopback ports, with a forced failover a test can trigger and await.
#ifndef FIELDWORK_TESTS_HARNESS_REDIS_SENTINEL_H_
#define FIELDWORK_TESTS_HARNESS_REDIS_SENTINEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_server.h"

namespace fieldwork::testing {

class RedisSentinelDeployment {
 public:
  static constexpr char kMasterName[] = "fieldwork";

  // Starts master and replica, waits for the replica's link, starts three sentinels monitoring
  // the master (quorum 2), and returns once every sentinel knows the replica and the other two
  // sentinels.
  static absl::StatusOr<std::unique_ptr<RedisSentinelDeployment>> Start();

  RedisSentinelDeployment(const RedisSentinelDeployment&) = delete;
  RedisSentinelDeployment& operator=(const RedisSentinelDeployment&) = delete;
  // Stops the sentinels and the servers and removes their directories.
  ~RedisSentinelDeployment();

  // redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/fieldwork
  std::string url() const;
  // The two data nodes: the first started as master, the second as its replica.
  RedisServer& server(int index) { return *servers_[index]; }
  // The data node on `port`; nullptr when none.
  RedisServer* ServerAt(int port);
  const std::vector<int>& sentinel_ports() const { return sentinel_ports_; }

  // The master's port as the first answering sentinel names it.
  absl::StatusOr<int> MasterPort() const;
  // SENTINEL FAILOVER, then waits until every sentinel names the other node, that node's ROLE is
  // master and the old master reports itself a replica. Returns the new master's port.
  absl::StatusOr<int> Failover();
  // SIGKILLs every sentinel.
  void KillSentinels();
  // SIGSTOPs / SIGCONTs every sentinel: paused, a sentinel still completes TCP handshakes (the
  // kernel queues the connection) but never answers.
  absl::Status PauseSentinels();
  absl::Status ResumeSentinels();

 private:
  RedisSentinelDeployment() = default;
  absl::Status StartSentinel(int master_port);
  absl::Status WaitUntilSentinelsSettled(int master_port) const;

  std::string dir_;
  std::vector<std::unique_ptr<RedisServer>> servers_;
  std::vector<int> sentinel_ports_;
  std::vector<std::unique_ptr<ChildProcess>> sentinels_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_REDIS_SENTINEL_H_
