// What the redis_test files share: deadlines, building a client for a test server, and a fixture
// with a client on the binary's shared (and freshly flushed) Redis.
#ifndef FIELDWORK_TESTS_COMMON_REDIS_REDIS_TEST_FIXTURE_H_
#define FIELDWORK_TESTS_COMMON_REDIS_REDIS_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/redis/pooled_redis_client.h"
#include "common/redis/redis_config.h"
#include "tests/harness/redis_server.h"

namespace fieldwork {

inline absl::Time In(absl::Duration duration) { return absl::Now() + duration; }
// A deadline generous enough that only a hang reaches it.
inline absl::Time Soon() { return In(absl::Seconds(10)); }

inline absl::StatusOr<std::unique_ptr<PooledRedisClient>> ClientFor(
    const std::string& url, int pool_size = 4, absl::Duration command_timeout = absl::Seconds(10)) {
  RedisConfig config;
  config.url = url;
  config.pool_size = pool_size;
  config.command_timeout = command_timeout;
  return PooledRedisClient::Create(config);
}

class SharedRedisTest : public testing::RedisServerTest {
 protected:
  void SetUp() override {
    RedisServerTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::unique_ptr<PooledRedisClient>> client = ClientFor(redis().url());
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  PooledRedisClient& client() { return *client_; }

  // The string at `key` read with the harness's own connection; "" when missing.
  std::string Peek(const std::string& key) {
    absl::StatusOr<std::string> value = redis().Command({"GET", key});
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or("");
  }
  bool Exists(const std::string& key) {
    absl::StatusOr<std::string> exists = redis().Command({"EXISTS", key});
    EXPECT_TRUE(exists.ok()) << exists.status();
    return exists.value_or("0") == "1";
  }

 private:
  std::unique_ptr<PooledRedisClient> client_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_TESTS_COMMON_REDIS_REDIS_TEST_FIXTURE_H_
