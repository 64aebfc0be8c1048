#include "common/call_workers.h"

#include <utility>

namespace fieldwork {

CallWorkers::CallWorkers(int threads, int max_queued) : max_queued_(max_queued) {
  workers_.reserve(threads);
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    Worker& worker = *workers_.emplace_back(std::make_unique<Worker>());
    threads_.emplace_back([this, &worker] { Run(worker); });
  }
}

CallWorkers::~CallWorkers() {
  std::vector<Worker*> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    idle.swap(idle_);
  }
  // Busy workers run what is queued, then see stopping_; idle ones are told to stop.
  for (Worker* worker : idle) {
    {
      std::lock_guard<std::mutex> lock(worker->mu);
      worker->stop = true;
    }
    worker->handed.notify_one();
  }
  for (std::thread& thread : threads_) thread.join();
}

bool CallWorkers::Submit(std::function<void()> work) {
  Worker* worker = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    if (!idle_.empty()) {
      worker = idle_.back();
      idle_.pop_back();
    } else if (static_cast<int>(queue_.size()) >= max_queued_) {
      return false;
    } else {
      queue_.push_back(std::move(work));
      return true;
    }
  }
  {
    std::lock_guard<std::mutex> lock(worker->mu);
    worker->work = std::move(work);
  }
  worker->handed.notify_one();
  return true;
}

int CallWorkers::queued() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

bool CallWorkers::AwaitHandOff(Worker& worker, std::function<void()>& work) {
  std::unique_lock<std::mutex> lock(worker.mu);
  worker.handed.wait(lock, [&worker]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(worker.mu) {
    return worker.stop || worker.work != nullptr;
  });
  if (worker.work == nullptr) return false;
  work = std::move(worker.work);
  worker.work = nullptr;
  return true;
}

void CallWorkers::Run(Worker& worker) {
  while (true) {
    std::function<void()> work;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!queue_.empty()) {
        work = std::move(queue_.front());
        queue_.pop_front();
      } else if (stopping_) {
        return;  // nothing left
      } else {
        idle_.push_back(&worker);
      }
    }
    if (work == nullptr && !AwaitHandOff(worker, work)) return;
    work();
  }
}

}  // namespace fieldwork
