// The threads that run unary handlers served through gRPC's callback API (see pooled_service.h);
// the server runner owns one set per server. A call goes straight to the worker that became idle
// last, or waits in one FIFO queue when every worker is busy; a call that finds the queue full is
// refused at once (the caller gets RESOURCE_EXHAUSTED and may retry elsewhere).
#ifndef FIELDWORK_COMMON_CALL_WORKERS_H_
#define FIELDWORK_COMMON_CALL_WORKERS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace fieldwork {

class CallWorkers {
 public:
  // Starts `threads` workers; at most `max_queued` calls wait for one.
  CallWorkers(int threads, int max_queued);
  ~CallWorkers();  // runs what is queued, then joins the workers
  CallWorkers(const CallWorkers&) = delete;
  CallWorkers& operator=(const CallWorkers&) = delete;

  // Hands `work` to the worker that became idle last, or queues it when none is idle; false (and
  // `work` dropped) when the queue is full or the workers are stopping.
  bool Submit(std::function<void()> work);

  // Calls waiting for a worker now (for tests).
  int queued();

  // How many calls served without a worker (PooledService::ServeWithoutBlocking) may be in flight
  // at once: four times what the workers take running and queued, as such a call holds no thread,
  // only its messages. With the default 64 threads, 1,280: at 10,000 calls/s about 130 ms of
  // work, past which a stall is answered RESOURCE_EXHAUSTED rather than queued without bound
  // (tools/bench's check-in at 80% of its peak then kept calls waiting up to the client's 5 s
  // timeout). A cap of 320 already refused calls in stalls of a few tens of milliseconds.
  int without_worker_capacity() const {
    return 4 * (static_cast<int>(threads_.size()) + max_queued_);
  }

 private:
  // One thread and the call handed to it. Each worker sleeps on its own condition variable, so a
  // call wakes exactly one thread, which takes no lock another worker holds (with one queue and
  // one condition variable, every hand-off also woke threads contending for the queue's mutex:
  // three futex calls per booking in scheduling, and most of its futex calls).
  struct Worker {
    std::mutex mu;
    std::condition_variable handed;
    std::function<void()> work ABSL_GUARDED_BY(mu);
    bool stop ABSL_GUARDED_BY(mu) = false;
  };

  void Run(Worker& worker);
  // Waits for a call handed to `worker`; false when told to stop instead.
  static bool AwaitHandOff(Worker& worker, std::function<void()>& work);

  const int max_queued_;
  std::mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  // Workers waiting for a call, the one that became idle last at the back: recently busy threads
  // (warm caches, jemalloc's thread caches already filled) take the next call.
  std::vector<Worker*> idle_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_CALL_WORKERS_H_
