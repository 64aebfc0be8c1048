// Tests of key slots, CLUSTER SLOTS parsing and MOVED / ASK parsing.
#include "common/redis/cluster_slot_map.h"

#include <gtest/gtest.h>

#include "common/redis/hash_tag.h"

namespace fieldwork {
namespace {

RedisReply Range(int start, int end, const std::string& host, int port) {
  return RedisReply::Array(
      {RedisReply::Integer(start), RedisReply::Integer(end),
       RedisReply::Array(
           {RedisReply::String(host), RedisReply::Integer(port), RedisReply::String("id")}),
       RedisReply::Array({RedisReply::String(host), RedisReply::Integer(port + 100),
                          RedisReply::String("replica-id")})});
}

TEST(KeySlotTest, MatchesClusterKeyslot) {
  // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
  EXPECT_EQ(KeySlot("123456789"), 12739);
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));  // the spec's example
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));      // an empty first tag hashes the whole key
  EXPECT_EQ(KeySlot("fw:{org7}:lock:member:m1"), KeySlot("fw:{org7}:event:e1"));
}

TEST(ClusterSlotMapTest, MapsEverySlotToItsMaster) {
  absl::StatusOr<ClusterSlotMap> map = ClusterSlotMap::FromClusterSlots(
      RedisReply::Array({Range(0, 5460, "10.0.0.1", 7000), Range(5461, 10922, "10.0.0.2", 7001),
                         Range(10923, 16383, "", 7002)}),
      "10.0.0.9");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_TRUE(map->covers_all_slots());
  ASSERT_EQ(map->masters().size(), 3u);
  EXPECT_EQ(map->MasterOf(0)->ToString(), "10.0.0.1:7000");
  EXPECT_EQ(map->MasterOf(5461)->ToString(), "10.0.0.2:7001");
  EXPECT_EQ(map->MasterOf(16383)->ToString(), "10.0.0.9:7002");  // empty host: the asked node
  EXPECT_FALSE(map->MasterOf(16384).has_value());
}

TEST(ClusterSlotMapTest, KnowsWhenSlotsAreUncovered) {
  absl::StatusOr<ClusterSlotMap> map = ClusterSlotMap::FromClusterSlots(
      RedisReply::Array({Range(0, 100, "h", 1), Range(200, 300, "h", 1)}), "h");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_FALSE(map->covers_all_slots());
  EXPECT_FALSE(map->MasterOf(150).has_value());
  EXPECT_EQ(map->masters().size(), 1u);
}

TEST(ClusterSlotMapTest, RejectsMalformedReplies) {
  for (const RedisReply& reply :
       {RedisReply::Status("OK"), RedisReply::Array({RedisReply::Integer(1)}),
        RedisReply::Array({Range(5, 1, "h", 1)}), RedisReply::Array({Range(0, 16384, "h", 1)})}) {
    EXPECT_TRUE(absl::IsInternal(ClusterSlotMap::FromClusterSlots(reply, "h").status()))
        << reply.DebugString();
  }
}

TEST(ParseClusterRedirectTest, ReadsMovedAndAsk) {
  std::optional<ClusterRedirect> moved = ParseClusterRedirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->kind, ClusterRedirect::Kind::kMoved);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->target.ToString(), "127.0.0.1:6381");
  std::optional<ClusterRedirect> ask = ParseClusterRedirect("ASK 12 ::1:7000");
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->kind, ClusterRedirect::Kind::kAsk);
  EXPECT_EQ(ask->target.host, "::1");
  EXPECT_EQ(ask->target.port, 7000);
}

TEST(ParseClusterRedirectTest, IgnoresOtherErrors) {
  for (const char* error : {"ERR unknown command", "MOVED 3999", "MOVED x h:1", "ASK 1 h:0",
                            "MOVED 16384 h:1", "TRYAGAIN Multiple keys request during rehashing"}) {
    EXPECT_FALSE(ParseClusterRedirect(error).has_value()) << error;
  }
}

}  // namespace
}  // namespace fieldwork
