// The Sentinel client against a real local Sentinel deployment (1 master, 1 replica, 3
// sentinels): discovery, following a forced failover with no acknowledged (WAITed) write lost and
// none written to a replica, UNAVAILABLE (not a hang) when no sentinel answers, and a caller that
// gives up at its own deadline while another caller's discovery hangs on paused sentinels.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_deployment.h"
#include "common/redis/sentinel_redis_client.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/redis_sentinel.h"

namespace fieldwork {
namespace {

using testing::RedisSentinelDeployment;

// Connections to 127.0.0.1:`port` that its listener has not accepted yet: the accept queue of the
// LISTEN socket, which /proc/net/tcp shows as its rx_queue. -1 when nothing listens there.
int UnacceptedConnections(int port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    // sl local_address rem_address st tx_queue:rx_queue …, addresses and numbers in hex.
    const std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    constexpr char kListen[] = "0A";
    if (fields.size() < 5 || fields[3] != kListen) continue;
    const std::vector<std::string> local = absl::StrSplit(fields[1], ':');
    const std::vector<std::string> queues = absl::StrSplit(fields[4], ':');
    if (local.size() != 2 || queues.size() != 2) continue;
    if (std::strtol(local[1].c_str(), nullptr, 16) != port) continue;
    return static_cast<int>(std::strtol(queues[1].c_str(), nullptr, 16));
  }
  return -1;
}

class RedisSentinelClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisSentinelDeployment>> deployment =
        RedisSentinelDeployment::Start();
    ASSERT_TRUE(deployment.ok()) << deployment.status();
    deployment_ = *std::move(deployment);
  }

  static std::unique_ptr<SentinelRedisClient> NewSentinelClient(
      const std::string& url, absl::Duration command_timeout = RedisConfig().command_timeout) {
    absl::StatusOr<RedisDeployment> parsed = ParseRedisDeployment(url);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    RedisConfig config;
    config.url = url;
    config.pool_size = 4;
    config.command_timeout = command_timeout;
    return std::make_unique<SentinelRedisClient>(config, *std::move(parsed));
  }

  std::string PeekAt(int port, const std::string& key) {
    absl::StatusOr<std::string> value = deployment_->ServerAt(port)->Command({"GET", key});
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or("");
  }

  std::unique_ptr<RedisSentinelDeployment> deployment_;
};

TEST_F(RedisSentinelClientTest, DiscoversTheMasterAndWritesThere) {
  std::unique_ptr<SentinelRedisClient> client = NewSentinelClient(deployment_->url());
  ASSERT_TRUE(client->Execute({"SET", "fw:{org1}:k", "v"}, Soon()).ok());
  const int master = deployment_->server(0).port();
  EXPECT_EQ(client->current_master(), absl::StrCat("127.0.0.1:", master));
  EXPECT_EQ(PeekAt(master, "fw:{org1}:k"), "v");
  EXPECT_TRUE(client->Ping(Soon()).ok());
}

TEST_F(RedisSentinelClientTest, FactoryBuildsTheSentinelClient) {
  RedisConfig config;
  config.url = deployment_->url();
  absl::StatusOr<std::unique_ptr<RedisClient>> client = NewRedisClient(config);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Execute({"SET", "fw:{org1}:f", "1"}, Soon()).ok());
  EXPECT_EQ(PeekAt(deployment_->server(0).port(), "fw:{org1}:f"), "1");
}

TEST_F(RedisSentinelClientTest, FollowsAFailoverAndNeverWritesToTheReplica) {
  std::unique_ptr<SentinelRedisClient> client = NewSentinelClient(deployment_->url());
  ASSERT_TRUE(client->Execute({"SET", "fw:{org1}:before", "1"}, Soon()).ok());
  const int old_master = deployment_->server(0).port();

  absl::StatusOr<int> new_master = deployment_->Failover();
  ASSERT_TRUE(new_master.ok()) << new_master.status();
  ASSERT_NE(*new_master, old_master);

  // The client still holds connections to the old master, now a replica: its first write there
  // is answered READONLY, so it asks the sentinels again and writes to the new master.
  absl::Status written = absl::UnknownError("not tried");
  ASSERT_TRUE(
      testing::WaitFor(
          [&] {
            written =
                client->Execute({"SET", "fw:{org1}:after", "2"}, In(absl::Seconds(5))).status();
            return written.ok();
          },
          absl::Seconds(30), "a write to succeed after the failover")
          .ok())
      << written;
  EXPECT_EQ(client->current_master(), absl::StrCat("127.0.0.1:", *new_master));
  EXPECT_EQ(PeekAt(*new_master, "fw:{org1}:after"), "2");
  EXPECT_EQ(PeekAt(*new_master, "fw:{org1}:before"), "1");
  absl::StatusOr<std::string> old_role = deployment_->ServerAt(old_master)->Command({"ROLE"});
  ASSERT_TRUE(old_role.ok()) << old_role.status();
  EXPECT_TRUE(absl::StartsWith(*old_role, "slave")) << *old_role;
}

TEST_F(RedisSentinelClientTest, NoWriteAcknowledgedAfterWaitIsLostInAFailoverUnderLoad) {
  std::unique_ptr<SentinelRedisClient> client =
      NewSentinelClient(deployment_->url() + "?wait=1&wait_timeout_ms=500");
  absl::Mutex mu;
  std::vector<std::string> acknowledged;
  int acknowledged_after_switch = 0;
  std::atomic<bool> switched{false};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string key = absl::StrCat("fw:{org1}:write:", i);
      if (client->Execute({"SET", key, "1"}, In(absl::Seconds(3))).ok()) {
        absl::MutexLock lock(&mu);
        acknowledged.push_back(key);
        if (switched.load()) ++acknowledged_after_switch;
      }
    }
  });
  // Some writes before the failover, some during, and some once it is over.
  const absl::Status some_written = testing::WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return acknowledged.size() >= 20;
      },
      absl::Seconds(30), "writes before the failover");
  absl::StatusOr<int> new_master = deployment_->Failover();
  switched.store(true);
  const absl::Status more_written = testing::WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return acknowledged_after_switch >= 20;
      },
      absl::Seconds(30), "writes after the failover");
  stop.store(true);
  writer.join();
  ASSERT_TRUE(some_written.ok()) << some_written;
  ASSERT_TRUE(new_master.ok()) << new_master.status();
  ASSERT_TRUE(more_written.ok()) << more_written;

  int missing = 0;
  for (const std::string& key : acknowledged) {
    if (PeekAt(*new_master, key) != "1") ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged writes";
}

TEST_F(RedisSentinelClientTest, UnknownMasterNameIsUnavailable) {
  std::string url = deployment_->url();
  url.replace(url.rfind('/') + 1, std::string::npos, "nosuchmaster");
  std::unique_ptr<SentinelRedisClient> client = NewSentinelClient(url);
  const absl::Status status = client->Execute({"GET", "fw:{org1}:k"}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "nosuchmaster")) << status;
}

TEST_F(RedisSentinelClientTest, UnavailableNotHungWhenNoSentinelAnswers) {
  deployment_->KillSentinels();
  std::unique_ptr<SentinelRedisClient> client = NewSentinelClient(deployment_->url());
  const absl::Status status = client->Execute({"GET", "fw:{org1}:k"}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::IsUnavailable(client->Ping(Soon())));
}

TEST_F(RedisSentinelClientTest, UnavailableWhenTheMasterAndEverySentinelAreDown) {
  std::unique_ptr<SentinelRedisClient> client = NewSentinelClient(deployment_->url());
  ASSERT_TRUE(client->Execute({"SET", "fw:{org1}:k", "v"}, Soon()).ok());
  deployment_->KillSentinels();
  deployment_->server(0).Kill();
  const absl::Status status = client->Execute({"GET", "fw:{org1}:k"}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
}

// Every sentinel paused (SIGSTOP: the kernel still queues connections, nobody answers): one call
// is stuck asking the first sentinel; a second call with a short deadline must not wait for that
// discovery but give up at its own deadline, with DEADLINE_EXCEEDED (the client's contract: see
// sentinel_redis_client.h). Once the sentinels resume, the stuck call finds the master.
TEST_F(RedisSentinelClientTest, ShortDeadlineCallGivesUpWhileAnotherCallIsStuckInDiscovery) {
  // A long command timeout keeps the discovering call waiting on the first sentinel.
  std::unique_ptr<SentinelRedisClient> client =
      NewSentinelClient(deployment_->url(), absl::Seconds(20));
  const int first_sentinel = deployment_->sentinel_ports().front();
  ASSERT_TRUE(deployment_->PauseSentinels().ok());
  // Paused sentinels connect nowhere, but one may have been connecting to the first just before
  // the pause: count what already waits in its accept queue, then wait for one more.
  const int queued_before = UnacceptedConnections(first_sentinel);
  ASSERT_GE(queued_before, 0) << "no listening socket on port " << first_sentinel;
  absl::Status discovered = absl::UnknownError("not returned");
  std::atomic<bool> discovery_returned{false};
  std::thread discovering([&] {
    discovered = client->Execute({"SET", "fw:{org1}:k", "v"}, In(absl::Seconds(40))).status();
    discovery_returned.store(true);
  });
  // Its question waits in the first sentinel's accept queue: the discovery is under way.
  const absl::Status asking =
      testing::WaitFor([&] { return UnacceptedConnections(first_sentinel) > queued_before; },
                       absl::Seconds(10), "the discovering call to reach the paused sentinel");

  const absl::Time deadline = In(absl::Milliseconds(300));
  const absl::Status impatient = client->Execute({"GET", "fw:{org1}:k"}, deadline).status();
  const absl::Time returned = absl::Now();
  const bool discovery_was_running = !discovery_returned.load();

  const absl::Status resumed = deployment_->ResumeSentinels();
  discovering.join();
  ASSERT_TRUE(asking.ok()) << asking;
  EXPECT_TRUE(absl::IsDeadlineExceeded(impatient)) << impatient;
  // A liveness bound, not a benchmark: the call came back near its own deadline.
  EXPECT_LT(returned, deadline + absl::Seconds(2));
  EXPECT_TRUE(discovery_was_running) << "the short call returned only after the discovery ended";
  ASSERT_TRUE(resumed.ok()) << resumed;
  EXPECT_TRUE(discovered.ok()) << discovered;
  EXPECT_EQ(PeekAt(deployment_->server(0).port(), "fw:{org1}:k"), "v");
}

}  // namespace
}  // namespace fieldwork
