// Tests of reading keys, write-ness and the cluster slot of Redis commands and batches.
#include "common/redis/command_keys.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/redis/hash_tag.h"

namespace fieldwork {
namespace {

using Keys = std::vector<std::string>;

TEST(CommandKeysTest, FindsTheKeysOfTheCommandsFieldworkSends) {
  EXPECT_EQ(CommandKeys({"GET", "k"}), Keys{"k"});
  EXPECT_EQ(CommandKeys({"set", "k", "v", "PX", "10"}), Keys{"k"});
  EXPECT_EQ(CommandKeys({"MGET", "a", "b"}), (Keys{"a", "b"}));
  EXPECT_EQ(CommandKeys({"EXISTS", "a", "b"}), (Keys{"a", "b"}));
  EXPECT_EQ(CommandKeys({"MSET", "a", "1", "b", "2"}), (Keys{"a", "b"}));
  EXPECT_EQ(CommandKeys({"EVALSHA", "sha", "2", "k1", "k2", "arg"}), (Keys{"k1", "k2"}));
  EXPECT_EQ(CommandKeys({"EVAL", "return 1", "0", "arg"}), Keys{});
  EXPECT_EQ(CommandKeys({"XREAD", "COUNT", "10", "BLOCK", "5000", "STREAMS", "s", "$"}), Keys{"s"});
  EXPECT_EQ(CommandKeys({"XREAD", "STREAMS", "s1", "s2", "0", "0"}), (Keys{"s1", "s2"}));
  EXPECT_EQ(CommandKeys({"XINFO", "STREAM", "s"}), Keys{"s"});
  EXPECT_EQ(CommandKeys({"ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"}),
            (Keys{"d", "a", "b"}));
}

TEST(CommandKeysTest, KeylessCommandsHaveNoKeys) {
  for (const RedisCommand& command : std::vector<RedisCommand>{{"PING"},
                                                               {"SCRIPT", "LOAD", "return 1"},
                                                               {"WAIT", "1", "100"},
                                                               {"TIME"},
                                                               {"ROLE"},
                                                               {"CLUSTER", "SLOTS"},
                                                               {"ASKING"}}) {
    EXPECT_TRUE(CommandKeys(command).empty()) << command.front();
  }
}

TEST(CommandMayWriteTest, OnlyKnownReadsAreReadOnly) {
  EXPECT_FALSE(CommandMayWrite({"GET", "k"}));
  EXPECT_FALSE(CommandMayWrite({"zrangebyscore", "k", "0", "1"}));
  EXPECT_FALSE(CommandMayWrite({"XREAD", "STREAMS", "s", "$"}));
  EXPECT_FALSE(CommandMayWrite({"ASKING"}));
  EXPECT_TRUE(CommandMayWrite({"SET", "k", "v"}));
  EXPECT_TRUE(CommandMayWrite({"EVALSHA", "sha", "1", "k"}));
  EXPECT_TRUE(CommandMayWrite({"SOMENEWCOMMAND", "k"}));
}

TEST(BatchSlotTest, IsTheSlotOfTheSharedHashTag) {
  absl::StatusOr<int> slot =
      BatchSlot({{"GET", "fw:{org7}:event:1"}, {"ZADD", "fw:{org7}:index", "1", "m"}, {"PING"}});
  ASSERT_TRUE(slot.ok()) << slot.status();
  EXPECT_EQ(*slot, KeySlot("org7"));
  slot = BatchSlot({{"PING"}, {"SCRIPT", "LOAD", "return 1"}});
  ASSERT_TRUE(slot.ok()) << slot.status();
  EXPECT_EQ(*slot, -1);
}

TEST(BatchSlotTest, RefusesKeysInDifferentSlotsNamingThem) {
  const absl::Status status =
      BatchSlot({{"GET", "fw:{org1}:a"}, {"EVALSHA", "sha", "1", "fw:{org2}:b"}}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "fw:{org1}:a")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "fw:{org2}:b")) << status;
}

TEST(IsBroadcastCommandTest, ScriptLoadAndFlushGoEverywhere) {
  EXPECT_TRUE(IsBroadcastCommand({"SCRIPT", "LOAD", "return 1"}));
  EXPECT_TRUE(IsBroadcastCommand({"script", "flush"}));
  EXPECT_TRUE(IsBroadcastCommand({"FLUSHALL"}));
  EXPECT_FALSE(IsBroadcastCommand({"SCRIPT", "EXISTS", "sha"}));
  EXPECT_FALSE(IsBroadcastCommand({"PING"}));
}

}  // namespace
}  // namespace fieldwork
