// Stored answers of mutating RPCs: replay, rejection of a reused request_id, the TTL, recording in
// the same atomic step as the mutation, and identical requests racing.
#include "common/redis/idempotency.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/redis/calendar_lock.h"
#include "tests/common/redis/redis_test_fixture.h"

namespace fieldwork {
namespace {

using IdempotencyTest = SharedRedisTest;

const IdempotencyKey kCreate{"o1", "fieldwork.scheduling.v1.SchedulingService/CreateEvent",
                             "req-7"};

TEST(IdempotencyKeyTest, LivesUnderTheOrganizationsHashTag) {
  EXPECT_EQ(IdempotencyStore::RedisKey(kCreate),
            "fw:{o1}:idem:fieldwork.scheduling.v1.SchedulingService/CreateEvent:req-7");
}

TEST(IdempotencyKeyTest, FingerprintIsSha256OfTheRequest) {
  const std::string fingerprint = IdempotencyStore::Fingerprint("abc");
  EXPECT_EQ(fingerprint.size(), 32u);
  EXPECT_EQ(static_cast<unsigned char>(fingerprint[0]), 0xba);  // SHA-256("abc") = ba7816bf…
  EXPECT_EQ(static_cast<unsigned char>(fingerprint[31]), 0xad);
  EXPECT_NE(IdempotencyStore::Fingerprint("abd"), fingerprint);
}

TEST_F(IdempotencyTest, NothingRecordedYetIsNotFound) {
  IdempotencyStore store(&client());
  absl::StatusOr<std::optional<std::string>> found =
      store.Lookup(kCreate, IdempotencyStore::Fingerprint("request"), Soon());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(IdempotencyTest, AnswerRecordedWithTheMutationIsReplayedWithItsTtl) {
  IdempotencyStore store(&client());
  const std::string fingerprint = IdempotencyStore::Fingerprint("create e1");
  const std::string response("event e1\0\xff", 10);
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o1}:event:e1", "e1"));
  ASSERT_TRUE(store.AddRecord(kCreate, fingerprint, response, write).ok());
  ASSERT_TRUE(ApplyAtomicWrite(client(), write, Soon()).ok());

  absl::StatusOr<std::optional<std::string>> replay = store.Lookup(kCreate, fingerprint, Soon());
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE(replay->has_value());
  EXPECT_EQ(**replay, response);
  const int64_t ttl = std::stoll(*redis().Command({"PTTL", IdempotencyStore::RedisKey(kCreate)}));
  EXPECT_GT(ttl, absl::ToInt64Milliseconds(absl::Hours(23)));
  EXPECT_LE(ttl, absl::ToInt64Milliseconds(absl::Hours(24)));
}

TEST_F(IdempotencyTest, SameRequestIdWithADifferentRequestIsRejected) {
  IdempotencyStore store(&client());
  ASSERT_TRUE(
      store.Record(kCreate, IdempotencyStore::Fingerprint("create e1"), "event e1", Soon()).ok());
  const absl::Status reused =
      store.Lookup(kCreate, IdempotencyStore::Fingerprint("create e2"), Soon()).status();
  EXPECT_TRUE(absl::IsInvalidArgument(reused)) << reused;
  EXPECT_EQ(reused.message(), "request_id reused with a different request");

  const absl::Status recorded_again =
      store.Record(kCreate, IdempotencyStore::Fingerprint("create e2"), "event e2", Soon());
  EXPECT_TRUE(absl::IsInvalidArgument(recorded_again)) << recorded_again;
  EXPECT_TRUE(
      store.Record(kCreate, IdempotencyStore::Fingerprint("create e1"), "event e1", Soon()).ok());

  const IdempotencyKey other_org{"o2", kCreate.method, kCreate.request_id};
  absl::StatusOr<std::optional<std::string>> elsewhere =
      store.Lookup(other_org, IdempotencyStore::Fingerprint("create e2"), Soon());
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_FALSE(elsewhere->has_value());
}

TEST_F(IdempotencyTest, FailedMutationRecordsNoAnswer) {
  IdempotencyStore store(&client());
  const std::string fingerprint = IdempotencyStore::Fingerprint("update e1");
  AtomicWrite write;
  write.Expect(Precondition::ValueEquals("fw:{o1}:event:e1", "stale etag"))
      .Add(WriteOp::Set("fw:{o1}:event:e1", "new"));
  ASSERT_TRUE(store.AddRecord(kCreate, fingerprint, "updated", write).ok());
  EXPECT_FALSE(ApplyAtomicWrite(client(), write, Soon()).ok());

  absl::StatusOr<std::optional<std::string>> found = store.Lookup(kCreate, fingerprint, Soon());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
  EXPECT_FALSE(Exists("fw:{o1}:event:e1"));
}

TEST_F(IdempotencyTest, RecordingWorksInsideAFencedWrite) {
  IdempotencyStore store(&client());
  CalendarLocks locks(&client());
  absl::StatusOr<std::unique_ptr<LockSet>> held =
      locks.Acquire({MemberLockKey("o1", "m1")}, Soon());
  ASSERT_TRUE(held.ok()) << held.status();
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o1}:event:e1", "e1"));
  ASSERT_TRUE(store.AddRecord(kCreate, "fp", "created e1", write).ok());
  ASSERT_TRUE((*held)->FencedWrite(write, Soon()).ok());
  EXPECT_EQ(store.Lookup(kCreate, "fp", Soon())->value_or(""), "created e1");
}

TEST_F(IdempotencyTest, LoserOfARaceWritesNothingAndReplaysTheWinnersAnswer) {
  IdempotencyStore store(&client());
  const std::string fingerprint = IdempotencyStore::Fingerprint("create e1");
  // Both requests looked and found nothing, then both did the work.
  AtomicWrite winner;
  winner.Add(WriteOp::Incr("fw:{o1}:events_created"));
  ASSERT_TRUE(store.AddRecord(kCreate, fingerprint, "answer of the winner", winner).ok());
  AtomicWrite loser;
  loser.Add(WriteOp::Incr("fw:{o1}:events_created"));
  ASSERT_TRUE(store.AddRecord(kCreate, fingerprint, "answer of the loser", loser).ok());

  ASSERT_TRUE(ApplyAtomicWrite(client(), winner, Soon()).ok());
  const absl::Status lost = ApplyAtomicWrite(client(), loser, Soon()).status();
  EXPECT_TRUE(IdempotencyStore::IsRecordConflict(lost, kCreate)) << lost;
  EXPECT_FALSE(IdempotencyStore::IsRecordConflict(lost, {"o1", kCreate.method, "other"}));
  EXPECT_EQ(Peek("fw:{o1}:events_created"), "1");
  EXPECT_EQ(store.Lookup(kCreate, fingerprint, Soon())->value_or(""), "answer of the winner");
}

// Identical requests racing: each does the work and tries to commit its mutation (an INCR) with
// its answer; exactly one commits, the others replay the winner's answer.
TEST_F(IdempotencyTest, IdenticalRequestsRacingHaveExactlyOneEffect) {
  constexpr int kRequests = 8;
  IdempotencyStore store(&client());
  const std::string fingerprint = IdempotencyStore::Fingerprint("create e1");
  std::vector<std::string> answers(kRequests);
  absl::Notification go;
  std::vector<std::thread> requests;
  for (int r = 0; r < kRequests; ++r) {
    requests.emplace_back([&, r] {
      go.WaitForNotification();
      const auto replay = [&] {
        absl::StatusOr<std::optional<std::string>> found =
            store.Lookup(kCreate, fingerprint, Soon());
        if (!found.ok()) return found.status().ToString();
        return found->value_or("nothing recorded");
      };
      absl::StatusOr<std::optional<std::string>> found = store.Lookup(kCreate, fingerprint, Soon());
      if (!found.ok() || found->has_value()) {
        answers[r] = replay();
        return;
      }
      AtomicWrite write;
      write.Add(WriteOp::Incr("fw:{o1}:events_created"));
      const std::string answer = absl::StrCat("created by request ", r);
      if (!store.AddRecord(kCreate, fingerprint, answer, write).ok()) return;
      const absl::Status committed = ApplyAtomicWrite(client(), write, Soon()).status();
      if (committed.ok()) {
        answers[r] = answer;
      } else if (IdempotencyStore::IsRecordConflict(committed, kCreate)) {
        answers[r] = replay();
      } else {
        answers[r] = committed.ToString();
      }
    });
  }
  go.Notify();
  for (std::thread& request : requests) request.join();

  EXPECT_EQ(Peek("fw:{o1}:events_created"), "1");
  const std::string winner = Peek(IdempotencyStore::RedisKey(kCreate)).empty()
                                 ? ""
                                 : store.Lookup(kCreate, fingerprint, Soon())->value_or("");
  EXPECT_TRUE(absl::StartsWith(winner, "created by request ")) << winner;
  for (int r = 0; r < kRequests; ++r) EXPECT_EQ(answers[r], winner) << "request " << r;
}

TEST_F(IdempotencyTest, RejectsIncompleteKeysAndBracesInTheOrganization) {
  IdempotencyStore store(&client());
  AtomicWrite write;
  EXPECT_TRUE(
      absl::IsInvalidArgument(store.AddRecord({"o1", kCreate.method, ""}, "fp", "answer", write)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(store.Lookup({"o}{x", kCreate.method, "r"}, "fp", Soon()).status()));
  EXPECT_TRUE(write.ops.empty());
}

}  // namespace
}  // namespace fieldwork
