// Tests of parsing redis://, redis-sentinel:// and redis-cluster:// URLs with WAIT parameters.
#include "common/redis/redis_deployment.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_config.h"

namespace fieldwork {
namespace {

TEST(ParseRedisDeploymentTest, ReadsAStandaloneUrlWithWaitParameters) {
  absl::StatusOr<RedisDeployment> deployment =
      ParseRedisDeployment("redis://:pw@10.0.0.1:6380/3?wait=1&wait_timeout_ms=250");
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  EXPECT_EQ(deployment->topology, RedisTopology::kStandalone);
  ASSERT_EQ(deployment->nodes.size(), 1u);
  EXPECT_EQ(deployment->nodes[0].host, "10.0.0.1");
  EXPECT_EQ(deployment->nodes[0].port, 6380);
  EXPECT_EQ(deployment->nodes[0].password, "pw");
  EXPECT_EQ(deployment->nodes[0].db, 3);
  EXPECT_EQ(deployment->wait.replicas, 1);
  EXPECT_EQ(deployment->wait.timeout, absl::Milliseconds(250));
}

TEST(ParseRedisDeploymentTest, StandaloneWithoutParametersDoesNotWait) {
  absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment("redis://localhost");
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  EXPECT_EQ(deployment->wait.replicas, 0);
  EXPECT_EQ(deployment->nodes[0].port, 6379);
}

TEST(ParseRedisDeploymentTest, ReadsSentinelsMasterNameDatabaseAndCredentials) {
  absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(
      "redis-sentinel://app:p%40ss@s1:26379,s2:26380,[::1]:26381/fieldwork-main/2?wait=1");
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  EXPECT_EQ(deployment->topology, RedisTopology::kSentinel);
  EXPECT_EQ(deployment->master_name, "fieldwork-main");
  ASSERT_EQ(deployment->nodes.size(), 3u);
  EXPECT_EQ(deployment->nodes[0].host, "s1");
  EXPECT_EQ(deployment->nodes[1].port, 26380);
  EXPECT_EQ(deployment->nodes[2].host, "::1");
  EXPECT_EQ(deployment->nodes[2].port, 26381);
  for (const RedisEndpoint& node : deployment->nodes) {
    EXPECT_EQ(node.username, "app");
    EXPECT_EQ(node.password, "p@ss");
    EXPECT_EQ(node.db, 2);
  }
  EXPECT_EQ(deployment->wait.replicas, 1);
}

TEST(ParseRedisDeploymentTest, ReadsClusterSeeds) {
  absl::StatusOr<RedisDeployment> deployment =
      ParseRedisDeployment("REDIS-CLUSTER://:pw@10.0.0.1:7000,10.0.0.2:7001");
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  EXPECT_EQ(deployment->topology, RedisTopology::kCluster);
  ASSERT_EQ(deployment->nodes.size(), 2u);
  EXPECT_EQ(deployment->nodes[1].host, "10.0.0.2");
  EXPECT_EQ(deployment->nodes[1].port, 7001);
  EXPECT_EQ(deployment->nodes[1].password, "pw");
  EXPECT_EQ(deployment->nodes[1].db, 0);
}

TEST(ParseRedisDeploymentTest, RejectsMalformedUrlsNamingThem) {
  for (const char* url :
       {"rediss://h:1", "redis-sentinel://h:1", "redis-sentinel://h:1/", "redis-sentinel://h/m",
        "redis-sentinel://h:1/m/x", "redis-sentinel://h:1/m a", "redis-cluster://",
        "redis-cluster://h:1/0", "redis-cluster://h:1,,h:2", "redis-cluster://h:x",
        "redis-cluster://h:1,h", "redis-cluster://:@h:1", "redis://h:1?wait=x", "redis://h:1?foo=1",
        "redis://h:1?wait=-1", "redis://h:1?wait_timeout_ms=0", "redis-cluster://h:1#frag"}) {
    absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(url);
    EXPECT_TRUE(absl::IsInvalidArgument(deployment.status())) << url << ": " << deployment.status();
    EXPECT_TRUE(absl::StrContains(deployment.status().message(), "invalid Redis URL"))
        << deployment.status();
  }
  EXPECT_TRUE(absl::StrContains(ParseRedisDeployment("redis-cluster://h:1,h").status().message(),
                                "\"redis-cluster://h:1,h\""));
}

TEST(ParseRedisDeploymentTest, MasksThePasswordInErrors) {
  for (const char* url : {"redis-cluster://:topsecret@h:1,h:bad",
                          "redis-sentinel://u:topsecret@h:1/", "redis://:topsecret@h:1?x=1"}) {
    const absl::Status status = ParseRedisDeployment(url).status();
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << url;
    EXPECT_FALSE(absl::StrContains(status.message(), "topsecret")) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), ":***@")) << status;
  }
}

TEST(ValidateRedisConfigTest, AcceptsSentinelAndClusterUrls) {
  RedisConfig config;
  config.url = "redis-sentinel://s1:26379,s2:26379/mymaster";
  EXPECT_TRUE(ValidateRedisConfig(config).ok());
  config.url = "redis-cluster://n1:7000,n2:7000?wait=1";
  EXPECT_TRUE(ValidateRedisConfig(config).ok());
  config.url = "redis-cluster://n1";
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateRedisConfig(config)));
}

TEST(NewRedisClientTest, BuildsEveryTopologyWithoutConnecting) {
  RedisConfig config;
  for (const char* url : {"redis://127.0.0.1:1", "redis://127.0.0.1:1?wait=1",
                          "redis-sentinel://:pw@127.0.0.1:1,127.0.0.1:2/mymaster",
                          "redis-cluster://127.0.0.1:1,127.0.0.1:2"}) {
    config.url = url;
    EXPECT_TRUE(NewRedisClient(config).ok()) << url;
  }
  config.url = "redis-sentinel://:pw@s1:26379/";
  const absl::Status status = NewRedisClient(config).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), ":pw@")) << status;
}

}  // namespace
}  // namespace fieldwork
