// Lock wake-ups: a release wakes the first waiter of each released key, only that one, and a
// waiter that leaves gives its place up. No Redis: the queues are in-process.
#include "common/redis/lock_wakeups.h"

#include <gtest/gtest.h>

#include <memory>

#include "absl/time/clock.h"

namespace fieldwork {
namespace {

// Sleep with a deadline already passed: answers whether a wake-up is pending, without waiting.
bool Woken(LockWakeups::Waiter& waiter) { return waiter.Sleep(absl::InfinitePast()); }

TEST(LockWakeupsTest, AReleaseWakesTheFirstWaiterOfTheKeyOnly) {
  LockWakeups wakeups;
  LockWakeups::Waiter first(wakeups, {"k1", "k2"});
  LockWakeups::Waiter second(wakeups, {"k1"});
  LockWakeups::Waiter other(wakeups, {"k3"});
  EXPECT_EQ(wakeups.WaitingFor("k1"), 2);
  wakeups.Released({"k1"});
  EXPECT_TRUE(Woken(first));
  EXPECT_FALSE(Woken(first));  // a wake-up is used once
  EXPECT_FALSE(Woken(second));
  EXPECT_FALSE(Woken(other));
}

TEST(LockWakeupsTest, AWaiterThatLeavesGivesItsPlaceToTheNext) {
  LockWakeups wakeups;
  auto first = std::make_unique<LockWakeups::Waiter>(wakeups, std::vector<std::string>{"k1"});
  LockWakeups::Waiter second(wakeups, {"k1"});
  first.reset();
  EXPECT_EQ(wakeups.WaitingFor("k1"), 1);
  wakeups.Released({"k1", "nobody waits for this"});
  EXPECT_TRUE(Woken(second));
}

TEST(LockWakeupsTest, AReleaseDuringTheLastTryWakesTheNextSleepAtOnce) {
  LockWakeups wakeups;
  LockWakeups::Waiter waiter(wakeups, {"k1"});
  wakeups.Released({"k1"});  // before the waiter goes to sleep
  EXPECT_TRUE(waiter.Sleep(absl::InfiniteFuture()));
}

TEST(LockWakeupsTest, QueuesDisappearWithTheirLastWaiter) {
  LockWakeups wakeups;
  { LockWakeups::Waiter waiter(wakeups, {"k1", "k2"}); }
  EXPECT_EQ(wakeups.WaitingFor("k1"), 0);
  EXPECT_EQ(wakeups.WaitingFor("k2"), 0);
  wakeups.Released({"k1"});  // nobody to wake: no effect
}

}  // namespace
}  // namespace fieldwork
