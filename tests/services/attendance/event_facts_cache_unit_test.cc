// Unit tests of the per-replica event facts cache: off at zero TTL, entries expire, concurrent
// misses share one fetch, and a member learns from a cached event only what scheduling would tell
// it.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "services/attendance/event_facts_cache.h"
#include "tests/services/attendance/attendance_unit_test_support.h"

namespace fieldwork::attendance {
namespace {

using ::fieldwork::attendance::testing::MorningInspection;

TEST(EventFactsCacheTest, ZeroTtlKeepsNothing) {
  EventFactsCache cache(absl::ZeroDuration());
  const absl::Time now = absl::FromUnixSeconds(1000);
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  EXPECT_FALSE(cache.Get(MorningInspection().event_name, now) != nullptr);
}

TEST(EventFactsCacheTest, EntriesExpireAfterTheTtl) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  const std::string name = MorningInspection().event_name;
  ASSERT_TRUE(cache.Get(name, now + absl::Milliseconds(999)) != nullptr);
  EXPECT_EQ(cache.Get(name, now)->members, MorningInspection().members);
  EXPECT_FALSE(cache.Get(name, now + absl::Seconds(1)) != nullptr);
  EXPECT_FALSE(cache.Get("organizations/tongguan/events/other", now) != nullptr);
}

TEST(EventFactsCacheTest, StartsOverWhenFull) {
  EventFactsCache cache(absl::Seconds(10), 1);
  const absl::Time now = absl::FromUnixSeconds(1000);
  EventFacts other = MorningInspection();
  other.event_name = "organizations/tongguan/events/e2";
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  cache.Put(std::make_shared<const EventFacts>(other), now);
  EXPECT_FALSE(cache.Get(MorningInspection().event_name, now) != nullptr);
  EXPECT_TRUE(cache.Get(other.event_name, now) != nullptr);
}

// Waits (without a timeout of its own: the test's) until `count` callers wait for a fetch.
void AwaitWaiters(const EventFactsCache& cache, const std::string& name, int count) {
  while (cache.WaitingFor(name) < count) std::this_thread::yield();
}

TEST(EventFactsCacheTest, ConcurrentMissesShareOneFetch) {
  EventFactsCache cache(absl::Seconds(10));
  const std::string name = MorningInspection().event_name;
  const absl::Time now = absl::FromUnixSeconds(1000);
  const absl::Time deadline = absl::InfiniteFuture();
  std::atomic<int> fetches = 0;
  absl::Notification release;
  auto fetch = [&]() -> absl::StatusOr<std::shared_ptr<const EventFacts>> {
    ++fetches;
    release.WaitForNotification();
    return std::make_shared<const EventFacts>(MorningInspection());
  };
  constexpr int kCallers = 8;
  std::vector<std::shared_ptr<const EventFacts>> answers(kCallers);
  std::vector<std::thread> callers;
  callers.emplace_back([&] {
    answers[0] = *cache.GetOrFetch(
        name, [&] { return now; }, deadline, fetch);
  });
  while (fetches.load() == 0) std::this_thread::yield();
  for (int i = 1; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      answers[i] = *cache.GetOrFetch(
          name, [&] { return now; }, deadline, fetch);
    });
  }
  AwaitWaiters(cache, name, kCallers - 1);
  release.Notify();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(fetches.load(), 1);
  for (const auto& answer : answers) {
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer, answers[0]);
  }
  EXPECT_EQ(cache.Get(name, now), answers[0]);
}

TEST(EventFactsCacheTest, AFailedFetchIsNotSharedNorCached) {
  EventFactsCache cache(absl::Seconds(10));
  const std::string name = MorningInspection().event_name;
  const absl::Time now = absl::FromUnixSeconds(1000);
  std::atomic<int> fetches = 0;
  absl::Notification release;
  auto failing = [&]() -> absl::StatusOr<std::shared_ptr<const EventFacts>> {
    ++fetches;
    release.WaitForNotification();
    return absl::NotFoundError("not visible to this caller");
  };
  auto succeeding = [&]() -> absl::StatusOr<std::shared_ptr<const EventFacts>> {
    ++fetches;
    return std::make_shared<const EventFacts>(MorningInspection());
  };
  absl::StatusOr<std::shared_ptr<const EventFacts>> first, second;
  std::thread leader([&] {
    first = cache.GetOrFetch(
        name, [&] { return now; }, absl::InfiniteFuture(), failing);
  });
  while (fetches.load() == 0) std::this_thread::yield();
  std::thread waiter([&] {
    second = cache.GetOrFetch(
        name, [&] { return now; }, absl::InfiniteFuture(), succeeding);
  });
  AwaitWaiters(cache, name, 1);
  release.Notify();
  leader.join();
  waiter.join();
  EXPECT_TRUE(absl::IsNotFound(first.status()));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(fetches.load(), 2);
  EXPECT_EQ(cache.Get(name, now), *second);
}

TEST(EventFactsCacheTest, AWaiterPastItsDeadlineFetchesItself) {
  EventFactsCache cache(absl::Seconds(10));
  const std::string name = MorningInspection().event_name;
  const absl::Time now = absl::FromUnixSeconds(1000);
  std::atomic<int> fetches = 0;
  absl::Notification release;
  auto slow = [&]() -> absl::StatusOr<std::shared_ptr<const EventFacts>> {
    ++fetches;
    release.WaitForNotification();
    return std::make_shared<const EventFacts>(MorningInspection());
  };
  std::thread leader([&] {
    (void)cache.GetOrFetch(
        name, [&] { return now; }, absl::InfiniteFuture(), slow);
  });
  while (fetches.load() == 0) std::this_thread::yield();
  // A deadline already passed: the caller does not wait for the slow fetch.
  absl::StatusOr<std::shared_ptr<const EventFacts>> own = cache.GetOrFetch(
      name, [&] { return now; }, absl::InfinitePast(),
      [&]() {
        ++fetches;
        return absl::StatusOr<std::shared_ptr<const EventFacts>>(
            absl::UnavailableError("scheduling did not answer within the deadline"));
      });
  EXPECT_TRUE(absl::IsUnavailable(own.status()));
  release.Notify();
  leader.join();
  EXPECT_EQ(fetches.load(), 2);
}

TEST(EventFactsCacheTest, PastHalfItsLifeOneCallerRefreshesWhileOthersUseTheEntry) {
  EventFactsCache cache(absl::Seconds(1));
  const std::string name = MorningInspection().event_name;
  const absl::Time put = absl::FromUnixSeconds(1000);
  auto old_facts = std::make_shared<const EventFacts>(MorningInspection());
  cache.Put(old_facts, put);
  const absl::Time later = put + absl::Milliseconds(600);
  EventFacts changed = MorningInspection();
  changed.members.pop_back();
  auto new_facts = std::make_shared<const EventFacts>(changed);
  std::atomic<int> fetches = 0;
  absl::Notification release;
  absl::StatusOr<std::shared_ptr<const EventFacts>> refreshed;
  std::thread refresher([&] {
    refreshed = cache.GetOrFetch(
        name, [&] { return later; }, absl::InfiniteFuture(),
        [&]() {
          ++fetches;
          release.WaitForNotification();
          return absl::StatusOr<std::shared_ptr<const EventFacts>>(new_facts);
        });
  });
  while (fetches.load() == 0) std::this_thread::yield();
  // While the refresh is blocked, another caller gets the entry at once, without fetching.
  absl::StatusOr<std::shared_ptr<const EventFacts>> during = cache.GetOrFetch(
      name, [&] { return later; }, absl::InfiniteFuture(),
      [&]() {
        ++fetches;
        return absl::StatusOr<std::shared_ptr<const EventFacts>>(new_facts);
      });
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(*during, old_facts);
  release.Notify();
  refresher.join();
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(*refreshed, new_facts);
  EXPECT_EQ(fetches.load(), 1);
  EXPECT_EQ(cache.Get(name, later), new_facts);
}

TEST(EventFactsCacheTest, AFailedRefreshAnswersTheEntryItHad) {
  EventFactsCache cache(absl::Seconds(1));
  const std::string name = MorningInspection().event_name;
  const absl::Time put = absl::FromUnixSeconds(1000);
  auto facts = std::make_shared<const EventFacts>(MorningInspection());
  cache.Put(facts, put);
  const absl::Time later = put + absl::Milliseconds(600);
  absl::StatusOr<std::shared_ptr<const EventFacts>> answer = cache.GetOrFetch(
      name, [&] { return later; }, absl::InfiniteFuture(),
      [] {
        return absl::StatusOr<std::shared_ptr<const EventFacts>>(
            absl::UnavailableError("scheduling is down"));
      });
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, facts);
  // Past the TTL the failure is the answer.
  answer = cache.GetOrFetch(
      name, [&] { return put + absl::Seconds(1); }, absl::InfiniteFuture(),
      [] {
        return absl::StatusOr<std::shared_ptr<const EventFacts>>(
            absl::UnavailableError("scheduling is down"));
      });
  EXPECT_TRUE(absl::IsUnavailable(answer.status()));
}

TEST(EventFactsCacheTest, OffFetchesEveryTime) {
  EventFactsCache cache(absl::ZeroDuration());
  int fetches = 0;
  auto fetch = [&]() -> absl::StatusOr<std::shared_ptr<const EventFacts>> {
    ++fetches;
    return std::make_shared<const EventFacts>(MorningInspection());
  };
  const std::string name = MorningInspection().event_name;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache.GetOrFetch(name, absl::Now, absl::InfiniteFuture(), fetch).ok());
  }
  EXPECT_EQ(fetches, 3);
}

TEST(MemberViewTest, MemberSeesOnlyNonDraftEventsItTakesPartIn) {
  EventFacts event = MorningInspection();
  Principal member{"organizations/tongguan/members/m2", Role::kMember, "tongguan", ""};
  EXPECT_TRUE(MemberView(member, event).ok());
  Principal stranger{"organizations/tongguan/members/m9", Role::kMember, "tongguan", ""};
  EXPECT_TRUE(absl::IsNotFound(MemberView(stranger, event)));
  Principal staff{"staff-a", Role::kStaff, "tongguan", ""};
  EXPECT_TRUE(MemberView(staff, event).ok());
  event.state = fieldwork::scheduling::v1::EVENT_STATE_DRAFT;
  EXPECT_TRUE(absl::IsNotFound(MemberView(member, event)));
}

}  // namespace
}  // namespace fieldwork::attendance
