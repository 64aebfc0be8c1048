// The pooled Redis client against a real Redis: commands, binary-safe values, error replies,
// pipelines, scripts with the NOSCRIPT fallback, a bounded pool shared by many threads.
#include "common/redis/redis_client.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/redis_status.h"
#include "common/redis/script.h"
#include "tests/common/redis/redis_test_fixture.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using RedisClientTest = SharedRedisTest;

// The bytes of a string literal, embedded NULs included.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

TEST_F(RedisClientTest, RoundTripsBinaryKeysAndValues) {
  const std::string key = Bytes("fw:{t}:bin\0\r\nkey");
  const std::string value = Bytes("\0\xff\r\n$3\r\n*1");
  absl::StatusOr<RedisReply> set = client().Execute({"SET", key, value}, Soon());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->type(), RedisReply::Type::kStatus);
  EXPECT_EQ(set->str(), "OK");

  absl::StatusOr<RedisReply> get = client().Execute({"GET", key}, Soon());
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->type(), RedisReply::Type::kString);
  EXPECT_EQ(get->str(), value);

  absl::StatusOr<RedisReply> missing = client().Execute({"GET", "fw:{t}:missing"}, Soon());
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_TRUE(missing->is_nil());
}

TEST_F(RedisClientTest, ReturnsIntegersAndArrays) {
  absl::StatusOr<RedisReply> pushed =
      client().Execute({"RPUSH", "fw:{t}:list", "a", "b", "c"}, Soon());
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_EQ(pushed->type(), RedisReply::Type::kInteger);
  EXPECT_EQ(pushed->integer(), 3);

  absl::StatusOr<RedisReply> range = client().Execute({"LRANGE", "fw:{t}:list", "0", "-1"}, Soon());
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(*range, RedisReply::Array({RedisReply::String("a"), RedisReply::String("b"),
                                       RedisReply::String("c")}));
}

TEST_F(RedisClientTest, ErrorReplyIsInternalAndTheConnectionStaysUsable) {
  ASSERT_TRUE(client().Execute({"SET", "fw:{t}:s", "x"}, Soon()).ok());
  const absl::Status wrong_type = client().Execute({"LPUSH", "fw:{t}:s", "y"}, Soon()).status();
  EXPECT_TRUE(absl::IsInternal(wrong_type)) << wrong_type;
  EXPECT_TRUE(absl::StrContains(wrong_type.message(), "WRONGTYPE")) << wrong_type;
  EXPECT_TRUE(absl::IsInternal(client().Execute({"NOSUCHCOMMAND"}, Soon()).status()));

  absl::StatusOr<RedisReply> echo = client().Execute({"ECHO", "still here"}, Soon());
  ASSERT_TRUE(echo.ok()) << echo.status();
  EXPECT_EQ(echo->str(), "still here");
  EXPECT_EQ(client().open_connections(), 1);
}

TEST_F(RedisClientTest, PipelineAnswersEachCommandInOrderAndKeepsErrorReplies) {
  absl::StatusOr<std::vector<RedisReply>> replies = client().Pipeline({{"SET", "fw:{t}:n", "41"},
                                                                       {"INCR", "fw:{t}:n"},
                                                                       {"LPUSH", "fw:{t}:n", "x"},
                                                                       {"GET", "fw:{t}:n"},
                                                                       {"GET", "fw:{t}:none"}},
                                                                      Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 5u);
  EXPECT_EQ((*replies)[0], RedisReply::Status("OK"));
  EXPECT_EQ((*replies)[1], RedisReply::Integer(42));
  EXPECT_TRUE((*replies)[2].is_error());
  EXPECT_TRUE(absl::StartsWith((*replies)[2].str(), "WRONGTYPE"));
  EXPECT_EQ((*replies)[3], RedisReply::String("42"));
  EXPECT_TRUE((*replies)[4].is_nil());

  absl::StatusOr<std::vector<RedisReply>> none = client().Pipeline({}, Soon());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(absl::IsInvalidArgument(client().Pipeline({{}}, Soon()).status()));
}

TEST_F(RedisClientTest, PipelineOfManyCommandsUsesOneConnection) {
  std::vector<RedisCommand> commands;
  for (int i = 0; i < 1000; ++i) commands.push_back({"RPUSH", "fw:{t}:many", absl::StrCat(i)});
  absl::StatusOr<std::vector<RedisReply>> replies = client().Pipeline(commands, Soon());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 1000u);
  EXPECT_EQ(replies->back(), RedisReply::Integer(1000));
  EXPECT_EQ(client().open_connections(), 1);
}

TEST_F(RedisClientTest, EvalShaFallsBackToEvalAfterScriptFlush) {
  const Script script("test_concat", "return ARGV[1] .. redis.call('GET', KEYS[1])");
  ASSERT_TRUE(client().Execute({"SET", "fw:{t}:v", "world"}, Soon()).ok());
  absl::StatusOr<RedisReply> first = client().Eval(script, {"fw:{t}:v"}, {"hello "}, Soon());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->str(), "hello world");
  EXPECT_EQ(*redis().Command({"SCRIPT", "EXISTS", script.sha1()}), "1");

  ASSERT_TRUE(redis().Command({"SCRIPT", "FLUSH"}).ok());
  ASSERT_EQ(*redis().Command({"SCRIPT", "EXISTS", script.sha1()}), "0");
  absl::StatusOr<RedisReply> again = client().Eval(script, {"fw:{t}:v"}, {"bye "}, Soon());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->str(), "bye world");
  EXPECT_EQ(*redis().Command({"SCRIPT", "EXISTS", script.sha1()}), "1");
}

TEST_F(RedisClientTest, EvalThenRunsTheCommandsAfterTheScriptInOneRoundTrip) {
  const Script script("test_set_then", "redis.call('SET', KEYS[1], ARGV[1]) return 'set'");
  ASSERT_TRUE(redis().Command({"SCRIPT", "FLUSH"}).ok());
  std::vector<RedisReply> then;
  // Not loaded yet: EVALSHA fails with NOSCRIPT, and both the script and the reads run again.
  absl::StatusOr<RedisReply> first = client().EvalThen(
      script, {"fw:{t}:k"}, {"one"}, {{"GET", "fw:{t}:k"}, {"INCR", "fw:{t}:k"}}, &then, Soon());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->str(), "set");
  ASSERT_EQ(then.size(), 2u);
  EXPECT_EQ(then[0], RedisReply::String("one"));  // written by the script just before
  EXPECT_TRUE(then[1].is_error());                // error replies stay in place

  const Script refusing("test_refuse", "return redis.error_reply('FW_BUSY ' .. KEYS[1])");
  const absl::StatusOr<RedisReply> refused =
      client().EvalThen(refusing, {"fw:{t}:k"}, {}, {{"GET", "fw:{t}:k"}}, &then, Soon());
  EXPECT_TRUE(IsCalendarBusy(refused.status())) << refused.status();
  ASSERT_EQ(then.size(), 1u);
  EXPECT_EQ(then[0], RedisReply::String("one"));
}

TEST_F(RedisClientTest, ScriptSha1MatchesWhatRedisComputes) {
  const Script script("test_sha", "return 1");
  EXPECT_EQ(*redis().Command({"SCRIPT", "LOAD", script.source()}), script.sha1());
}

TEST_F(RedisClientTest, ScriptBusinessErrorsBecomeDistinguishableStatuses) {
  const Script script("test_fail", "return redis.error_reply(ARGV[1] .. ' ' .. KEYS[1])");
  const absl::Status lost =
      client().Eval(script, {"fw:{t}:lock:member:m1"}, {"FW_LOCK_LOST"}, Soon()).status();
  EXPECT_TRUE(IsLockLost(lost)) << lost;
  EXPECT_EQ(lost.message(), "lock lost on fw:{t}:lock:member:m1");
  const absl::Status precondition =
      client().Eval(script, {"fw:{t}:event:e1"}, {"FW_PRECONDITION"}, Soon()).status();
  EXPECT_TRUE(IsPreconditionFailed(precondition)) << precondition;
  const absl::Status other = client().Eval(script, {"fw:{t}:x"}, {"FW_SOMETHING"}, Soon()).status();
  EXPECT_TRUE(absl::IsInternal(other)) << other;
  const absl::Status runtime =
      client().Eval(Script("test_bad", "return redis.call('NOSUCH')"), {}, {}, Soon()).status();
  EXPECT_TRUE(absl::IsInternal(runtime)) << runtime;
}

TEST_F(RedisClientTest, PingAnswers) { EXPECT_TRUE(client().Ping(Soon()).ok()); }

TEST_F(RedisClientTest, PassedDeadlineFailsWithoutTouchingRedis) {
  const absl::Status late = client().Execute({"SET", "fw:{t}:late", "x"}, absl::Now()).status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(late)) << late;
  EXPECT_FALSE(Exists("fw:{t}:late"));
}

TEST_F(RedisClientTest, ManyThreadsShareTheBoundedPool) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 200;
  std::vector<std::thread> threads;
  std::vector<int> wrong_answers(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string mine = absl::StrCat("thread ", t, " call ", i);
        absl::StatusOr<std::vector<RedisReply>> replies =
            client().Pipeline({{"ECHO", mine}, {"INCR", "fw:{t}:counter"}}, Soon());
        if (!replies.ok() || (*replies)[0].str() != mine) ++wrong_answers[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(wrong_answers[t], 0) << "thread " << t;
  EXPECT_EQ(Peek("fw:{t}:counter"), absl::StrCat(kThreads * kCallsPerThread));
  EXPECT_LE(client().open_connections(), 4);
}

TEST_F(RedisClientTest, WaitingForABusyPoolEndsAtTheDeadline) {
  absl::StatusOr<std::unique_ptr<PooledRedisClient>> single = ClientFor(redis().url(), 1);
  ASSERT_TRUE(single.ok()) << single.status();
  absl::StatusOr<RedisReply> popped;
  std::thread blocked([&] { popped = (*single)->Execute({"BLPOP", "fw:{t}:queue", "0"}, Soon()); });
  ASSERT_TRUE(testing::WaitFor(
                  [&] {
                    absl::StatusOr<std::string> info = redis().Command({"INFO", "clients"});
                    return info.ok() && absl::StrContains(*info, "blocked_clients:1");
                  },
                  absl::Seconds(10), "the BLPOP to block")
                  .ok());

  const absl::Time start = absl::Now();
  const absl::Status waited =
      (*single)->Execute({"PING"}, start + absl::Milliseconds(100)).status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(waited)) << waited;
  EXPECT_TRUE(absl::StrContains(waited.message(), "busy")) << waited;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));

  ASSERT_TRUE(redis().Command({"LPUSH", "fw:{t}:queue", "job"}).ok());
  blocked.join();
  ASSERT_TRUE(popped.ok()) << popped.status();
  EXPECT_EQ(*popped,
            RedisReply::Array({RedisReply::String("fw:{t}:queue"), RedisReply::String("job")}));
  EXPECT_TRUE((*single)->Ping(Soon()).ok());
}

TEST_F(RedisClientTest, ReportsCommandLatencyByCommand) {
  ASSERT_TRUE(client().Execute({"GET", "fw:{t}:x"}, Soon()).ok());
  const std::string metrics = Metrics::Global().RenderPrometheus();
  EXPECT_TRUE(absl::StrContains(metrics, "fieldwork_redis_command_seconds_count{command=\"GET\"}"))
      << metrics;
  EXPECT_TRUE(absl::StrContains(metrics, "fieldwork_redis_connects_total{outcome=\"ok\"}"))
      << metrics;
}

}  // namespace
}  // namespace fieldwork
