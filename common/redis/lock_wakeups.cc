// Per-key queues of the calendar lock waiters of this process (see lock_wakeups.h).
#include "common/redis/lock_wakeups.h"

#include <algorithm>
#include <utility>

namespace fieldwork {

LockWakeups::Waiter::Waiter(LockWakeups& wakeups, std::vector<std::string> keys)
    : wakeups_(wakeups), keys_(std::move(keys)) {
  absl::MutexLock lock(&wakeups_.mu_);
  for (const std::string& key : keys_) wakeups_.queues_[key].push_back(this);
}

LockWakeups::Waiter::~Waiter() {
  absl::MutexLock lock(&wakeups_.mu_);
  for (const std::string& key : keys_) {
    auto queue = wakeups_.queues_.find(key);
    if (queue == wakeups_.queues_.end()) continue;
    std::deque<Waiter*>& waiters = queue->second;
    waiters.erase(std::remove(waiters.begin(), waiters.end(), this), waiters.end());
    if (waiters.empty()) wakeups_.queues_.erase(queue);
  }
}

bool LockWakeups::Waiter::Sleep(absl::Time until) {
  absl::MutexLock lock(&wakeups_.mu_);
  // A release while the last try was on its way counts: the waiter tries again at once.
  const bool woken = wakeups_.mu_.AwaitWithDeadline(absl::Condition(&woken_), until);
  woken_ = false;
  return woken;
}

void LockWakeups::Released(const std::vector<std::string>& keys) {
  absl::MutexLock lock(&mu_);
  for (const std::string& key : keys) {
    auto queue = queues_.find(key);
    if (queue != queues_.end()) queue->second.front()->woken_ = true;
  }
}

int LockWakeups::WaitingFor(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto queue = queues_.find(key);
  return queue == queues_.end() ? 0 : static_cast<int>(queue->second.size());
}

}  // namespace fieldwork
