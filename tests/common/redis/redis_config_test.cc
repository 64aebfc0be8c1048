// Parsing redis:// URLs and checking the client configuration.
#include "common/redis/redis_config.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/redis/redis_client.h"

namespace fieldwork {
namespace {

TEST(ParseRedisUrlTest, ReadsPasswordHostPortAndDatabase) {
  absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl("redis://:s3cret@redis.internal:6380/2");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->host, "redis.internal");
  EXPECT_EQ(endpoint->port, 6380);
  EXPECT_EQ(endpoint->username, "");
  EXPECT_EQ(endpoint->password, "s3cret");
  EXPECT_EQ(endpoint->db, 2);
}

TEST(ParseRedisUrlTest, DefaultsPortAndDatabase) {
  absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl("redis://localhost");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->host, "localhost");
  EXPECT_EQ(endpoint->port, 6379);
  EXPECT_EQ(endpoint->password, "");
  EXPECT_EQ(endpoint->db, 0);
}

TEST(ParseRedisUrlTest, ReadsUserAndPercentEncodedPassword) {
  absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl("redis://app:p%40ss%2Fw@10.0.0.1:7000/");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->username, "app");
  EXPECT_EQ(endpoint->password, "p@ss/w");
  EXPECT_EQ(endpoint->host, "10.0.0.1");
  EXPECT_EQ(endpoint->port, 7000);
  EXPECT_EQ(endpoint->db, 0);
}

TEST(ParseRedisUrlTest, ReadsBracketedIpv6Host) {
  absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl("redis://[::1]:6390/1");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->port, 6390);
  EXPECT_EQ(endpoint->db, 1);
}

TEST(ParseRedisUrlTest, RejectsMalformedUrlsNamingThem) {
  for (const char* url : {"http://localhost:6379", "localhost:6379", "redis://", "redis://:6379",
                          "redis://host:", "redis://host:0", "redis://host:70000",
                          "redis://host:port", "redis://host:6379/x", "redis://host:6379/-1",
                          "redis://user@host:6379", "redis://host:6379?db=1",
                          "redis://:p%zz@host:6379", "redis://:@host:6379", "redis://[::1:6379"}) {
    absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(url);
    EXPECT_TRUE(absl::IsInvalidArgument(endpoint.status())) << url << ": " << endpoint.status();
    EXPECT_TRUE(absl::StrContains(endpoint.status().message(), "invalid Redis URL"))
        << endpoint.status();
  }
  EXPECT_TRUE(absl::StrContains(ParseRedisUrl("redis://host:port").status().message(),
                                "\"redis://host:port\""));
}

TEST(ParseRedisUrlTest, MasksThePasswordInErrors) {
  const absl::Status status = ParseRedisUrl("redis://:topsecret@host:notaport/0").status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_FALSE(absl::StrContains(status.message(), "topsecret")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "redis://:***@host:notaport/0")) << status;
  EXPECT_EQ(RedactRedisUrl("redis://app:pw@h:1/2"), "redis://app:***@h:1/2");
  EXPECT_EQ(RedactRedisUrl("redis://h:1"), "redis://h:1");
}

TEST(ValidateRedisConfigTest, RejectsNonPositivePoolAndTimeouts) {
  RedisConfig config;
  EXPECT_TRUE(ValidateRedisConfig(config).ok());
  config.pool_size = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateRedisConfig(config)));
  config = RedisConfig();
  config.connect_timeout = absl::ZeroDuration();
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateRedisConfig(config)));
  config = RedisConfig();
  config.command_timeout = -absl::Seconds(1);
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateRedisConfig(config)));
}

TEST(NewRedisClientTest, BuildsTheStandaloneClientAndRefusesMalformedUrls) {
  RedisConfig config;
  EXPECT_TRUE(NewRedisClient(config).ok());
  config.url = "redis://:pw@host:port";
  const absl::Status malformed = NewRedisClient(config).status();
  EXPECT_TRUE(absl::IsInvalidArgument(malformed)) << malformed;
  EXPECT_FALSE(absl::StrContains(malformed.message(), ":pw@")) << malformed;
}

}  // namespace
}  // namespace fieldwork
