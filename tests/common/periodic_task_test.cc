// PeriodicTask runs its work repeatedly on its own thread and stops when destroyed.
#include "common/periodic_task.h"

#include <gtest/gtest.h>

#include <memory>

#include "absl/synchronization/mutex.h"

namespace fieldwork {
namespace {

TEST(PeriodicTaskTest, RunsRepeatedlyUntilDestroyed) {
  absl::Mutex mu;
  int runs = 0;
  auto task = std::make_unique<PeriodicTask>(absl::Milliseconds(1), [&] {
    absl::MutexLock lock(&mu);
    ++runs;
  });
  {
    absl::MutexLock lock(&mu);
    const bool ran_three_times =
        mu.AwaitWithTimeout(absl::Condition(
                                +[](int* count) { return *count >= 3; }, &runs),
                            absl::Seconds(30));
    ASSERT_TRUE(ran_three_times) << "ran " << runs << " times";
  }
  task.reset();  // joins: no run is in progress once this returns
  absl::MutexLock lock(&mu);
  const int after_stop = runs;
  EXPECT_GE(after_stop, 3);
}

}  // namespace
}  // namespace fieldwork
