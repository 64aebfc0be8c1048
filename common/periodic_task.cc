// A background job run at a fixed interval (see periodic_task.h).
#include "common/periodic_task.h"

#include <utility>

namespace fieldwork {

PeriodicTask::PeriodicTask(absl::Duration interval, std::function<void()> work)
    : interval_(interval), work_(std::move(work)), thread_([this] { Run(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void PeriodicTask::Run() {
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) {
    mu_.Unlock();
    work_();
    mu_.Lock();
  }
}

}  // namespace fieldwork
