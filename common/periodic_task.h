// A background job run at a fixed interval on its own thread: the services' sweepers (hold expiry
// and event completion in scheduling, automatic finalization in attendance). Destroying the task
// stops it and waits for a run in progress to finish.
#ifndef FIELDWORK_COMMON_PERIODIC_TASK_H_
#define FIELDWORK_COMMON_PERIODIC_TASK_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fieldwork {

class PeriodicTask {
 public:
  // Runs `work` every `interval`, the first time one interval from now.
  PeriodicTask(absl::Duration interval, std::function<void()> work);
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask();

 private:
  void Run();

  const absl::Duration interval_;
  const std::function<void()> work_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: it starts once everything above is ready
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_PERIODIC_TASK_H_
