// Which Redis deployment a configuration URL names: one standalone server (redis://), a
// Sentinel-managed master (redis-sentinel://) or a Redis Cluster (redis-cluster://), plus the
// optional WAIT policy for writes. Pure parsing, no I/O.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_DEPLOYMENT_H_
#define FIELDWORK_COMMON_REDIS_REDIS_DEPLOYMENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_config.h"

namespace fieldwork {

enum class RedisTopology { kStandalone, kSentinel, kCluster };

// After each pipeline or script that may write, `WAIT replicas timeout` runs on the same
// connection; fewer acknowledgements than `replicas` fail the call with UNAVAILABLE (the write
// itself did happen on the master). See common/redis/README.md for what this does and does not
// guarantee.
struct RedisWaitPolicy {
  int replicas = 0;  // 0: no WAIT
  absl::Duration timeout = absl::Milliseconds(100);
};

struct RedisDeployment {
  RedisTopology topology = RedisTopology::kStandalone;
  // Standalone: the server. Sentinel: the sentinels (contacted without AUTH). Cluster: the seed
  // nodes. Credentials and database are copied into every entry and apply to data nodes.
  std::vector<RedisEndpoint> nodes;
  std::string master_name;  // Sentinel only
  RedisWaitPolicy wait;
};

// Parses
//   redis://[[user]:password@]host[:port][/db][?wait=N&wait_timeout_ms=T]
//   redis-sentinel://[[user]:password@]host:port[,host:port...]/<master-name>[/db][?wait=...]
//   redis-cluster://[[user]:password@]host:port[,host:port...][?wait=...]
// A malformed URL is INVALID_ARGUMENT naming the URL with its password masked.
absl::StatusOr<RedisDeployment> ParseRedisDeployment(absl::string_view url);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_DEPLOYMENT_H_
