// The Redis client when Redis misbehaves: connections killed, Redis slow, paused, stopped,
// restarted, or refusing the password. Each test runs its own redis-server, since it breaks it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/pooled_redis_client.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_server.h"

namespace fieldwork {
namespace {

using testing::RedisServer;
using testing::RedisServerOptions;

class RedisFaultTest : public ::testing::Test {
 protected:
  void StartRedis(RedisServerOptions options = {}) {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    redis_ = *std::move(server);
  }
  std::unique_ptr<PooledRedisClient> Client(int pool_size = 2,
                                            absl::Duration command_timeout = absl::Seconds(10)) {
    absl::StatusOr<std::unique_ptr<PooledRedisClient>> client =
        ClientFor(redis_->url(), pool_size, command_timeout);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::unique_ptr<RedisServer> redis_;
};

// How long `call` took, with its status.
template <typename Call>
std::pair<absl::Status, absl::Duration> Timed(Call call) {
  const absl::Time start = absl::Now();
  absl::Status status = call();
  return {status, absl::Now() - start};
}

TEST_F(RedisFaultTest, ReconnectsAfterItsConnectionsAreKilled) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  std::unique_ptr<PooledRedisClient> client = Client();
  ASSERT_TRUE(client->Execute({"SET", "fw:{t}:k", "v"}, Soon()).ok());
  absl::StatusOr<RedisReply> id_before = client->Execute({"CLIENT", "ID"}, Soon());
  ASSERT_TRUE(id_before.ok()) << id_before.status();

  absl::StatusOr<std::string> killed = redis_->Command({"CLIENT", "KILL", "TYPE", "normal"});
  ASSERT_TRUE(killed.ok()) << killed.status();
  ASSERT_EQ(*killed, "1");

  absl::StatusOr<RedisReply> value = client->Execute({"GET", "fw:{t}:k"}, Soon());
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->str(), "v");
  absl::StatusOr<RedisReply> id_after = client->Execute({"CLIENT", "ID"}, Soon());
  ASSERT_TRUE(id_after.ok()) << id_after.status();
  EXPECT_NE(id_after->integer(), id_before->integer());
  EXPECT_EQ(client->open_connections(), 1);
}

TEST_F(RedisFaultTest, TimedOutCallNeverHandsItsLateReplyToALaterCall) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  std::unique_ptr<PooledRedisClient> client = Client(/*pool_size=*/1);
  ASSERT_TRUE(client->Ping(Soon()).ok());

  std::thread sleeper([&] { redis_->Command({"DEBUG", "SLEEP", "1"}).IgnoreError(); });
  absl::Status timed_out;
  absl::Duration took;
  const absl::Status waited = testing::WaitFor(
      [&] {
        std::tie(timed_out, took) = Timed([&] {
          return client->Execute({"ECHO", "late reply"}, In(absl::Milliseconds(100))).status();
        });
        return !timed_out.ok();
      },
      absl::Seconds(10), "a call to time out while Redis sleeps");
  sleeper.join();
  ASSERT_TRUE(waited.ok()) << waited;
  EXPECT_TRUE(absl::IsDeadlineExceeded(timed_out) || absl::IsUnavailable(timed_out)) << timed_out;
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_EQ(client->open_connections(), 0);

  for (int i = 0; i < 20; ++i) {
    const std::string probe = absl::StrCat("probe ", i);
    absl::StatusOr<RedisReply> echo = client->Execute({"ECHO", probe}, Soon());
    ASSERT_TRUE(echo.ok()) << echo.status();
    EXPECT_EQ(echo->str(), probe);
  }
}

TEST_F(RedisFaultTest, RedisClosingTheConnectionMidWriteIsUnavailableNotACrash) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  ASSERT_TRUE(redis_->Command({"CONFIG", "SET", "client-query-buffer-limit", "1mb"}).ok());
  std::unique_ptr<PooledRedisClient> client = Client();
  const std::string too_big(8 << 20, 'x');  // Redis drops the client long before the end
  const absl::Status status = client->Execute({"SET", "fw:{t}:big", too_big}, Soon()).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  absl::StatusOr<RedisReply> echo = client->Execute({"ECHO", "alive"}, Soon());
  ASSERT_TRUE(echo.ok()) << echo.status();
  EXPECT_EQ(echo->str(), "alive");
}

TEST_F(RedisFaultTest, CommandTimeoutCutsAHangShortOfAFarDeadline) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  std::unique_ptr<PooledRedisClient> client =
      Client(/*pool_size=*/2, /*command_timeout=*/absl::Milliseconds(100));
  ASSERT_TRUE(client->Ping(Soon()).ok());
  redis_->Pause();
  const auto [status, took] = Timed([&] { return client->Ping(In(absl::Seconds(30))); });
  redis_->Resume();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "command timeout")) << status;
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_TRUE(client->Ping(Soon()).ok());
}

TEST_F(RedisFaultTest, PausedRedisFailsWithinTheDeadlineAndRecoversOnResume) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  std::unique_ptr<PooledRedisClient> client = Client();
  ASSERT_TRUE(client->Execute({"SET", "fw:{t}:k", "before"}, Soon()).ok());
  redis_->Pause();
  const auto [status, took] = Timed([&] {
    return client->Execute({"SET", "fw:{t}:k", "during"}, In(absl::Milliseconds(200))).status();
  });
  // A connection opened while Redis is stopped also waits only until the deadline.
  std::unique_ptr<PooledRedisClient> fresh = Client();
  const auto [fresh_status, fresh_took] =
      Timed([&] { return fresh->Ping(In(absl::Milliseconds(200))); });
  redis_->Resume();

  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_FALSE(fresh_status.ok());
  EXPECT_LT(fresh_took, absl::Seconds(2));
  absl::StatusOr<RedisReply> echo = client->Execute({"ECHO", "after"}, Soon());
  ASSERT_TRUE(echo.ok()) << echo.status();
  EXPECT_EQ(echo->str(), "after");
}

TEST_F(RedisFaultTest, StoppedRedisIsUnavailableQuickly) {
  ASSERT_NO_FATAL_FAILURE(StartRedis());
  std::unique_ptr<PooledRedisClient> client = Client();
  ASSERT_TRUE(client->Ping(Soon()).ok());
  ASSERT_TRUE(redis_->Stop().ok());

  const auto [status, took] = Timed([&] {
    return client->Execute({"GET", "fw:{t}:k"}, In(absl::Seconds(1))).status();
  });
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_LT(took, absl::Seconds(2));
  const auto [ping, ping_took] = Timed([&] { return client->Ping(In(absl::Seconds(1))); });
  EXPECT_TRUE(absl::IsUnavailable(ping)) << ping;
  EXPECT_LT(ping_took, absl::Seconds(2));
}

TEST_F(RedisFaultTest, NothingListeningIsUnavailableQuickly) {
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> client =
      ClientFor(absl::StrCat("redis://127.0.0.1:", testing::PickFreePort()));
  ASSERT_TRUE(client.ok()) << client.status();
  const auto [status, took] = Timed([&] { return (*client)->Ping(In(absl::Seconds(1))); });
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "cannot connect")) << status;
  EXPECT_LT(took, absl::Seconds(2));
}

TEST_F(RedisFaultTest, RecoversByItselfAfterACrashAndKeepsAcknowledgedWrites) {
  RedisServerOptions durable;
  durable.appendonly = true;
  durable.fsync_always = true;
  ASSERT_NO_FATAL_FAILURE(StartRedis(durable));
  std::unique_ptr<PooledRedisClient> client = Client();
  ASSERT_TRUE(client->Execute({"SET", "fw:{t}:acknowledged", "yes"}, Soon()).ok());

  redis_->Kill();
  EXPECT_TRUE(absl::IsUnavailable(client->Ping(In(absl::Seconds(1)))));
  ASSERT_TRUE(redis_->Restart().ok());

  absl::StatusOr<RedisReply> value = client->Execute({"GET", "fw:{t}:acknowledged"}, Soon());
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->str(), "yes");
}

TEST_F(RedisFaultTest, AuthenticatesAndSelectsTheDatabaseOfTheUrl) {
  RedisServerOptions secured;
  secured.password = "pa:ss@word";
  ASSERT_NO_FATAL_FAILURE(StartRedis(secured));
  const std::string base = absl::StrCat("redis://:pa%3Ass%40word@127.0.0.1:", redis_->port());
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> db3 = ClientFor(base + "/3");
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> db0 = ClientFor(base);
  ASSERT_TRUE(db3.ok() && db0.ok());

  ASSERT_TRUE((*db3)->Execute({"SET", "fw:{t}:where", "db3"}, Soon()).ok());
  absl::StatusOr<RedisReply> in_db3 = (*db3)->Execute({"GET", "fw:{t}:where"}, Soon());
  absl::StatusOr<RedisReply> in_db0 = (*db0)->Execute({"GET", "fw:{t}:where"}, Soon());
  ASSERT_TRUE(in_db3.ok()) << in_db3.status();
  ASSERT_TRUE(in_db0.ok()) << in_db0.status();
  EXPECT_EQ(in_db3->str(), "db3");
  EXPECT_TRUE(in_db0->is_nil());
}

TEST_F(RedisFaultTest, WrongPasswordIsUnavailableWithAClearMessage) {
  RedisServerOptions secured;
  secured.password = "right";
  ASSERT_NO_FATAL_FAILURE(StartRedis(secured));
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> client =
      ClientFor(absl::StrCat("redis://:wrong@127.0.0.1:", redis_->port()));
  ASSERT_TRUE(client.ok()) << client.status();
  const absl::Status status = (*client)->Ping(Soon());
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "refused AUTH")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "wrong")) << status;
  EXPECT_EQ((*client)->open_connections(), 0);
}

}  // namespace
}  // namespace fieldwork
