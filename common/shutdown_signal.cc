// Self-pipe signal handling for graceful shutdown.
#include "common/shutdown_signal.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace fieldwork {
namespace {

std::atomic<int> signal_write_fd{-1};

void OnShutdownSignal(int) {
  const int saved_errno = errno;
  const char byte = 1;
  // Nothing useful can be done if the pipe is full: a wake-up is already pending then.
  [[maybe_unused]] const ssize_t written = write(signal_write_fd.load(), &byte, 1);
  errno = saved_errno;
}

}  // namespace

absl::StatusOr<ShutdownSignal*> ShutdownSignal::Acquire() {
  static absl::Mutex mu(absl::kConstInit);
  static ShutdownSignal* instance = nullptr;
  absl::MutexLock lock(&mu);
  if (instance != nullptr) {
    instance->DiscardPending();
    return instance;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  signal_write_fd.store(fds[1]);
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnShutdownSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal_number : {SIGTERM, SIGINT}) {
    if (sigaction(signal_number, &action, nullptr) != 0) {
      return absl::InternalError(absl::StrCat("sigaction: ", std::strerror(errno)));
    }
  }
  instance = new ShutdownSignal(fds[0], fds[1]);
  return instance;
}

bool ShutdownSignal::Wait(absl::Duration timeout) {
  struct pollfd pfd = {read_fd_, POLLIN, 0};
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  if (poll(&pfd, 1, timeout_ms) <= 0) return false;
  char byte;
  return read(read_fd_, &byte, 1) == 1;
}

void ShutdownSignal::DiscardPending() {
  char bytes[64];
  while (read(read_fd_, bytes, sizeof(bytes)) > 0) {
  }
}

void ShutdownSignal::Notify() {
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = write(write_fd_, &byte, 1);
}

}  // namespace fieldwork
