// A deadline-bounded blocking hiredis connection. The read loop is ours (redisBufferRead plus
// redisGetReplyFromReader) rather than redisGetReply, so every system call gets only the time left
// until the deadline instead of a fixed per-call timeout.
#include "common/redis/redis_connection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace fieldwork {
namespace {

// hiredis treats a zero timeval as "no timeout", so the shortest wait is one millisecond.
// How much later than a call's deadline its socket timeout may end: 2% of the wait, at least
// 2 ms.
absl::Duration TimeoutSlack(absl::Duration wait) {
  return std::max(wait / 50, absl::Milliseconds(2));
}

timeval AtLeastOneMillisecond(absl::Duration duration) {
  return absl::ToTimeval(std::max(duration, absl::Milliseconds(1)));
}

// hiredis writes without MSG_NOSIGNAL: a write to a connection Redis has just dropped would
// raise SIGPIPE and kill the process. Ignore it, unless the program already decided otherwise.
void IgnoreSigpipeUnlessHandled() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

absl::StatusOr<std::string> FormatRedisCommands(const std::vector<RedisCommand>& commands) {
  std::string out;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const RedisCommand& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    char* formatted = nullptr;
    const int length = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()),
                                              argv.data(), lengths.data());
    if (length < 0 || formatted == nullptr) {
      return absl::ResourceExhaustedError("cannot format a Redis command");
    }
    out.append(formatted, static_cast<size_t>(length));
    redisFreeCommand(formatted);
  }
  return out;
}

RedisReply ToRedisReply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      return RedisReply::Integer(reply.integer);
    case REDIS_REPLY_STATUS:
      return RedisReply::Status(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return RedisReply::Error(std::string(reply.str, reply.len));
    case REDIS_REPLY_STRING:
      return RedisReply::String(std::string(reply.str, reply.len));
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        elements.push_back(ToRedisReply(*reply.element[i]));
      }
      return RedisReply::Array(std::move(elements));
    }
    default:
      return RedisReply::Nil();
  }
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint, absl::Duration connect_timeout, absl::Time deadline) {
  IgnoreSigpipeUnlessHandled();
  const absl::Time connect_deadline = std::min(deadline, absl::Now() + connect_timeout);
  const absl::Duration left = connect_deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("no time left to connect to Redis");
  }
  redisContext* context =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, AtLeastOneMillisecond(left));
  if (context == nullptr) return absl::ResourceExhaustedError("cannot allocate a Redis context");
  if (context->err != 0) {
    const bool out_of_time = absl::Now() >= deadline;
    absl::Status status = absl::Status(
        out_of_time ? absl::StatusCode::kDeadlineExceeded : absl::StatusCode::kUnavailable,
        absl::StrCat("cannot connect to Redis at ", endpoint.host, ":", endpoint.port, ": ",
                     context->errstr));
    redisFree(context);
    return status;
  }
  redisEnableKeepAlive(context);
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));

  std::vector<RedisCommand> handshake;
  if (!endpoint.password.empty()) {
    handshake.push_back(endpoint.username.empty()
                            ? RedisCommand{"AUTH", endpoint.password}
                            : RedisCommand{"AUTH", endpoint.username, endpoint.password});
  }
  if (endpoint.db != 0) handshake.push_back({"SELECT", absl::StrCat(endpoint.db)});
  if (handshake.empty()) return connection;
  absl::StatusOr<std::vector<RedisReply>> replies =
      connection->RoundTrip(handshake, connect_deadline);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    if ((*replies)[i].is_error()) {
      return absl::UnavailableError(absl::StrCat("Redis at ", endpoint.host, ":", endpoint.port,
                                                 " refused ", handshake[i][0], ": ",
                                                 (*replies)[i].str()));
    }
  }
  return connection;
}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

int RedisConnection::TakeSocket() {
  broken_ = true;
  const int fd = redisFreeKeepFd(context_);
  context_ = nullptr;
  return fd;
}

absl::Status RedisConnection::ArmTimeout(absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    broken_ = true;
    return absl::DeadlineExceededError("Redis did not answer before the deadline");
  }
  // Re-arming takes two setsockopt calls, before every write and every read. A timeout armed
  // earlier is kept while it ends no sooner than the deadline and at most its slack after it:
  // most calls' deadlines are the command timeout from now, so one arming serves many calls.
  const absl::Duration wanted = std::max(left, absl::Milliseconds(1));
  const absl::Duration slack = TimeoutSlack(wanted);
  if (armed_ >= wanted && armed_ <= wanted + slack) return absl::OkStatus();
  const absl::Duration arm = wanted + slack / 2;
  if (redisSetTimeout(context_, absl::ToTimeval(arm)) != REDIS_OK) return Fail(errno);
  armed_ = arm;
  return absl::OkStatus();
}

absl::Status RedisConnection::Fail(int saved_errno) {
  broken_ = true;
  const std::string detail = context_->errstr;
  switch (context_->err) {
    case REDIS_ERR_IO:
      if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
        return absl::DeadlineExceededError("Redis did not answer before the deadline");
      }
      return absl::UnavailableError(absl::StrCat("Redis connection failed: ", detail));
    case REDIS_ERR_EOF:
      return absl::UnavailableError(absl::StrCat("Redis closed the connection: ", detail));
    case REDIS_ERR_PROTOCOL:
      return absl::InternalError(absl::StrCat("Redis protocol error: ", detail));
    default:
      return absl::InternalError(absl::StrCat("Redis client error: ", detail));
  }
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::RoundTrip(
    const std::vector<RedisCommand>& commands, absl::Time deadline) {
  if (broken_) return absl::FailedPreconditionError("broken Redis connection reused");
  absl::StatusOr<std::string> formatted = FormatRedisCommands(commands);
  if (!formatted.ok()) return formatted.status();
  if (redisAppendFormattedCommand(context_, formatted->data(), formatted->size()) != REDIS_OK) {
    return Fail(errno);
  }
  for (int done = 0; !done;) {
    if (absl::Status armed = ArmTimeout(deadline); !armed.ok()) return armed;
    if (redisBufferWrite(context_, &done) != REDIS_OK) return Fail(errno);
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  while (replies.size() < commands.size()) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return Fail(errno);
    if (raw != nullptr) {
      replies.push_back(ToRedisReply(*static_cast<redisReply*>(raw)));
      freeReplyObject(raw);
      continue;
    }
    if (absl::Status armed = ArmTimeout(deadline); !armed.ok()) return armed;
    if (redisBufferRead(context_) != REDIS_OK) return Fail(errno);
  }
  return replies;
}

bool RedisConnection::IdleAndOpen() const {
  if (broken_ || context_ == nullptr) return false;
  pollfd poll_fd{context_->fd, POLLIN, 0};
  return poll(&poll_fd, 1, 0) == 0;
}

}  // namespace fieldwork
