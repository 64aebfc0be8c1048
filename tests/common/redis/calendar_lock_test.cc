// Calendar locks: all-or-nothing acquisition in sorted order, bounded waiting, mutual exclusion
// without deadlock, renewal, and fenced writes that a lost lock can never get through.
#include "common/redis/calendar_lock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/redis_status.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using CalendarLockTest = SharedRedisTest;

// How many times Redis answered FW_BUSY since the last CONFIG RESETSTAT.
int BusyRefusals(testing::RedisServer& redis) {
  const std::string field = "errorstat_FW_BUSY:count=";
  absl::StatusOr<std::string> info = redis.Command({"INFO", "errorstats"});
  if (!info.ok()) return -1;
  const size_t at = info->find(field);
  if (at == std::string::npos) return 0;
  const size_t begin = at + field.size();
  int count = 0;
  return absl::SimpleAtoi(info->substr(begin, info->find_first_of("\r\n", begin) - begin), &count)
             ? count
             : -1;
}

// Short enough that tests see locks expire, long enough that a renewer slowed down by a busy
// machine still renews in time (every 200ms).
constexpr absl::Duration kShortTtl = absl::Milliseconds(600);

// A backoff far longer than any test: a waiter's pause ends only when a release in this process
// wakes it.
LockOptions WokenOnlyByARelease() {
  LockOptions options;
  options.min_backoff = absl::Seconds(60);
  options.max_backoff = absl::Seconds(60);
  return options;
}

LockOptions ShortTtl(bool renew) {
  LockOptions options;
  options.ttl = kShortTtl;
  options.renew = renew;
  return options;
}

// Takes m1 of organization o through `locks`, then zeroes Redis's statistics (BusyRefusals).
absl::StatusOr<std::unique_ptr<LockSet>> HoldM1AndResetStats(CalendarLocks& locks,
                                                             testing::RedisServer& redis) {
  absl::StatusOr<std::unique_ptr<LockSet>> held = locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  if (held.ok()) {
    if (absl::StatusOr<std::string> reset = redis.Command({"CONFIG", "RESETSTAT"}); !reset.ok()) {
      return reset.status();
    }
  }
  return held;
}

TEST_F(CalendarLockTest, TakesEveryKeySortedWithOneTokenAndTheTtl) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m2"), VenueLockKey("o", "v1"), MemberLockKey("o", "m1"),
                     MemberLockKey("o", "m2")},
                    Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ((*held)->keys(),
            (std::vector<std::string>{"fw:{o}:lock:member:m1", "fw:{o}:lock:member:m2",
                                      "fw:{o}:lock:venue:v1"}));
  const std::string& token = (*held)->token();
  EXPECT_EQ(token.size(), 32u);
  EXPECT_TRUE(std::all_of(token.begin(), token.end(), absl::ascii_isxdigit));
  for (const std::string& key : (*held)->keys()) {
    EXPECT_EQ(Peek(key), token);
    const int64_t ttl = std::stoll(*redis().Command({"PTTL", key}));
    EXPECT_GT(ttl, 0);
    EXPECT_LE(ttl, 10000);
  }
}

TEST_F(CalendarLockTest, BusyKeyFailsWithCalendarBusyAtTheWaitDeadlineHoldingNothing) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> first =
      locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(first.ok()) << first.status();

  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<LockSet>> second = locks.Acquire(
      {MemberLockKey("o", "m0"), MemberLockKey("o", "m1")}, start + absl::Milliseconds(200));
  const absl::Duration took = absl::Now() - start;
  EXPECT_TRUE(absl::IsAborted(second.status())) << second.status();
  EXPECT_TRUE(IsCalendarBusy(second.status())) << second.status();
  EXPECT_EQ(second.status().message(), "calendar busy: fw:{o}:lock:member:m1");
  EXPECT_GE(took, absl::Milliseconds(200));
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_FALSE(Exists(MemberLockKey("o", "m0")));
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*first)->token());
  EXPECT_TRUE(absl::StrContains(Metrics::Global().RenderPrometheus(),
                                "fieldwork_lock_acquire_failures_total{reason=\"busy\"}"));
}

TEST_F(CalendarLockTest, WaiterGetsTheLocksOnceTheHolderReleases) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> first =
      locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(redis().Command({"CONFIG", "RESETSTAT"}).ok());
  absl::StatusOr<std::unique_ptr<LockSet>> second;
  std::thread waiter([&] { second = locks.Acquire({MemberLockKey("o", "m1")}, Soon()); });
  // Redis counts the script's FW_BUSY refusals: the waiter retried while the key was taken.
  const absl::Status retried =
      testing::WaitFor([&] { return BusyRefusals(redis()) >= 2; }, absl::Seconds(10),
                       "the waiter to be refused twice");
  ASSERT_TRUE((*first)->Release(Soon()).ok());
  waiter.join();
  ASSERT_TRUE(retried.ok()) << retried;
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*second)->token());
}

TEST_F(CalendarLockTest, ReleaseDeletesOnlyKeysStillHoldingItsToken) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m1"), MemberLockKey("o", "m2")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  // m2 expired and someone else took it.
  ASSERT_TRUE(redis().Command({"SET", MemberLockKey("o", "m2"), "someone else"}).ok());
  ASSERT_TRUE((*held)->Release(Soon()).ok());
  EXPECT_FALSE(Exists(MemberLockKey("o", "m1")));
  EXPECT_EQ(Peek(MemberLockKey("o", "m2")), "someone else");
  EXPECT_TRUE((*held)->Release(Soon()).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event", "x"));
  EXPECT_TRUE(absl::IsFailedPrecondition((*held)->FencedWrite(write, Soon()).status()));
}

TEST_F(CalendarLockTest, DroppingTheLockSetReleasesIt) {
  CalendarLocks locks(&client());
  {
    absl::StatusOr<std::unique_ptr<LockSet>> held =
        locks.Acquire({VenueLockKey("o", "v1")}, Soon());
    ASSERT_TRUE(held.ok()) << held.status();
    EXPECT_TRUE(Exists(VenueLockKey("o", "v1")));
  }
  EXPECT_FALSE(Exists(VenueLockKey("o", "v1")));
}

TEST_F(CalendarLockTest, OverlappingSetsTakenConcurrentlyNeverDeadlockAndExcludeEachOther) {
  constexpr int kThreads = 6;
  constexpr int kRoundsPerThread = 20;
  constexpr int kMembers = 5;
  CalendarLocks locks(&client());
  std::vector<std::atomic<int>> inside(kMembers);
  std::atomic<int> overlaps{0};
  std::vector<std::vector<int>> taken_by_thread(kThreads, std::vector<int>(kMembers, 0));
  std::vector<std::string> failures(kThreads);
  const auto counter_key = [](int member) { return absl::StrCat("fw:{o}:count:m", member); };

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int round = 0; round < kRoundsPerThread && failures[t].empty(); ++round) {
        std::vector<int> members(kMembers);
        for (int m = 0; m < kMembers; ++m) members[m] = m;
        std::shuffle(members.begin(), members.end(), random);
        members.resize(2 + random() % 3);  // 2 to 4 members, in a random order
        std::vector<std::string> keys;
        for (int m : members) keys.push_back(MemberLockKey("o", absl::StrCat("m", m)));

        absl::StatusOr<std::unique_ptr<LockSet>> held = locks.Acquire(keys, In(absl::Seconds(60)));
        if (!held.ok()) {
          failures[t] = held.status().ToString();
          break;
        }
        for (int m : members) {
          if (inside[m].fetch_add(1) != 0) ++overlaps;
        }
        AtomicWrite write;
        for (int m : members) {
          absl::StatusOr<RedisReply> count = client().Execute({"GET", counter_key(m)}, Soon());
          const int64_t value = count.ok() && !count->is_nil() ? std::stoll(count->str()) : 0;
          write.Add(WriteOp::Set(counter_key(m), absl::StrCat(value + 1)));
          ++taken_by_thread[t][m];
        }
        if (absl::Status written = (*held)->FencedWrite(write, Soon()).status(); !written.ok()) {
          failures[t] = written.ToString();
        }
        for (int m : members) inside[m].fetch_sub(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
  EXPECT_EQ(overlaps.load(), 0);
  for (int m = 0; m < kMembers; ++m) {
    int expected = 0;
    for (int t = 0; t < kThreads; ++t) expected += taken_by_thread[t][m];
    EXPECT_EQ(Peek(counter_key(m)), absl::StrCat(expected)) << "member " << m;
  }
}

TEST_F(CalendarLockTest, ExpiredLockCanNeverBeWrittenThrough) {
  CalendarLocks stalled_locks(&client(),
                              ShortTtl(/*renew=*/false));  // a paused holder renews nothing
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> stalled =
      stalled_locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  ASSERT_TRUE(testing::WaitFor([&] { return !Exists(MemberLockKey("o", "m1")); }, absl::Seconds(10),
                               "the lock to expire")
                  .ok());

  absl::StatusOr<std::unique_ptr<LockSet>> next = locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(next.ok()) << next.status();

  AtomicWrite stale_write;
  stale_write.Add(WriteOp::Set("fw:{o}:event:e1", "booked by the stalled holder"))
      .Add(WriteOp::ZAdd("fw:{o}:bookings:m1", 1, "e1"));
  const absl::Status stale = (*stalled)->FencedWrite(stale_write, Soon()).status();
  EXPECT_TRUE(absl::IsAborted(stale)) << stale;
  EXPECT_TRUE(IsLockLost(stale)) << stale;
  EXPECT_EQ(stale.message(), "lock lost on fw:{o}:lock:member:m1");
  EXPECT_TRUE((*stalled)->lost());
  EXPECT_FALSE(Exists("fw:{o}:event:e1"));
  EXPECT_FALSE(Exists("fw:{o}:bookings:m1"));

  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "booked by the current holder"));
  ASSERT_TRUE((*next)->FencedWrite(write, Soon()).ok());
  EXPECT_EQ(Peek("fw:{o}:event:e1"), "booked by the current holder");
  // The stalled holder's release leaves the current holder's lock alone.
  ASSERT_TRUE((*stalled)->Release(Soon()).ok());
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*next)->token());
  EXPECT_TRUE(absl::StrContains(Metrics::Global().RenderPrometheus(),
                                "fieldwork_lock_lost_total{reason=\"fenced_write\"}"));
}

TEST_F(CalendarLockTest, RenewalKeepsLocksPastTheirTtlWhileWorkGoesOn) {
  CalendarLocks locks(&client(), ShortTtl(/*renew=*/true));
  const absl::Time acquired = absl::Now();
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m1"), VenueLockKey("o", "v1")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  // Four renewals at a third of the TTL each take longer than the TTL.
  ASSERT_TRUE(
      testing::WaitFor([&] { return (*held)->renewals() >= 4; }, absl::Seconds(10), "four renewals")
          .ok());
  EXPECT_GT(absl::Now() - acquired, kShortTtl);
  EXPECT_FALSE((*held)->lost());
  for (const std::string& key : (*held)->keys()) EXPECT_EQ(Peek(key), (*held)->token());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "booked"));
  ASSERT_TRUE((*held)->FencedWrite(write, Soon()).ok());
  EXPECT_EQ(Peek("fw:{o}:event:e1"), "booked");
}

TEST_F(CalendarLockTest, LostRenewalMarksTheSetLostAndFailsTheNextWriteLoudly) {
  CalendarLocks locks(&client(), ShortTtl(/*renew=*/true));
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m1"), MemberLockKey("o", "m2")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_TRUE(redis().Command({"DEL", MemberLockKey("o", "m2")}).ok());
  ASSERT_TRUE(
      testing::WaitFor([&] { return (*held)->lost(); }, absl::Seconds(10), "the loss").ok());

  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "booked"));
  const absl::Status status = (*held)->FencedWrite(write, Soon()).status();
  EXPECT_TRUE(IsLockLost(status)) << status;
  EXPECT_EQ(status.message(), "lock lost on fw:{o}:lock:member:m2");
  EXPECT_FALSE(Exists("fw:{o}:event:e1"));
  EXPECT_TRUE(absl::StrContains(Metrics::Global().RenderPrometheus(),
                                "fieldwork_lock_lost_total{reason=\"expired\"}"));
}

TEST_F(CalendarLockTest, FencedWriteChecksPreconditionsWithoutLosingTheLock) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held = locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:event:e1", "etag 7"}, Soon()).ok());

  AtomicWrite stale;
  stale.Expect(Precondition::ValueEquals("fw:{o}:event:e1", "etag 6"))
      .Add(WriteOp::Set("fw:{o}:event:e1", "etag 8"));
  const absl::Status status = (*held)->FencedWrite(stale, Soon()).status();
  EXPECT_TRUE(IsPreconditionFailed(status)) << status;
  EXPECT_EQ(Peek("fw:{o}:event:e1"), "etag 7");
  EXPECT_FALSE((*held)->lost());

  AtomicWrite fresh;
  fresh.Expect(Precondition::ValueEquals("fw:{o}:event:e1", "etag 7"))
      .Add(WriteOp::Set("fw:{o}:event:e1", "etag 8"));
  ASSERT_TRUE((*held)->FencedWrite(fresh, Soon()).ok());
  EXPECT_EQ(Peek("fw:{o}:event:e1"), "etag 8");
}

TEST_F(CalendarLockTest, AcquireThenReadReadsOnlyOnceTheLocksAreTaken) {
  CalendarLocks locks(&client());
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:cal", "before"}, Soon()).ok());
  absl::StatusOr<std::unique_ptr<LockSet>> first =
      locks.Acquire({MemberLockKey("o", "m1")}, Soon());
  ASSERT_TRUE(first.ok()) << first.status();

  // The waiter's reads go with each attempt; the ones it gets are those of the attempt that
  // took the locks, after the first holder's write.
  std::vector<RedisReply> replies;
  absl::StatusOr<std::unique_ptr<LockSet>> second;
  ASSERT_TRUE(redis().Command({"CONFIG", "RESETSTAT"}).ok());
  std::thread waiter([&] {
    second = locks.AcquireThenRead({MemberLockKey("o", "m1")}, Soon(),
                                   {{"GET", "fw:{o}:cal"}, {"EXISTS", MemberLockKey("o", "m1")}},
                                   &replies);
  });
  const absl::Status retried = testing::WaitFor([&] { return BusyRefusals(redis()) >= 1; },
                                                absl::Seconds(10), "the waiter to be refused once");
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:cal", "after"));
  const absl::Status written = (*first)->FencedWriteAndRelease(write, Soon()).status();
  waiter.join();
  ASSERT_TRUE(retried.ok()) << retried;
  ASSERT_TRUE(written.ok()) << written;
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0], RedisReply::String("after"));
  EXPECT_EQ(replies[1], RedisReply::Integer(1));
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*second)->token());
}

TEST_F(CalendarLockTest, TryAcquireThenReadTakesFreeKeysOrNothingAndReadsEitherWay) {
  CalendarLocks locks(&client());
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:roster", "r"}, Soon()).ok());
  std::vector<RedisReply> replies;
  absl::StatusOr<std::unique_ptr<LockSet>> taken =
      locks.TryAcquireThenRead({MemberLockKey("o", "m2"), MemberLockKey("o", "m1")},
                               {{"GET", "fw:{o}:roster"}}, &replies, Soon());
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_NE(*taken, nullptr);
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*taken)->token());
  EXPECT_EQ(Peek(MemberLockKey("o", "m2")), (*taken)->token());
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], RedisReply::String("r"));

  // m2 is taken: nothing of the second set is held (m3 stays free), and the read still answers.
  replies.clear();
  absl::StatusOr<std::unique_ptr<LockSet>> busy =
      locks.TryAcquireThenRead({MemberLockKey("o", "m3"), MemberLockKey("o", "m2")},
                               {{"GET", "fw:{o}:roster"}}, &replies, Soon());
  ASSERT_TRUE(busy.ok()) << busy.status();
  EXPECT_EQ(*busy, nullptr);
  EXPECT_EQ(Peek(MemberLockKey("o", "m3")), "");
  EXPECT_EQ(Peek(MemberLockKey("o", "m2")), (*taken)->token());
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], RedisReply::String("r"));
}

TEST_F(CalendarLockTest, AcquireAfterFindingBusyWaitsBeforeItsFirstTry) {
  CalendarLocks locks(&client(), WokenOnlyByARelease());
  absl::StatusOr<std::unique_ptr<LockSet>> first = HoldM1AndResetStats(locks, redis());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<LockSet>> second;
  std::thread waiter([&] {
    second = locks.AcquireThenRead({MemberLockKey("o", "m1")}, Soon(), {}, nullptr,
                                   /*found_busy=*/true);
  });
  // It waits for the release here without trying first, so Redis never refuses it.
  const absl::Status waiting =
      testing::WaitFor([&] { return locks.WaitingFor(MemberLockKey("o", "m1")) == 1; },
                       absl::Seconds(10), "the caller to wait for m1");
  const absl::Status released = (*first)->Release(Soon());
  waiter.join();
  ASSERT_TRUE(waiting.ok()) << waiting;
  ASSERT_TRUE(released.ok()) << released;
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*second)->token());
  EXPECT_EQ(BusyRefusals(redis()), 0);
}

TEST_F(CalendarLockTest, AReleaseHereWakesAWaiterHereBeforeItsBackoffEnds) {
  // Without the wake-up, the waiter's first pause would outlast its wait deadline and it would
  // give up busy.
  CalendarLocks locks(&client(), WokenOnlyByARelease());
  absl::StatusOr<std::unique_ptr<LockSet>> first = HoldM1AndResetStats(locks, redis());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<LockSet>> second;
  std::thread waiter([&] {
    second = locks.Acquire({MemberLockKey("o", "m1"), MemberLockKey("o", "m2")}, Soon());
  });
  const absl::Status refused =
      testing::WaitFor([&] { return locks.WaitingFor(MemberLockKey("o", "m1")) == 1; },
                       absl::Seconds(10), "the waiter to be refused and queued");
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "v1"));
  const absl::Status written = (*first)->FencedWriteAndRelease(write, Soon()).status();
  waiter.join();
  ASSERT_TRUE(refused.ok()) << refused;
  ASSERT_TRUE(written.ok()) << written;
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*second)->token());
  EXPECT_EQ(BusyRefusals(redis()), 1);
}

TEST_F(CalendarLockTest, FencedWriteAndReleaseWritesAndReleasesInOneStep) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m1"), MemberLockKey("o", "m2")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "v1")).Add(WriteOp::Incr("fw:{o}:counter"));
  absl::StatusOr<std::vector<RedisReply>> replies = (*held)->FencedWriteAndRelease(write, Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 2u);  // the write's own replies, not the release's
  EXPECT_EQ((*replies)[1], RedisReply::Integer(1));
  EXPECT_EQ(Peek("fw:{o}:event:e1"), "v1");
  EXPECT_FALSE(Exists(MemberLockKey("o", "m1")));
  EXPECT_FALSE(Exists(MemberLockKey("o", "m2")));
  EXPECT_FALSE((*held)->lost());
  // Released: a later write is refused, and releasing again is a no-op.
  EXPECT_TRUE(absl::IsFailedPrecondition((*held)->FencedWrite(write, Soon()).status()));
  EXPECT_TRUE((*held)->Release(Soon()).ok());
}

TEST_F(CalendarLockTest, FencedWriteAndReleaseThroughALostLockWritesAndReleasesNothing) {
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o", "m1"), MemberLockKey("o", "m2")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  // m2 expired and someone else took it.
  ASSERT_TRUE(redis().Command({"SET", MemberLockKey("o", "m2"), "someone else"}).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event:e1", "v1"));
  const absl::Status status = (*held)->FencedWriteAndRelease(write, Soon()).status();
  EXPECT_TRUE(IsLockLost(status)) << status;
  EXPECT_FALSE(Exists("fw:{o}:event:e1"));
  EXPECT_EQ(Peek(MemberLockKey("o", "m1")), (*held)->token());
  EXPECT_EQ(Peek(MemberLockKey("o", "m2")), "someone else");
}

TEST_F(CalendarLockTest, RejectsKeysOfDifferentOrganizationsAndEmptySets) {
  CalendarLocks locks(&client());
  EXPECT_TRUE(absl::IsInvalidArgument(
      locks.Acquire({MemberLockKey("o1", "m1"), MemberLockKey("o2", "m1")}, Soon()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(locks.Acquire({}, Soon()).status()));
  EXPECT_FALSE(Exists(MemberLockKey("o1", "m1")));
}

TEST_F(CalendarLockTest, RedisDownFailsAcquireQuickly) {
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> nowhere =
      ClientFor(absl::StrCat("redis://127.0.0.1:", testing::PickFreePort()));
  ASSERT_TRUE(nowhere.ok());
  CalendarLocks locks(nowhere->get());
  const absl::Time start = absl::Now();
  const absl::Status status =
      locks.Acquire({MemberLockKey("o", "m1")}, start + absl::Seconds(1)).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

}  // namespace
}  // namespace fieldwork
