// Atomic writes: every op applied in one step, or nothing when a precondition, a type check or a
// fence fails.
#include "common/redis/atomic_write.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "absl/strings/match.h"
#include "common/redis/redis_status.h"
#include "tests/common/redis/redis_test_fixture.h"

namespace fieldwork {
namespace {

using AtomicWriteTest = SharedRedisTest;

TEST_F(AtomicWriteTest, AppliesEveryKindOfOpAndReturnsTheirReplies) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:old", "x"}, Soon()).ok());
  ASSERT_TRUE(client().Execute({"ZADD", "fw:{o}:z", "1", "gone"}, Soon()).ok());
  ASSERT_TRUE(client().Execute({"HSET", "fw:{o}:h", "gone", "1"}, Soon()).ok());
  ASSERT_TRUE(client().Execute({"SADD", "fw:{o}:s", "gone"}, Soon()).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:a", "value a"))
      .Add(WriteOp::SetWithTtl("fw:{o}:b", "value b", absl::Minutes(5)))
      .Add(WriteOp::Del("fw:{o}:old"))
      .Add(WriteOp::ZAdd("fw:{o}:z", 1700000000123.0, "e1"))
      .Add(WriteOp::ZRem("fw:{o}:z", "gone"))
      .Add(WriteOp::HSet("fw:{o}:h", "f", "v"))
      .Add(WriteOp::HDel("fw:{o}:h", "gone"))
      .Add(WriteOp::SAdd("fw:{o}:s", "m1"))
      .Add(WriteOp::SRem("fw:{o}:s", "gone"))
      .Add(WriteOp::XAdd("fw:{o}:feed", 1000, {{"type", "created"}, {"event", "e1"}}))
      .Add(WriteOp::PExpire("fw:{o}:a", absl::Minutes(10)))
      .Add(WriteOp::Incr("fw:{o}:seq"))
      .Add(WriteOp::Incr("fw:{o}:seq"));
  absl::StatusOr<std::vector<RedisReply>> replies = ApplyAtomicWrite(client(), write, Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 13u);
  EXPECT_EQ((*replies)[0], RedisReply::Status("OK"));
  EXPECT_EQ((*replies)[2], RedisReply::Integer(1));
  EXPECT_EQ((*replies)[9].type(), RedisReply::Type::kString);  // the stream entry id
  EXPECT_EQ((*replies)[12], RedisReply::Integer(2));

  EXPECT_EQ(Peek("fw:{o}:a"), "value a");
  EXPECT_EQ(Peek("fw:{o}:b"), "value b");
  EXPECT_FALSE(Exists("fw:{o}:old"));
  EXPECT_EQ(*redis().Command({"ZRANGE", "fw:{o}:z", "0", "-1", "WITHSCORES"}), "e1\n1700000000123");
  EXPECT_EQ(*redis().Command({"HGETALL", "fw:{o}:h"}), "f\nv");
  EXPECT_EQ(*redis().Command({"SMEMBERS", "fw:{o}:s"}), "m1");
  EXPECT_EQ(*redis().Command({"XLEN", "fw:{o}:feed"}), "1");
  EXPECT_EQ(Peek("fw:{o}:seq"), "2");
  const int64_t ttl_a = std::stoll(*redis().Command({"PTTL", "fw:{o}:a"}));
  EXPECT_GT(ttl_a, absl::ToInt64Milliseconds(absl::Minutes(9)));
  const int64_t ttl_b = std::stoll(*redis().Command({"PTTL", "fw:{o}:b"}));
  EXPECT_GT(ttl_b, 0);
  EXPECT_LE(ttl_b, absl::ToInt64Milliseconds(absl::Minutes(5)));
}

TEST_F(AtomicWriteTest, FailedPreconditionWritesNothing) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:event", "version 2"}, Soon()).ok());
  const auto write_expecting = [](const Precondition& precondition) {
    AtomicWrite write;
    write.Expect(precondition)
        .Add(WriteOp::Set("fw:{o}:event", "version 3"))
        .Add(WriteOp::ZAdd("fw:{o}:index", 1, "event"));
    return write;
  };
  for (const Precondition& stale :
       {Precondition::ValueEquals("fw:{o}:event", "version 1"),
        Precondition::Absent("fw:{o}:event"), Precondition::Exists("fw:{o}:other")}) {
    const std::string& key = stale.key();
    const absl::Status status = ApplyAtomicWrite(client(), write_expecting(stale), Soon()).status();
    EXPECT_TRUE(absl::IsAborted(status)) << status;
    EXPECT_TRUE(IsPreconditionFailed(status)) << status;
    EXPECT_EQ(ConflictKey(status), key);
    EXPECT_EQ(status.message(), "precondition failed on " + key);
    EXPECT_EQ(Peek("fw:{o}:event"), "version 2");
    EXPECT_FALSE(Exists("fw:{o}:index"));
  }

  absl::StatusOr<std::vector<RedisReply>> applied = ApplyAtomicWrite(
      client(), write_expecting(Precondition::ValueEquals("fw:{o}:event", "version 2")), Soon());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(Peek("fw:{o}:event"), "version 3");
  EXPECT_TRUE(Exists("fw:{o}:index"));
}

TEST_F(AtomicWriteTest, OpOnAKeyOfTheWrongTypeFailsBeforeAnyWrite) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:string", "x"}, Soon()).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:first", "1")).Add(WriteOp::ZAdd("fw:{o}:string", 1, "m"));
  const absl::Status status = ApplyAtomicWrite(client(), write, Soon()).status();
  EXPECT_TRUE(absl::IsInternal(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "ZADD on fw:{o}:string")) << status;
  EXPECT_FALSE(Exists("fw:{o}:first"));
}

TEST_F(AtomicWriteTest, TypeCheckFollowsEarlierOpsOfTheSameWrite) {
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:k", "text")).Add(WriteOp::HSet("fw:{o}:k", "f", "v"));
  EXPECT_TRUE(absl::IsInternal(ApplyAtomicWrite(client(), write, Soon()).status()));
  EXPECT_FALSE(Exists("fw:{o}:k"));

  AtomicWrite incr_text;
  incr_text.Add(WriteOp::Set("fw:{o}:n", "ten")).Add(WriteOp::Incr("fw:{o}:n"));
  EXPECT_TRUE(absl::IsInternal(ApplyAtomicWrite(client(), incr_text, Soon()).status()));
  EXPECT_FALSE(Exists("fw:{o}:n"));

  AtomicWrite replace;
  replace.Add(WriteOp::Set("fw:{o}:k", "text"))
      .Add(WriteOp::Del("fw:{o}:k"))
      .Add(WriteOp::HSet("fw:{o}:k", "f", "v"));
  ASSERT_TRUE(ApplyAtomicWrite(client(), replace, Soon()).ok());
  EXPECT_EQ(*redis().Command({"HGET", "fw:{o}:k", "f"}), "v");
}

TEST_F(AtomicWriteTest, IncrOfAStoredNonIntegerFailsBeforeAnyWrite) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:n", "1.5"}, Soon()).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:first", "1")).Add(WriteOp::Incr("fw:{o}:n"));
  EXPECT_TRUE(absl::IsInternal(ApplyAtomicWrite(client(), write, Soon()).status()));
  EXPECT_FALSE(Exists("fw:{o}:first"));
  EXPECT_EQ(Peek("fw:{o}:n"), "1.5");
}

TEST_F(AtomicWriteTest, RejectsKeysOfDifferentOrganizations) {
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o1}:a", "1")).Add(WriteOp::Set("fw:{o2}:a", "1"));
  const absl::Status status = ApplyAtomicWrite(client(), write, Soon()).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_FALSE(Exists("fw:{o1}:a"));
}

TEST_F(AtomicWriteTest, RejectsValuesRedisWouldRefuseHalfWay) {
  for (WriteOp bad :
       {WriteOp::ZAdd("fw:{o}:z", std::nan(""), "m"),
        WriteOp::SetWithTtl("fw:{o}:s", "v", absl::ZeroDuration()),
        WriteOp::PExpire("fw:{o}:s", absl::Microseconds(10)), WriteOp::XAdd("fw:{o}:x", 10, {})}) {
    AtomicWrite write;
    write.Add(WriteOp::Set("fw:{o}:first", "1")).Add(bad);
    const absl::Status status = ApplyAtomicWrite(client(), write, Soon()).status();
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << bad.command() << ": " << status;
    EXPECT_FALSE(Exists("fw:{o}:first"));
  }
}

TEST_F(AtomicWriteTest, FenceWithAnotherTokenWritesNothing) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{o}:lock:member:m1", "token-a"}, Soon()).ok());
  AtomicWrite write;
  write.Add(WriteOp::Set("fw:{o}:event", "booked"));
  const LockFence stale{{"fw:{o}:lock:member:m1"}, "token-b"};
  const absl::Status status = ApplyAtomicWrite(client(), write, Soon(), &stale).status();
  EXPECT_TRUE(IsLockLost(status)) << status;
  EXPECT_EQ(status.message(), "lock lost on fw:{o}:lock:member:m1");
  EXPECT_FALSE(Exists("fw:{o}:event"));

  const LockFence held{{"fw:{o}:lock:member:m1"}, "token-a"};
  ASSERT_TRUE(ApplyAtomicWrite(client(), write, Soon(), &held).ok());
  EXPECT_EQ(Peek("fw:{o}:event"), "booked");
}

TEST_F(AtomicWriteTest, EmptyWriteTouchesNothing) {
  absl::StatusOr<std::vector<RedisReply>> replies = ApplyAtomicWrite(client(), {}, Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  EXPECT_TRUE(replies->empty());
}

}  // namespace
}  // namespace fieldwork
