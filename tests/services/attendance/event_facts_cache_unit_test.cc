// Unit tests of the per-replica event facts cache: off at zero TTL, entries expire, concurrent
// misses share one fetch, and a member learns from a cached event only what scheduling would tell
// it.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

TEST(EventFactsCacheTest, PeekAnswersFreshEntriesAndHandsOutOneRefreshOnceDue) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  bool refresh = true;
  EXPECT_EQ(cache.Peek(name, now, &refresh), nullptr);
  EXPECT_FALSE(refresh);
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  EXPECT_NE(cache.Peek(name, now + absl::Milliseconds(499), &refresh), nullptr);
  EXPECT_FALSE(refresh);
  // By three quarters of its TTL (between half and that: RefreshAge) the first caller refreshes
  // the entry; everyone goes on using it meanwhile.
  EXPECT_NE(cache.Peek(name, now + absl::Milliseconds(750), &refresh), nullptr);
  EXPECT_TRUE(refresh);
  EXPECT_NE(cache.Peek(name, now + absl::Milliseconds(800), &refresh), nullptr);
  EXPECT_FALSE(refresh);
  // Expired, it is no answer, whether or not a refresh is under way.
  EXPECT_EQ(cache.Peek(name, now + absl::Seconds(1), &refresh), nullptr);
  EXPECT_FALSE(refresh);
  EventFacts refreshed = MorningInspection();
  refreshed.members.clear();
  cache.FinishRefresh(name, std::make_shared<const EventFacts>(refreshed),
                      now + absl::Milliseconds(750));
  const std::shared_ptr<const EventFacts> after =
      cache.Peek(name, now + absl::Milliseconds(999), &refresh);
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(after->members.empty());
  EXPECT_FALSE(refresh);
}

// Caches MorningInspection at `put` in a cache of a 1-s TTL, then Peeks at three quarters of it
// (due whatever RefreshAge spreads it to): true when that Peek answers the entry and hands its
// refresh to the caller.
bool EntryDueForRefreshHandedOut(EventFactsCache& cache, absl::Time put) {
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), put);
  bool refresh = false;
  const bool answered = cache.Peek(MorningInspection().event_name, put + absl::Milliseconds(750),
                                   &refresh) != nullptr;
  return answered && refresh;
}

TEST(EventFactsCacheTest, AFailedRefreshKeepsTheEntryAndLetsTheNextCallerTryAgain) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  ASSERT_TRUE(EntryDueForRefreshHandedOut(cache, now));
  cache.FinishRefresh(name, absl::UnavailableError("scheduling is down"),
                      now + absl::Milliseconds(750));
  bool refresh = false;
  const std::shared_ptr<const EventFacts> kept =
      cache.Peek(name, now + absl::Milliseconds(800), &refresh);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->members, MorningInspection().members);
  EXPECT_TRUE(refresh);
}

using FactsOr = absl::StatusOr<std::shared_ptr<const EventFacts>>;

// Waits (without a timeout of its own: the test's) until `count` callers wait for a fetch.
void AwaitWaiters(const EventFactsCache& cache, const std::string& name, int count) {
  while (cache.WaitingFor(name) < count) std::this_thread::yield();
}

// The clock GetOrFetch reads, stopped at `time`.
std::function<absl::Time()> At(absl::Time time) {
  return [time] { return time; };
}

// Fetches that count how often any of them ran; a blocking one waits for Release() first.
class Fetches {
 public:
  EventFactsCache::Fetch Answering(FactsOr answer) {
    return [this, answer] {
      ++count_;
      return answer;
    };
  }
  EventFactsCache::Fetch BlockingThenAnswering(FactsOr answer) {
    return [this, answer] {
      ++count_;
      release_.WaitForNotification();
      return answer;
    };
  }
  // Until a fetch has started (it may be blocked).
  void AwaitFirst() const {
    while (count_.load() == 0) std::this_thread::yield();
  }
  void Release() { release_.Notify(); }
  int count() const { return count_.load(); }

 private:
  std::atomic<int> count_ = 0;
  absl::Notification release_;
};

TEST(EventFactsCacheTest, ConcurrentMissesShareOneFetch) {
  EventFactsCache cache(absl::Seconds(10));
  const std::string name = MorningInspection().event_name;
  const absl::Time now = absl::FromUnixSeconds(1000);
  const absl::Time deadline = absl::InfiniteFuture();
  Fetches fetches;
  const EventFactsCache::Fetch fetch =
      fetches.BlockingThenAnswering(std::make_shared<const EventFacts>(MorningInspection()));
  constexpr int kCallers = 8;
  std::vector<std::shared_ptr<const EventFacts>> answers(kCallers);
  std::vector<std::thread> callers;
  callers.emplace_back([&] { answers[0] = *cache.GetOrFetch(name, At(now), deadline, fetch); });
  fetches.AwaitFirst();
  for (int i = 1; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { answers[i] = *cache.GetOrFetch(name, At(now), deadline, fetch); });
  }
  AwaitWaiters(cache, name, kCallers - 1);
  fetches.Release();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(fetches.count(), 1);
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
  Fetches fetches;
  FactsOr first, second;
  std::thread leader([&] {
    first = cache.GetOrFetch(
        name, At(now), absl::InfiniteFuture(),
        fetches.BlockingThenAnswering(absl::NotFoundError("not visible to this caller")));
  });
  fetches.AwaitFirst();
  std::thread waiter([&] {
    second = cache.GetOrFetch(
        name, At(now), absl::InfiniteFuture(),
        fetches.Answering(std::make_shared<const EventFacts>(MorningInspection())));
  });
  AwaitWaiters(cache, name, 1);
  fetches.Release();
  leader.join();
  waiter.join();
  EXPECT_TRUE(absl::IsNotFound(first.status()));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(fetches.count(), 2);
  EXPECT_EQ(cache.Get(name, now), *second);
}

TEST(EventFactsCacheTest, AWaiterPastItsDeadlineFetchesItself) {
  EventFactsCache cache(absl::Seconds(10));
  const std::string name = MorningInspection().event_name;
  const absl::Time now = absl::FromUnixSeconds(1000);
  Fetches fetches;
  std::thread leader([&] {
    (void)cache.GetOrFetch(
        name, At(now), absl::InfiniteFuture(),
        fetches.BlockingThenAnswering(std::make_shared<const EventFacts>(MorningInspection())));
  });
  fetches.AwaitFirst();
  // A deadline already passed: the caller does not wait for the slow fetch.
  const FactsOr own = cache.GetOrFetch(
      name, At(now), absl::InfinitePast(),
      fetches.Answering(absl::UnavailableError("scheduling did not answer within the deadline")));
  EXPECT_TRUE(absl::IsUnavailable(own.status()));
  fetches.Release();
  leader.join();
  EXPECT_EQ(fetches.count(), 2);
}

TEST(EventFactsCacheTest, PastHalfItsLifeOneCallerRefreshesWhileOthersUseTheEntry) {
  EventFactsCache cache(absl::Seconds(1));
  const std::string name = MorningInspection().event_name;
  const absl::Time put = absl::FromUnixSeconds(1000);
  auto old_facts = std::make_shared<const EventFacts>(MorningInspection());
  cache.Put(old_facts, put);
  const absl::Time later = put + absl::Milliseconds(750);
  EventFacts changed = MorningInspection();
  changed.members.pop_back();
  auto new_facts = std::make_shared<const EventFacts>(changed);
  Fetches fetches;
  FactsOr refreshed;
  std::thread refresher([&] {
    refreshed = cache.GetOrFetch(name, At(later), absl::InfiniteFuture(),
                                 fetches.BlockingThenAnswering(new_facts));
  });
  fetches.AwaitFirst();
  // While the refresh is blocked, another caller gets the entry at once, without fetching.
  const FactsOr during =
      cache.GetOrFetch(name, At(later), absl::InfiniteFuture(), fetches.Answering(new_facts));
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(*during, old_facts);
  fetches.Release();
  refresher.join();
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(*refreshed, new_facts);
  EXPECT_EQ(fetches.count(), 1);
  EXPECT_EQ(cache.Get(name, later), new_facts);
}

TEST(EventFactsCacheTest, AFailedRefreshAnswersTheEntryItHad) {
  EventFactsCache cache(absl::Seconds(1));
  const std::string name = MorningInspection().event_name;
  const absl::Time put = absl::FromUnixSeconds(1000);
  auto facts = std::make_shared<const EventFacts>(MorningInspection());
  cache.Put(facts, put);
  Fetches fetches;
  const EventFactsCache::Fetch down =
      fetches.Answering(absl::UnavailableError("scheduling is down"));
  FactsOr answer =
      cache.GetOrFetch(name, At(put + absl::Milliseconds(750)), absl::InfiniteFuture(), down);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, facts);
  // Past the TTL the failure is the answer.
  answer = cache.GetOrFetch(name, At(put + absl::Seconds(1)), absl::InfiniteFuture(), down);
  EXPECT_TRUE(absl::IsUnavailable(answer.status()));
}

TEST(EventFactsCacheTest, OffFetchesEveryTime) {
  EventFactsCache cache(absl::ZeroDuration());
  Fetches fetches;
  const EventFactsCache::Fetch fetch =
      fetches.Answering(std::make_shared<const EventFacts>(MorningInspection()));
  const std::string name = MorningInspection().event_name;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache.GetOrFetch(name, absl::Now, absl::InfiniteFuture(), fetch).ok());
  }
  EXPECT_EQ(fetches.count(), 3);
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

TEST(EventFactsCacheTest, CallersMissingAnEntryWaitForTheRefreshPeekHandedOut) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  ASSERT_TRUE(EntryDueForRefreshHandedOut(cache, now));
  // The entry expires before the refresh ends: a caller missing it waits for that refresh.
  Fetches fetches;
  FactsOr waited;
  std::thread waiter([&] {
    waited = cache.GetOrFetch(name, At(now + absl::Seconds(2)), absl::InfiniteFuture(),
                              fetches.Answering(absl::InternalError("must not fetch")));
  });
  AwaitWaiters(cache, name, 1);
  cache.FinishRefresh(name, std::make_shared<const EventFacts>(MorningInspection()),
                      now + absl::Seconds(2));
  waiter.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ((*waited)->members, MorningInspection().members);
  EXPECT_EQ(fetches.count(), 0);
}

TEST(EventFactsCacheTest, AwaitHandsOutOneReadAndTellsEveryCallerItsOutcome) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  std::vector<std::shared_ptr<const EventFacts>> told;
  const auto tell = [&told](std::shared_ptr<const EventFacts> facts) {
    told.push_back(std::move(facts));
  };
  bool fetch = false;
  cache.Await(name, tell, &fetch);
  EXPECT_TRUE(fetch);
  cache.Await(name, tell, &fetch);
  EXPECT_FALSE(fetch);
  EXPECT_TRUE(told.empty());
  cache.FinishRefresh(name, std::make_shared<const EventFacts>(MorningInspection()), now);
  ASSERT_EQ(told.size(), 2u);
  for (const auto& facts : told) {
    ASSERT_NE(facts, nullptr);
    EXPECT_EQ(facts->members, MorningInspection().members);
  }
  bool refresh = true;
  EXPECT_NE(cache.Peek(name, now, &refresh), nullptr);
  EXPECT_FALSE(refresh);
}

TEST(EventFactsCacheTest, AwaitTellsNullWhenTheReadFailsAndCachesNothing) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  int told = 0;
  bool fetch = false;
  cache.Await(
      name,
      [&told](std::shared_ptr<const EventFacts> facts) {
        EXPECT_EQ(facts, nullptr);
        ++told;
      },
      &fetch);
  ASSERT_TRUE(fetch);
  cache.FinishRefresh(name, absl::NotFoundError("no such event"), now);
  EXPECT_EQ(told, 1);
  bool refresh = false;
  EXPECT_EQ(cache.Peek(name, now, &refresh), nullptr);
  // The next caller reads it again.
  cache.Await(
      name, [](std::shared_ptr<const EventFacts>) {}, &fetch);
  EXPECT_TRUE(fetch);
}

TEST(EventFactsCacheTest, AwaitJoinsAFetchGetOrFetchStarted) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string name = MorningInspection().event_name;
  absl::Notification fetching;
  absl::Notification release;
  std::thread fetcher([&] {
    const FactsOr fetched =
        cache.GetOrFetch(name, At(now), absl::InfiniteFuture(), [&]() -> FactsOr {
          fetching.Notify();
          release.WaitForNotification();
          return std::make_shared<const EventFacts>(MorningInspection());
        });
    EXPECT_TRUE(fetched.ok()) << fetched.status();
  });
  fetching.WaitForNotification();
  std::shared_ptr<const EventFacts> told;
  bool fetch = true;
  cache.Await(
      name, [&told](std::shared_ptr<const EventFacts> facts) { told = std::move(facts); }, &fetch);
  EXPECT_FALSE(fetch);
  release.Notify();
  fetcher.join();
  ASSERT_NE(told, nullptr);
  EXPECT_EQ(told->members, MorningInspection().members);
}

TEST(EventFactsCacheTest, EventsReadTogetherAreNotAllDueForARefreshAtOnce) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  int due = 0;
  constexpr int kEvents = 100;
  for (int i = 0; i < kEvents; ++i) {
    EventFacts facts = MorningInspection();
    facts.event_name = absl::StrCat("organizations/tongguan/events/e", i);
    cache.Put(std::make_shared<const EventFacts>(facts), now);
    bool refresh = false;
    ASSERT_NE(cache.Peek(facts.event_name, now + absl::Milliseconds(625), &refresh), nullptr);
    if (refresh) ++due;
  }
  // Halfway between half and three quarters of the TTL, some are due and some not yet.
  EXPECT_GT(due, 0);
  EXPECT_LT(due, kEvents);
}

}  // namespace
}  // namespace fieldwork::attendance
