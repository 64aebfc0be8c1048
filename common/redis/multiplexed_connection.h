// One connection to one Redis server that every caller shares without waiting on it: a caller's
// thread formats and writes its pipeline and returns; the connection's own thread reads the
// replies (Redis answers in order) and hands each pipeline its replies through a callback. Under
// load one read and one wake-up serve many calls, and no handler thread sleeps on Redis. Behind
// PooledRedisClient::PipelineAsync.
//
//   MultiplexedConnection redis(endpoint, absl::Milliseconds(500), absl::Seconds(2));
//   redis.Send({{"GET", key}}, deadline, [](absl::StatusOr<std::vector<RedisReply>> replies) {
//     ...  // runs on the connection's thread: must not block
//   });
#ifndef FIELDWORK_COMMON_REDIS_MULTIPLEXED_CONNECTION_H_
#define FIELDWORK_COMMON_REDIS_MULTIPLEXED_CONNECTION_H_

#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"
#include "common/redis/redis_reply.h"

struct redisReader;

namespace fieldwork {

class MultiplexedConnection {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<std::vector<RedisReply>>) &&>;

  // Connects on the first Send, within `connect_timeout` (AUTH and SELECT as the endpoint asks).
  // No reply is awaited longer than `command_timeout` after its pipeline was queued.
  MultiplexedConnection(RedisEndpoint endpoint, absl::Duration connect_timeout,
                        absl::Duration command_timeout);
  // Answers whatever is still pending UNAVAILABLE, then joins the connection's thread.
  ~MultiplexedConnection();
  MultiplexedConnection(const MultiplexedConnection&) = delete;
  MultiplexedConnection& operator=(const MultiplexedConnection&) = delete;

  // Queues `commands` (at least one) and calls `done` exactly once: with one reply per command
  // (error replies kept as kError); DEADLINE_EXCEEDED when `deadline` passed first; UNAVAILABLE
  // when Redis cannot be reached, the connection drops, or command_timeout passed first. `done`
  // runs on the connection's thread, or on the caller's when the connection broke while writing;
  // it must not block, since that thread reads every caller's replies.
  void Send(const std::vector<RedisCommand>& commands, absl::Time deadline, Done done);

  // Pipelines sent and not yet answered or given up (for tests).
  int in_flight();

 private:
  struct Pending {
    size_t expected = 0;  // replies
    std::vector<RedisReply> replies;
    absl::Time stuck_at;  // queued + command_timeout: the connection is dead after this
    absl::Time give_up;   // min(deadline, stuck_at)
    Done done;            // empty once answered; its replies are then read and dropped
  };
  // What to call once mu_ is released.
  using Answers = std::vector<std::pair<Done, absl::StatusOr<std::vector<RedisReply>>>>;

  void Run();
  // Opens the socket (on the connection's thread, without mu_ held).
  absl::StatusOr<int> Connect();
  // Writes what it can of out_; asks for EPOLLOUT when the socket is full. False when it broke.
  bool Flush() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads what has arrived and completes the pipelines it answers.
  void ReadReplies(Answers& answers);
  // Closes the socket and fails everything pending with `status`.
  void Break(const absl::Status& status, Answers& answers) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Answers the pipelines whose time is up; returns when the thread must next wake.
  absl::Time ExpireAndNextWake(absl::Time now, Answers& answers) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WatchWrites(bool want) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Wake();

  const RedisEndpoint endpoint_;
  const absl::Duration connect_timeout_;
  const absl::Duration command_timeout_;
  const int epoll_fd_;
  const int wake_fd_;  // an eventfd: new work the thread must see before its next wake-up

  absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_) = -1;  // changed only on the connection's thread
  bool connecting_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;  // a write failed; the thread closes the socket
  bool watching_writes_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::string out_ ABSL_GUARDED_BY(mu_);  // formatted commands not yet written
  size_t out_written_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mu_);
  absl::Time wake_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();

  redisReader* reader_ = nullptr;  // the connection's thread only
  std::thread thread_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_MULTIPLEXED_CONNECTION_H_
