// One blocking hiredis connection whose every read and write is bounded by a deadline. A connection
// that saw any error (I/O, timeout, protocol) is broken for good: its owner must drop it, so a late
// reply can never be read as the answer to a later command.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_CONNECTION_H_
#define FIELDWORK_COMMON_REDIS_REDIS_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_reply.h"

struct redisContext;
struct redisReply;

namespace fieldwork {

// `commands` in the Redis protocol, as they are written to the socket.
absl::StatusOr<std::string> FormatRedisCommands(const std::vector<RedisCommand>& commands);

// The owned copy of a hiredis reply.
RedisReply ToRedisReply(const redisReply& reply);

class RedisConnection {
 public:
  // Connects within min(connect_timeout, deadline), then sends AUTH and SELECT as the endpoint
  // asks. UNAVAILABLE when Redis cannot be reached or refuses AUTH/SELECT. The first call sets
  // SIGPIPE to ignored if it is still at its default (hiredis writes without MSG_NOSIGNAL).
  // Resolving a host name is not bounded by the deadline; use an address or a local resolver.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint,
                                                               absl::Duration connect_timeout,
                                                               absl::Time deadline);

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;
  ~RedisConnection();

  // Writes every command, then reads one reply per command, each system call bounded by what is
  // left until `deadline` (plus a slack of 2% of it, at least 2 ms, so that one socket timeout
  // serves many calls). On failure the connection is broken(). DEADLINE_EXCEEDED when the
  // deadline passed; UNAVAILABLE on I/O errors; INTERNAL on protocol errors.
  absl::StatusOr<std::vector<RedisReply>> RoundTrip(const std::vector<RedisCommand>& commands,
                                                    absl::Time deadline);

  // Hands over the open socket (AUTH and SELECT done) to a caller that reads and writes it itself
  // (MultiplexedRedisConnection); the connection is unusable afterwards. The caller closes it.
  int TakeSocket();

  // True once any call failed; the connection must then be dropped, never reused.
  bool broken() const { return broken_; }

  // False when an idle connection has something to read: the server closed it (CLIENT KILL, a
  // restart, an idle timeout) or sent data nobody asked for. Checked before reuse.
  bool IdleAndOpen() const;

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  // Points the socket's send and receive timeouts at what is left until `deadline`, unless the
  // timeout armed before already ends within its slack after it.
  absl::Status ArmTimeout(absl::Time deadline);
  // Marks the connection broken and describes hiredis's error, given the errno of the failed call.
  absl::Status Fail(int saved_errno);

  redisContext* context_;
  bool broken_ = false;
  // The socket timeout armed last; none before the first call.
  absl::Duration armed_ = -absl::InfiniteDuration();
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_CONNECTION_H_
