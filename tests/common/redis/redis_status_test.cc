// Error replies and script business errors mapped to statuses, and the owned reply value.
#include "common/redis/redis_status.h"

#include <gtest/gtest.h>

#include "common/redis/hash_tag.h"
#include "common/redis/redis_reply.h"

namespace fieldwork {
namespace {

TEST(StatusFromErrorReplyTest, MapsScriptConflictsToAbortedWithTheirKey) {
  const absl::Status busy = StatusFromErrorReply("FW_BUSY fw:{o1}:lock:member:m1");
  EXPECT_TRUE(absl::IsAborted(busy));
  EXPECT_TRUE(IsCalendarBusy(busy));
  EXPECT_FALSE(IsLockLost(busy));
  EXPECT_EQ(busy.message(), "calendar busy: fw:{o1}:lock:member:m1");
  EXPECT_EQ(ConflictKey(busy), "fw:{o1}:lock:member:m1");

  const absl::Status lost = StatusFromErrorReply("FW_LOCK_LOST fw:{o1}:lock:venue:v1");
  EXPECT_TRUE(IsLockLost(lost));
  EXPECT_EQ(lost.message(), "lock lost on fw:{o1}:lock:venue:v1");

  const absl::Status precondition = StatusFromErrorReply("FW_PRECONDITION fw:{o1}:event:e1");
  EXPECT_TRUE(IsPreconditionFailed(precondition));
  EXPECT_FALSE(IsCalendarBusy(precondition));
  EXPECT_EQ(precondition.message(), "precondition failed on fw:{o1}:event:e1");
  EXPECT_EQ(ConflictKey(precondition), "fw:{o1}:event:e1");
}

TEST(StatusFromErrorReplyTest, MapsRedisErrorsByWhetherRetryingCanHelp) {
  EXPECT_TRUE(absl::IsUnavailable(StatusFromErrorReply("LOADING Redis is loading the dataset")));
  EXPECT_TRUE(absl::IsUnavailable(StatusFromErrorReply("READONLY You can't write to a replica")));
  EXPECT_TRUE(absl::IsUnavailable(StatusFromErrorReply("MISCONF Redis cannot persist")));
  EXPECT_TRUE(absl::IsUnavailable(StatusFromErrorReply("OOM command not allowed")));
  const absl::Status wrong_type =
      StatusFromErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_TRUE(absl::IsInternal(wrong_type));
  EXPECT_NE(wrong_type.message().find("WRONGTYPE"), absl::string_view::npos);
  EXPECT_TRUE(absl::IsInternal(StatusFromErrorReply("FW_WRONG_TYPE ZADD on k holding a string")));
}

TEST(StatusFromErrorReplyTest, PlainStatusesAreNotConflicts) {
  EXPECT_FALSE(IsLockLost(absl::AbortedError("lock lost on fw:{o}:x")));
  EXPECT_FALSE(IsPreconditionFailed(absl::OkStatus()));
  EXPECT_EQ(ConflictKey(absl::InternalError("x")), "");
}

TEST(HashTagTest, FollowsRedisClusterRules) {
  EXPECT_EQ(HashTag("fw:{org7}:lock:member:m1"), "org7");
  EXPECT_EQ(HashTag("plain"), "plain");
  EXPECT_EQ(HashTag("a{}b{c}"), "a{}b{c}");
  EXPECT_EQ(HashTag("a{b}{c}"), "b");
  EXPECT_TRUE(CheckOneHashTag({"fw:{o}:a", "fw:{o}:b"}).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOneHashTag({"fw:{o}:a", "fw:{p}:a"})));
}

TEST(RedisReplyTest, ComparesAndPrintsNestedValues) {
  const RedisReply reply =
      RedisReply::Array({RedisReply::Status("OK"), RedisReply::Integer(3), RedisReply::Nil(),
                         RedisReply::String(std::string("a\0b", 3)), RedisReply::Error("ERR x")});
  EXPECT_EQ(reply.DebugString(), R"([OK, 3, nil, "a\x00\x62", (error) ERR x])");
  EXPECT_EQ(reply, reply);
  EXPECT_NE(RedisReply::String("1"), RedisReply::Integer(1));
  EXPECT_EQ(reply.elements()[3].str().size(), 3u);
}

}  // namespace
}  // namespace fieldwork
