// The connection's thread waits in epoll on the socket and an eventfd, with a timeout at the
// earliest time a pipeline must be given up (or kTick, whichever is sooner). Callers write under
// mu_ themselves, so a call costs its thread one send() and no wake-up of ours; the eventfd is
// written only when the thread must act sooner than it would anyway: to connect, to give up a
// pipeline due before the thread's next wake-up, or to stop.
#include "common/redis/multiplexed_connection.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_connection.h"

namespace fieldwork {
namespace {

// The longest the thread sleeps while pipelines are in flight, so that a caller whose deadline
// is later than that never has to wake it.
constexpr absl::Duration kTick = absl::Milliseconds(100);
constexpr size_t kReadChunk = 64 * 1024;

int TimeoutMillis(absl::Time now, absl::Time wake_at) {
  if (wake_at <= now) return 0;
  return static_cast<int>(
      absl::ToInt64Milliseconds(wake_at - now + absl::Milliseconds(1) - absl::Nanoseconds(1)));
}

}  // namespace

MultiplexedConnection::MultiplexedConnection(RedisEndpoint endpoint, absl::Duration connect_timeout,
                                             absl::Duration command_timeout)
    : endpoint_(std::move(endpoint)),
      connect_timeout_(connect_timeout),
      command_timeout_(command_timeout),
      epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      reader_(redisReaderCreate()) {
  if (epoll_fd_ < 0 || wake_fd_ < 0 || reader_ == nullptr) std::abort();  // out of descriptors
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = wake_fd_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake) != 0) std::abort();
  thread_ = std::thread([this] { Run(); });
}

MultiplexedConnection::~MultiplexedConnection() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  Wake();
  thread_.join();
  redisReaderFree(reader_);
  close(wake_fd_);
  close(epoll_fd_);
}

void MultiplexedConnection::Send(const std::vector<RedisCommand>& commands, absl::Time deadline,
                                 Done done) {
  absl::StatusOr<std::string> formatted = FormatRedisCommands(commands);
  if (!formatted.ok()) return std::move(done)(formatted.status());
  const absl::Time now = absl::Now();
  if (deadline <= now) {
    return std::move(done)(absl::DeadlineExceededError("no time left to ask Redis"));
  }
  bool wake = false;
  bool refused = false;
  {
    absl::MutexLock lock(&mu_);
    refused = stopping_;
    if (!refused) {
      Pending pending;
      pending.expected = commands.size();
      pending.replies.reserve(commands.size());
      pending.stuck_at = now + command_timeout_;
      pending.give_up = std::min(deadline, pending.stuck_at);
      pending.done = std::move(done);
      if (pending.give_up < wake_at_) wake = true;
      pending_.push_back(std::move(pending));
      out_.append(*formatted);
      if (fd_ >= 0 && !broken_) {
        if (!watching_writes_ && !Flush()) wake = true;  // the thread closes it and answers
      } else if (fd_ < 0 && !connecting_) {
        connecting_ = true;
        wake = true;
      }
    }
  }
  if (refused) {
    return std::move(done)(absl::UnavailableError("the Redis client is shutting down"));
  }
  if (wake) Wake();
}

int MultiplexedConnection::in_flight() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(std::count_if(pending_.begin(), pending_.end(),
                                        [](const Pending& pending) { return bool(pending.done); }));
}

void MultiplexedConnection::Wake() {
  const uint64_t one = 1;
  // Fails only when the counter is about to overflow, and then the thread is due to wake anyway.
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
}

bool MultiplexedConnection::Flush() {
  while (out_written_ < out_.size()) {
    const ssize_t n = send(fd_, out_.data() + out_written_, out_.size() - out_written_,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      out_written_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WatchWrites(true);
      return true;
    }
    broken_ = true;
    return false;
  }
  out_.clear();
  out_written_ = 0;
  WatchWrites(false);
  return true;
}

void MultiplexedConnection::WatchWrites(bool want) {
  if (want == watching_writes_) return;
  epoll_event event{};
  event.events = want ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  event.data.fd = fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd_, &event);
  watching_writes_ = want;
}

void MultiplexedConnection::Break(const absl::Status& status, Answers& answers) {
  if (fd_ >= 0) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd_, nullptr);
    close(fd_);
    fd_ = -1;
  }
  redisReaderFree(reader_);
  reader_ = redisReaderCreate();
  if (reader_ == nullptr) std::abort();
  out_.clear();
  out_written_ = 0;
  broken_ = false;
  watching_writes_ = false;
  for (Pending& pending : pending_) {
    if (pending.done) answers.emplace_back(std::move(pending.done), status);
  }
  pending_.clear();
}

absl::Time MultiplexedConnection::ExpireAndNextWake(absl::Time now, Answers& answers) {
  absl::Time next = now + kTick;
  if (!pending_.empty() && fd_ >= 0 && pending_.front().stuck_at <= now) {
    Break(absl::UnavailableError(absl::StrCat("Redis did not answer within the command timeout (",
                                              absl::FormatDuration(command_timeout_), ")")),
          answers);
    return next;
  }
  for (Pending& pending : pending_) {
    if (!pending.done) continue;
    if (pending.give_up <= now) {
      answers.emplace_back(
          std::move(pending.done),
          pending.give_up < pending.stuck_at
              ? absl::DeadlineExceededError("Redis did not answer before the deadline")
              : absl::UnavailableError(
                    absl::StrCat("Redis did not answer within the command timeout (",
                                 absl::FormatDuration(command_timeout_), ")")));
      continue;
    }
    next = std::min(next, pending.give_up);
  }
  if (!pending_.empty()) next = std::min(next, pending_.front().stuck_at);
  return next;
}

absl::StatusOr<int> MultiplexedConnection::Connect() {
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(endpoint_, connect_timeout_, absl::Now() + connect_timeout_);
  if (!connection.ok()) return connection.status();
  const int fd = (*connection)->TakeSocket();
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot make the Redis socket non-blocking: ", std::strerror(errno)));
  }
  return fd;
}

void MultiplexedConnection::ReadReplies(Answers& answers) {
  int fd;
  {
    absl::MutexLock lock(&mu_);
    fd = fd_;
  }
  if (fd < 0) return;
  absl::Status failure;
  auto buffer = std::make_unique<char[]>(kReadChunk);
  while (true) {
    const ssize_t n = recv(fd, buffer.get(), kReadChunk, MSG_DONTWAIT);
    if (n > 0) {
      if (redisReaderFeed(reader_, buffer.get(), static_cast<size_t>(n)) != REDIS_OK) {
        failure = absl::InternalError(absl::StrCat("Redis protocol error: ", reader_->errstr));
        break;
      }
      if (static_cast<size_t>(n) < kReadChunk) break;
      continue;
    }
    if (n == 0) {
      failure = absl::UnavailableError("Redis closed the connection");
    } else if (errno == EINTR) {
      continue;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
      failure =
          absl::UnavailableError(absl::StrCat("Redis connection failed: ", std::strerror(errno)));
    }
    break;
  }
  std::vector<RedisReply> replies;
  while (true) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
      failure = absl::InternalError(absl::StrCat("Redis protocol error: ", reader_->errstr));
      break;
    }
    if (raw == nullptr) break;
    replies.push_back(ToRedisReply(*static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  absl::MutexLock lock(&mu_);
  for (RedisReply& reply : replies) {
    if (pending_.empty()) {
      failure = absl::InternalError("Redis sent a reply nobody asked for");
      break;
    }
    Pending& front = pending_.front();
    front.replies.push_back(std::move(reply));
    if (front.replies.size() < front.expected) continue;
    if (front.done) answers.emplace_back(std::move(front.done), std::move(front.replies));
    pending_.pop_front();
  }
  if (!failure.ok()) Break(failure, answers);
}

void MultiplexedConnection::Run() {
  const auto answer = [](Answers& answers) {
    for (auto& [done, result] : answers) std::move(done)(std::move(result));
    answers.clear();
  };
  Answers answers;
  while (true) {
    bool connect = false;
    int timeout_ms = 0;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        Break(absl::UnavailableError("the Redis client is shutting down"), answers);
        break;
      }
      if (broken_) Break(absl::UnavailableError("writing to Redis failed"), answers);
      const absl::Time now = absl::Now();
      wake_at_ = ExpireAndNextWake(now, answers);
      connect = fd_ < 0 && connecting_;
      timeout_ms = TimeoutMillis(now, wake_at_);
    }
    answer(answers);
    if (connect) {
      absl::StatusOr<int> fd = Connect();
      absl::MutexLock lock(&mu_);
      connecting_ = false;
      if (!fd.ok()) {
        Break(fd.status(), answers);
      } else {
        fd_ = *fd;
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd_;
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd_, &event);
        if (!Flush()) Break(absl::UnavailableError("writing to Redis failed"), answers);
      }
      continue;  // answers go out at the top of the loop, after mu_ is released
    }
    epoll_event events[2];
    const int ready = epoll_wait(epoll_fd_, events, 2, timeout_ms);
    for (int i = 0; i < ready; ++i) {
      if (events[i].data.fd == wake_fd_) {
        uint64_t count;
        [[maybe_unused]] const ssize_t read_bytes = read(wake_fd_, &count, sizeof count);
        continue;
      }
      if (events[i].events & EPOLLOUT) {
        absl::MutexLock lock(&mu_);
        if (fd_ >= 0 && !Flush()) Break(absl::UnavailableError("writing to Redis failed"), answers);
      }
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ReadReplies(answers);
    }
    answer(answers);
  }
  answer(answers);
}

}  // namespace fieldwork
