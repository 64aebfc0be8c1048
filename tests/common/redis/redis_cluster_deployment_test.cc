// The Cluster client against a real local Redis Cluster (3 masters + 3 replicas): routing by hash
// tag, MOVED after a slot migration, ASK during one, cross-slot refusal, NOSCRIPT per node, WAIT,
// and UNAVAILABLE (not a hang) when every node is down.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/cluster_redis_client.h"
#include "common/redis/hash_tag.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_deployment.h"
#include "common/redis/script.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/redis_cluster.h"

namespace fieldwork {
namespace {

using testing::RedisCluster;

std::string Key(const std::string& org, const std::string& rest) {
  return absl::StrCat("fw:{", org, "}:", rest);
}

// Writer threads that keep running a two-key script (a new key plus the organization's set of
// written ids, so the keys of one call are partly old and partly new, as in fieldwork's own
// scripts) for a few organizations, recording every acknowledged write and every failure.
class WriteLoad {
 public:
  WriteLoad(RedisClient& client, std::vector<std::string> orgs, int threads)
      : client_(client), orgs_(std::move(orgs)) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] { Write(t); });
    }
  }
  ~WriteLoad() { Stop(); }

  void Stop() {
    stop_.store(true);
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int acknowledged() {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(acknowledged_.size());
  }
  std::vector<std::pair<std::string, std::string>> acknowledged_writes() {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  std::vector<std::string> failures() {
    absl::MutexLock lock(&mu_);
    return failures_;
  }
  // Waits (polling, with a deadline) until `count` more writes than now were acknowledged.
  absl::Status AwaitMoreWrites(int count) {
    const int target = acknowledged() + count;
    return testing::WaitFor([&] { return acknowledged() >= target; }, absl::Seconds(60),
                            absl::StrCat(count, " more acknowledged writes"));
  }

 private:
  void Write(int thread) {
    static const Script* const kScript =
        new Script("record_write",
                   "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SADD', KEYS[2], ARGV[1]); "
                   "return 1");
    for (int i = 0; !stop_.load(); ++i) {
      const std::string& org = orgs_[(thread + i) % orgs_.size()];
      const std::string id = absl::StrCat(thread, "-", i);
      absl::StatusOr<RedisReply> reply =
          client_.Eval(*kScript, {Key(org, absl::StrCat("w:", id)), Key(org, "all")}, {id},
                       In(absl::Seconds(10)));
      absl::MutexLock lock(&mu_);
      if (reply.ok()) {
        acknowledged_.emplace_back(org, id);
      } else {
        failures_.push_back(absl::StrCat(org, " ", id, ": ", reply.status().ToString()));
      }
    }
  }

  RedisClient& client_;
  const std::vector<std::string> orgs_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::vector<std::pair<std::string, std::string>> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

// How many of `writes` are missing (their key or their id in the organization's set).
int MissingWrites(RedisClient& client,
                  const std::vector<std::pair<std::string, std::string>>& writes) {
  int missing = 0;
  for (const auto& [org, id] : writes) {
    absl::StatusOr<std::vector<RedisReply>> replies = client.Pipeline(
        {{"GET", Key(org, absl::StrCat("w:", id))}, {"SISMEMBER", Key(org, "all"), id}}, Soon());
    if (!replies.ok() || (*replies)[0].str() != id || (*replies)[1].integer() != 1) ++missing;
  }
  return missing;
}

class RedisClusterClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisCluster>> cluster = RedisCluster::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    client_ = NewClusterClient(cluster_->url());
  }

  static std::unique_ptr<ClusterRedisClient> NewClusterClient(const std::string& url) {
    absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(url);
    EXPECT_TRUE(deployment.ok()) << deployment.status();
    RedisConfig config;
    config.url = url;
    config.pool_size = 4;
    return std::make_unique<ClusterRedisClient>(config, *std::move(deployment));
  }

  // The value of `key` read with the harness's own connection to the master owning its slot.
  std::string PeekOnOwner(const std::string& key) {
    absl::StatusOr<int> owner = cluster_->MasterPortOfSlot(KeySlot(key));
    EXPECT_TRUE(owner.ok()) << owner.status();
    if (!owner.ok()) return "";
    absl::StatusOr<std::string> value = cluster_->NodeAt(*owner)->Command({"GET", key});
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or("");
  }

  // A master other than the one owning `slot`.
  int OtherMaster(int slot) {
    absl::StatusOr<int> owner = cluster_->MasterPortOfSlot(slot);
    absl::StatusOr<std::vector<int>> masters = cluster_->MasterPorts();
    EXPECT_TRUE(owner.ok() && masters.ok());
    for (int port : masters.value_or(std::vector<int>{})) {
      if (port != owner.value_or(0)) return port;
    }
    return 0;
  }

  std::unique_ptr<RedisCluster> cluster_;
  std::unique_ptr<ClusterRedisClient> client_;
};

TEST_F(RedisClusterClientTest, RoutesEachOrganizationToTheMasterOwningItsSlot) {
  std::set<int> masters_used;
  for (int i = 0; i < 60; ++i) {
    const std::string org = absl::StrCat("org", i);
    const std::string key = Key(org, "probe");
    ASSERT_TRUE(client_->Execute({"SET", key, org}, Soon()).ok()) << key;
    absl::StatusOr<std::string> slot =
        cluster_->nodes().front()->Command({"CLUSTER", "KEYSLOT", key});
    ASSERT_TRUE(slot.ok()) << slot.status();
    EXPECT_EQ(*slot, absl::StrCat(KeySlot(key)));
    EXPECT_EQ(PeekOnOwner(key), org);
    absl::StatusOr<RedisReply> read = client_->Execute({"GET", key}, Soon());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->str(), org);
    masters_used.insert(cluster_->MasterPortOfSlot(KeySlot(key)).value_or(0));
  }
  EXPECT_EQ(masters_used.size(), 3u);
}

TEST_F(RedisClusterClientTest, PipelinesAndBlockingReadsStayOnTheOrganizationsMaster) {
  const std::string org = "org-pipeline";
  absl::StatusOr<std::vector<RedisReply>> replies =
      client_->Pipeline({{"SET", Key(org, "a"), "1"},
                         {"ZADD", Key(org, "index"), "5", "a"},
                         {"PING"},
                         {"MGET", Key(org, "a"), Key(org, "missing")}},
                        Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[3].DebugString(), R"(["1", nil])");
  absl::StatusOr<RedisReply> block = client_->Execute(
      {"XREAD", "COUNT", "1", "BLOCK", "50", "STREAMS", Key(org, "changes"), "$"}, Soon());
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_TRUE(block->is_nil()) << block->DebugString();
}

TEST_F(RedisClusterClientTest, FollowsMovedAfterASlotMigration) {
  const std::string key = Key("org-moved", "event");
  const int slot = KeySlot(key);
  ASSERT_TRUE(client_->Execute({"SET", key, "before"}, Soon()).ok());
  const int target = OtherMaster(slot);
  ASSERT_NE(target, 0);
  ASSERT_NE(client_->MasterOfSlot(slot), absl::StrCat("127.0.0.1:", target));

  ASSERT_TRUE(cluster_->MoveSlot(slot, target).ok());

  absl::StatusOr<RedisReply> read = client_->Execute({"GET", key}, Soon());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->str(), "before");
  EXPECT_EQ(client_->MasterOfSlot(slot), absl::StrCat("127.0.0.1:", target));
  ASSERT_TRUE(client_->Execute({"SET", key, "after"}, Soon()).ok());
  absl::StatusOr<std::string> on_target = cluster_->NodeAt(target)->Command({"GET", key});
  ASSERT_TRUE(on_target.ok()) << on_target.status();
  EXPECT_EQ(*on_target, "after");
}

TEST_F(RedisClusterClientTest, FollowsAskWhileASlotIsMigrating) {
  const std::string org = "org-ask";
  const int slot = KeySlot(Key(org, "a"));
  ASSERT_TRUE(
      client_->Pipeline({{"SET", Key(org, "a"), "A"}, {"SET", Key(org, "b"), "B"}}, Soon()).ok());
  const int source = cluster_->MasterPortOfSlot(slot).value_or(0);
  const int target = OtherMaster(slot);
  ASSERT_TRUE(cluster_->BeginSlotMigration(slot, target).ok());
  absl::StatusOr<int> moved = cluster_->MigrateKeys(slot, target, 1);  // one of the two keys
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_EQ(*moved, 1);

  // One key is still on the source, the other only on the target: the source serves one and
  // answers ASK for the other.
  absl::StatusOr<std::vector<RedisReply>> replies =
      client_->Pipeline({{"GET", Key(org, "a")}, {"GET", Key(org, "b")}}, Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  EXPECT_EQ((*replies)[0].DebugString(), R"("A")");
  EXPECT_EQ((*replies)[1].DebugString(), R"("B")");
  // A new key of a migrating slot is created on the importing node.
  ASSERT_TRUE(client_->Execute({"SET", Key(org, "c"), "C"}, Soon()).ok());
  // ASK is one-shot: the client's map still names the source.
  EXPECT_EQ(client_->MasterOfSlot(slot), absl::StrCat("127.0.0.1:", source));

  ASSERT_TRUE(cluster_->MigrateKeys(slot, target, 100).ok());
  ASSERT_TRUE(cluster_->FinishSlotMigration(slot, target).ok());
  absl::StatusOr<std::string> created = cluster_->NodeAt(target)->Command({"GET", Key(org, "c")});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, "C");
  absl::StatusOr<RedisReply> read = client_->Execute({"GET", Key(org, "a")}, Soon());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->str(), "A");
}

TEST_F(RedisClusterClientTest, RefusesBatchesWhoseKeysSpanSlotsAndWritesNothing) {
  const std::string a = Key("org-a", "x");
  const std::string b = Key("org-b", "x");
  ASSERT_NE(KeySlot(a), KeySlot(b));
  const absl::Status pipeline =
      client_->Pipeline({{"SET", a, "1"}, {"SET", b, "1"}}, Soon()).status();
  EXPECT_TRUE(absl::IsInvalidArgument(pipeline)) << pipeline;
  EXPECT_TRUE(absl::StrContains(pipeline.message(), "different cluster slots")) << pipeline;
  const Script script("two_keys", "redis.call('SET', KEYS[1], 1); redis.call('SET', KEYS[2], 1)");
  const absl::Status eval = client_->Eval(script, {a, b}, {}, Soon()).status();
  EXPECT_TRUE(absl::IsInvalidArgument(eval)) << eval;
  EXPECT_EQ(PeekOnOwner(a), "");
  EXPECT_EQ(PeekOnOwner(b), "");
}

TEST_F(RedisClusterClientTest, LoadsScriptsOnEveryNodeThatLacksThem) {
  const Script script("echo_key", "return redis.call('GET', KEYS[1])");
  absl::StatusOr<std::vector<int>> masters = cluster_->MasterPorts();
  ASSERT_TRUE(masters.ok()) << masters.status();
  std::set<int> masters_used;
  for (int i = 0; masters_used.size() < masters->size() && i < 100; ++i) {
    const std::string key = Key(absl::StrCat("org-script", i), "v");
    ASSERT_TRUE(client_->Execute({"SET", key, key}, Soon()).ok());
    absl::StatusOr<RedisReply> result = client_->Eval(script, {key}, {}, Soon());
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->str(), key);
    masters_used.insert(cluster_->MasterPortOfSlot(KeySlot(key)).value_or(0));
  }
  ASSERT_EQ(masters_used.size(), 3u);
  for (int port : *masters) {
    absl::StatusOr<std::string> exists =
        cluster_->NodeAt(port)->Command({"SCRIPT", "EXISTS", script.sha1()});
    ASSERT_TRUE(exists.ok()) << exists.status();
    EXPECT_EQ(*exists, "1") << "master " << port;
  }
}

TEST_F(RedisClusterClientTest, SendsScriptLoadAndFlushToEveryMaster) {
  const Script script("constant", "return 42");
  absl::StatusOr<RedisReply> loaded = client_->Execute({"SCRIPT", "LOAD", script.source()}, Soon());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->str(), script.sha1());
  absl::StatusOr<std::vector<int>> masters = cluster_->MasterPorts();
  ASSERT_TRUE(masters.ok()) << masters.status();
  for (int port : *masters) {
    EXPECT_EQ(cluster_->NodeAt(port)->Command({"SCRIPT", "EXISTS", script.sha1()}).value_or(""),
              "1")
        << "master " << port;
  }
  ASSERT_TRUE(client_->Execute({"SCRIPT", "FLUSH"}, Soon()).ok());
  for (int port : *masters) {
    EXPECT_EQ(cluster_->NodeAt(port)->Command({"SCRIPT", "EXISTS", script.sha1()}).value_or(""),
              "0")
        << "master " << port;
  }
}

TEST_F(RedisClusterClientTest, WaitReportsWritesTooFewReplicasAcknowledged) {
  const std::string key = Key("org-wait", "v");
  // WAIT returns as soon as enough replicas acknowledged; the long timeout only absorbs a busy
  // machine.
  std::unique_ptr<ClusterRedisClient> one =
      NewClusterClient(cluster_->url() + "?wait=1&wait_timeout_ms=8000");
  const absl::Status acknowledged = one->Execute({"SET", key, "1"}, Soon()).status();
  ASSERT_TRUE(acknowledged.ok()) << acknowledged;
  // Each master has one replica, so two acknowledgements never come.
  std::unique_ptr<ClusterRedisClient> two =
      NewClusterClient(cluster_->url() + "?wait=2&wait_timeout_ms=100");
  const absl::Status status = two->Execute({"SET", key, "2"}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "of 2 replicas")) << status;
  absl::StatusOr<RedisReply> read = two->Execute({"GET", key}, Soon());  // reads do not WAIT
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->str(), "2");
}

TEST_F(RedisClusterClientTest, PingsEveryMaster) {
  EXPECT_TRUE(client_->Ping(Soon()).ok());
  RedisConfig config;
  config.url = cluster_->url();
  absl::StatusOr<std::unique_ptr<RedisClient>> built = NewRedisClient(config);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE((*built)->Ping(Soon()).ok());
}

TEST_F(RedisClusterClientTest, EverythingIsUnavailableNotHungWhenAllNodesAreDown) {
  const std::string key = Key("org-down", "v");
  ASSERT_TRUE(client_->Execute({"SET", key, "1"}, Soon()).ok());
  for (const auto& node : cluster_->nodes()) node->Kill();

  const absl::Status read = client_->Execute({"GET", key}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(read)) << read;
  const absl::Status ping = client_->Ping(Soon());
  EXPECT_TRUE(absl::IsUnavailable(ping)) << ping;
  std::unique_ptr<ClusterRedisClient> fresh = NewClusterClient(cluster_->url());
  const absl::Status cold = fresh->Execute({"GET", key}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(cold)) << cold;
}

TEST_F(RedisClusterClientTest, ReshardUnderLoadFailsNoWriteAndLosesNone) {
  const std::vector<std::string> orgs = {"org-hot", "org-x1", "org-x2", "org-x3"};
  const int slot = KeySlot(Key("org-hot", "all"));
  const int target = OtherMaster(slot);
  WriteLoad load(*client_, orgs, 6);
  ASSERT_TRUE(load.AwaitMoreWrites(200).ok());

  const absl::Status moved = cluster_->MoveSlot(slot, target);
  ASSERT_TRUE(load.AwaitMoreWrites(200).ok());
  load.Stop();
  ASSERT_TRUE(moved.ok()) << moved;

  EXPECT_TRUE(load.failures().empty()) << absl::StrJoin(load.failures(), "\n");
  EXPECT_EQ(client_->MasterOfSlot(slot), absl::StrCat("127.0.0.1:", target));
  const auto writes = load.acknowledged_writes();
  EXPECT_EQ(MissingWrites(*client_, writes), 0) << "of " << writes.size();
  absl::StatusOr<std::string> on_target =
      cluster_->NodeAt(target)->Command({"SCARD", Key("org-hot", "all")});
  ASSERT_TRUE(on_target.ok()) << on_target.status();
  EXPECT_GT(std::stoi(*on_target), 0);
}

TEST_F(RedisClusterClientTest, ManualFailoverUnderLoadFailsNoWriteAndLosesNone) {
  const std::vector<std::string> orgs = {"org-hot", "org-x1", "org-x2", "org-x3"};
  const int slot = KeySlot(Key("org-hot", "all"));
  WriteLoad load(*client_, orgs, 6);
  ASSERT_TRUE(load.AwaitMoreWrites(200).ok());

  absl::StatusOr<int> new_master = cluster_->FailOverMasterOfSlot(slot);
  ASSERT_TRUE(load.AwaitMoreWrites(200).ok());
  load.Stop();
  ASSERT_TRUE(new_master.ok()) << new_master.status();

  EXPECT_TRUE(load.failures().empty()) << absl::StrJoin(load.failures(), "\n");
  EXPECT_EQ(client_->MasterOfSlot(slot), absl::StrCat("127.0.0.1:", *new_master));
  const auto writes = load.acknowledged_writes();
  EXPECT_EQ(MissingWrites(*client_, writes), 0) << "of " << writes.size();
}

}  // namespace
}  // namespace fieldwork
