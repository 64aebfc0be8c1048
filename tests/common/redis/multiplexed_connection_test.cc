// The shared, non-blocking Redis connection behind RedisClient::PipelineAsync, against real
// redis-servers: every caller gets its own replies, a paused or absent Redis gives up at the
// deadline or the command timeout, and a late reply never reaches a later caller.
#include "common/redis/multiplexed_connection.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/redis/redis_config.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_server.h"

namespace fieldwork {
namespace {

using testing::RedisServer;

// What one Send answered, once it has.
struct Outcome {
  absl::Notification answered;
  absl::StatusOr<std::vector<RedisReply>> replies;

  MultiplexedConnection::Done Into() {
    return [this](absl::StatusOr<std::vector<RedisReply>> result) {
      replies = std::move(result);
      answered.Notify();
    };
  }
  // Waits (up to a bound that only a hang reaches) for the answer.
  bool Wait() { return answered.WaitForNotificationWithTimeout(absl::Seconds(20)); }
};

class MultiplexedConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_ = *std::move(server);
  }

  std::unique_ptr<MultiplexedConnection> Connection(
      absl::Duration command_timeout = absl::Seconds(10)) {
    absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(redis_->url());
    EXPECT_TRUE(endpoint.ok()) << endpoint.status();
    return std::make_unique<MultiplexedConnection>(*endpoint, absl::Milliseconds(500),
                                                   command_timeout);
  }

  std::unique_ptr<RedisServer> redis_;
};

TEST_F(MultiplexedConnectionTest, EveryCallerGetsItsOwnRepliesWhileManySendAtOnce) {
  std::unique_ptr<MultiplexedConnection> connection = Connection();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::atomic<int> right{0};
  std::atomic<int> answered{0};
  absl::Notification all_answered;
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = absl::StrCat("fw:{t}:k", t, "-", i);
        const std::string value = absl::StrCat("v", t, "-", i);
        connection->Send({{"SET", key, value}, {"GET", key}}, Soon(),
                         [&, value](absl::StatusOr<std::vector<RedisReply>> replies) {
                           if (replies.ok() && replies->size() == 2 &&
                               (*replies)[1] == RedisReply::String(value)) {
                             ++right;
                           }
                           if (++answered == kThreads * kPerThread) all_answered.Notify();
                         });
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  ASSERT_TRUE(all_answered.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(right.load(), kThreads * kPerThread);
  EXPECT_EQ(connection->in_flight(), 0);
}

TEST_F(MultiplexedConnectionTest, ErrorRepliesStayInTheResult) {
  std::unique_ptr<MultiplexedConnection> connection = Connection();
  Outcome outcome;
  connection->Send({{"SET", "fw:{t}:text", "abc"}, {"INCR", "fw:{t}:text"}}, Soon(),
                   outcome.Into());
  ASSERT_TRUE(outcome.Wait());
  ASSERT_TRUE(outcome.replies.ok()) << outcome.replies.status();
  ASSERT_EQ(outcome.replies->size(), 2u);
  EXPECT_EQ((*outcome.replies)[0], RedisReply::Status("OK"));
  EXPECT_TRUE((*outcome.replies)[1].is_error()) << (*outcome.replies)[1].DebugString();
}

TEST_F(MultiplexedConnectionTest, APausedRedisGivesUpAtTheDeadlineAndTheLateReplyReachesNoOne) {
  ASSERT_TRUE(redis_->Command({"SET", "fw:{t}:first", "late"}).ok());
  ASSERT_TRUE(redis_->Command({"SET", "fw:{t}:second", "mine"}).ok());
  std::unique_ptr<MultiplexedConnection> connection = Connection();
  Outcome warm;
  connection->Send({{"PING"}}, Soon(), warm.Into());
  ASSERT_TRUE(warm.Wait());
  ASSERT_TRUE(warm.replies.ok()) << warm.replies.status();

  redis_->Pause();
  Outcome first;
  connection->Send({{"GET", "fw:{t}:first"}}, In(absl::Milliseconds(300)), first.Into());
  ASSERT_TRUE(first.Wait());
  EXPECT_TRUE(absl::IsDeadlineExceeded(first.replies.status())) << first.replies.status();
  redis_->Resume();

  Outcome second;
  connection->Send({{"GET", "fw:{t}:second"}}, Soon(), second.Into());
  ASSERT_TRUE(second.Wait());
  ASSERT_TRUE(second.replies.ok()) << second.replies.status();
  EXPECT_EQ(second.replies->front(), RedisReply::String("mine"));
}

TEST_F(MultiplexedConnectionTest, TheCommandTimeoutDropsAStuckConnectionAndTheNextCallReconnects) {
  std::unique_ptr<MultiplexedConnection> connection = Connection(absl::Milliseconds(300));
  Outcome warm;
  connection->Send({{"PING"}}, Soon(), warm.Into());
  ASSERT_TRUE(warm.Wait());
  absl::StatusOr<std::string> before = redis_->Command({"CLIENT", "LIST"});
  ASSERT_TRUE(before.ok()) << before.status();

  redis_->Pause();
  Outcome stuck;
  connection->Send({{"PING"}}, Soon(), stuck.Into());
  ASSERT_TRUE(stuck.Wait());
  EXPECT_TRUE(absl::IsUnavailable(stuck.replies.status())) << stuck.replies.status();
  EXPECT_NE(stuck.replies.status().message().find("command timeout"), std::string::npos)
      << stuck.replies.status();
  redis_->Resume();

  Outcome after;
  connection->Send({{"PING"}}, Soon(), after.Into());
  ASSERT_TRUE(after.Wait());
  ASSERT_TRUE(after.replies.ok()) << after.replies.status();
  EXPECT_EQ(after.replies->front(), RedisReply::Status("PONG"));
}

TEST_F(MultiplexedConnectionTest, NothingListeningIsUnavailable) {
  RedisEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = testing::PickFreePort();
  MultiplexedConnection connection(endpoint, absl::Milliseconds(500), absl::Seconds(2));
  Outcome outcome;
  connection.Send({{"PING"}}, Soon(), outcome.Into());
  ASSERT_TRUE(outcome.Wait());
  EXPECT_TRUE(absl::IsUnavailable(outcome.replies.status())) << outcome.replies.status();
  EXPECT_NE(outcome.replies.status().message().find("cannot connect"), std::string::npos)
      << outcome.replies.status();
}

TEST_F(MultiplexedConnectionTest, ReconnectsAfterRedisRestarts) {
  std::unique_ptr<MultiplexedConnection> connection = Connection();
  Outcome before;
  connection->Send({{"SET", "fw:{t}:k", "v"}}, Soon(), before.Into());
  ASSERT_TRUE(before.Wait());
  ASSERT_TRUE(before.replies.ok()) << before.replies.status();

  ASSERT_TRUE(redis_->Restart().ok());
  // The first call may still find the old socket (UNAVAILABLE); a later one must succeed.
  bool succeeded = false;
  for (int attempt = 0; attempt < 3 && !succeeded; ++attempt) {
    Outcome after;
    connection->Send({{"PING"}}, Soon(), after.Into());
    ASSERT_TRUE(after.Wait());
    if (!after.replies.ok()) {
      EXPECT_TRUE(absl::IsUnavailable(after.replies.status())) << after.replies.status();
    }
    succeeded = after.replies.ok();
  }
  EXPECT_TRUE(succeeded);
}

TEST_F(MultiplexedConnectionTest, DestroyingItAnswersWhatIsStillPending) {
  std::unique_ptr<MultiplexedConnection> connection = Connection();
  Outcome warm;
  connection->Send({{"PING"}}, Soon(), warm.Into());
  ASSERT_TRUE(warm.Wait());
  redis_->Pause();
  Outcome pending;
  connection->Send({{"PING"}}, Soon(), pending.Into());
  connection.reset();
  redis_->Resume();
  ASSERT_TRUE(pending.answered.HasBeenNotified());
  EXPECT_TRUE(absl::IsUnavailable(pending.replies.status())) << pending.replies.status();
}

TEST_F(MultiplexedConnectionTest, ThePooledClientExecutesAsynchronouslyThroughIt) {
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> client = ClientFor(redis_->url());
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->PipelinesWithoutBlocking());
  ASSERT_TRUE(redis_->Command({"SET", "fw:{t}:k", "stored"}).ok());
  absl::Notification answered;
  absl::StatusOr<RedisReply> reply;
  (*client)->ExecuteAsync({"GET", "fw:{t}:k"}, Soon(), [&](absl::StatusOr<RedisReply> result) {
    reply = std::move(result);
    answered.Notify();
  });
  ASSERT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(20)));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, RedisReply::String("stored"));

  absl::Notification refused;
  absl::Status error;
  (*client)->ExecuteAsync({"INCR", "fw:{t}:k"}, Soon(), [&](absl::StatusOr<RedisReply> result) {
    error = result.status();
    refused.Notify();
  });
  ASSERT_TRUE(refused.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_FALSE(error.ok());
}

}  // namespace
}  // namespace fieldwork
