// Configuration of the Redis client: where Redis is (a redis:// URL), how many connections to pool
// and how long connecting and commands may take.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_CONFIG_H_
#define FIELDWORK_COMMON_REDIS_REDIS_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace fieldwork {

struct RedisConfig {
  // redis://[[user]:password@]host[:port][/db]; port defaults to 6379, db to 0. Characters of the
  // user and password may be percent-encoded (%40 for '@'). Or redis-sentinel://… or
  // redis-cluster://…, with optional WAIT parameters: see ParseRedisDeployment
  // (redis_deployment.h) and common/redis/README.md.
  std::string url = "redis://127.0.0.1:6379";
  // Most connections open at once; a call waits (up to its deadline) when all are busy. Half the
  // default --max-threads: with 8, 32 calls in flight spent 3% of scheduling's CPU queueing for a
  // connection (futex waits and wake-ups), and Redis does not mind a few dozen clients.
  int pool_size = 32;
  // Upper bound for opening a connection (TCP connect, AUTH, SELECT).
  absl::Duration connect_timeout = absl::Milliseconds(500);
  // Upper bound for one command or pipeline once sent, even when the caller's deadline is later.
  absl::Duration command_timeout = absl::Seconds(2);
};

// One standalone Redis server, as named by a redis:// URL.
struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string username;  // empty: AUTH with the password only (the default user)
  std::string password;  // empty: no AUTH
  int db = 0;
};

// Parses a redis:// URL. A malformed URL is INVALID_ARGUMENT naming the URL (password masked).
absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url);

// `url` with its password replaced by "***", fit for logs and error messages.
std::string RedactRedisUrl(absl::string_view url);

// Checks the URL (any scheme ParseRedisDeployment accepts) and the numbers of `config`;
// INVALID_ARGUMENT names the offending value.
absl::Status ValidateRedisConfig(const RedisConfig& config);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_CONFIG_H_
