// The threads that run unary handlers served through gRPC's callback API (see pooled_service.h);
// the server runner owns one set per server. A fixed set of workers takes calls from one FIFO
// queue; a call that finds the queue full is refused at once (the caller gets RESOURCE_EXHAUSTED
// and may retry elsewhere).
#ifndef FIELDWORK_COMMON_CALL_WORKERS_H_
#define FIELDWORK_COMMON_CALL_WORKERS_H_

#include <condition_variable>
#include <deque>
#include <functional>
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

  // Queues `work`; false (and `work` dropped) when the queue is full or the workers are stopping.
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
  void Run();

  const int max_queued_;
  // std::condition_variable wakes one waiting worker per call; absl::Mutex with a Condition would
  // evaluate every idle worker's condition on each unlock.
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_CALL_WORKERS_H_
