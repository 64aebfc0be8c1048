// The pooled standalone Redis client, with its latency and error metrics.
#include "common/redis/pooled_redis_client.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/command_keys.h"

namespace fieldwork {
namespace {

// The metric label for a batch: the command name, or PIPELINE for several commands.
std::string CommandLabel(const std::vector<RedisCommand>& commands) {
  if (commands.size() != 1) return "PIPELINE";
  return absl::AsciiStrToUpper(commands.front().front());
}

void Observe(const std::string& command, const absl::Status& status, absl::Duration latency) {
  Metrics::Global().ObserveSeconds("fieldwork_redis_command_seconds",
                                   "Latency of Redis commands and pipelines by command.",
                                   {{"command", command}}, absl::ToDoubleSeconds(latency));
  if (!status.ok()) {
    Metrics::Global().Increment(
        "fieldwork_redis_command_failures_total",
        "Redis commands that failed to complete (no reply), by command and status code.",
        {{"command", command}, {"code", absl::StatusCodeToString(status.code())}});
  }
}

constexpr absl::string_view kNotSentPayloadUrl = "type.fieldwork.dev/fieldwork.redis.NotSent";

bool AnyMayWrite(const std::vector<RedisCommand>& commands) {
  for (const RedisCommand& command : commands) {
    if (CommandMayWrite(command)) return true;
  }
  return false;
}

}  // namespace

bool FailedBeforeSending(const absl::Status& status) {
  return status.GetPayload(kNotSentPayloadUrl).has_value();
}

absl::StatusOr<std::unique_ptr<PooledRedisClient>> PooledRedisClient::Create(
    const RedisConfig& config) {
  if (absl::Status valid = ValidateRedisConfig(config); !valid.ok()) return valid;
  absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(config.url);
  if (!deployment.ok()) return deployment.status();
  if (deployment->topology != RedisTopology::kStandalone) {
    return absl::InvalidArgumentError(absl::StrCat("Redis URL \"", RedactRedisUrl(config.url),
                                                   "\" does not name one standalone server"));
  }
  return ForEndpoint(config, std::move(deployment->nodes.front()), deployment->wait);
}

std::unique_ptr<PooledRedisClient> PooledRedisClient::ForEndpoint(const RedisConfig& config,
                                                                  RedisEndpoint endpoint,
                                                                  RedisWaitPolicy wait) {
  return std::unique_ptr<PooledRedisClient>(
      new PooledRedisClient(config, std::move(endpoint), wait));
}

int PooledRedisClient::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

absl::StatusOr<std::unique_ptr<RedisConnection>> PooledRedisClient::Borrow(absl::Time deadline) {
  while (true) {
    std::unique_ptr<RedisConnection> idle;
    {
      absl::MutexLock lock(&mu_);
      const auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < config_.pool_size;
      };
      if (!mu_.AwaitWithDeadline(absl::Condition(&can_proceed), deadline)) {
        return absl::DeadlineExceededError(absl::StrCat(
            "all ", config_.pool_size, " Redis connections stayed busy until the deadline"));
      }
      if (idle_.empty()) {
        ++open_;
        break;
      }
      idle = std::move(idle_.back());
      idle_.pop_back();
    }
    // Checked outside the lock: the check is a system call, and every handler thread borrows.
    if (idle->IdleAndOpen()) return idle;
    idle.reset();  // closed by the server while idle
    absl::MutexLock lock(&mu_);
    --open_;
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(endpoint_, config_.connect_timeout, deadline);
  Metrics::Global().Increment("fieldwork_redis_connects_total",
                              "Connections opened to Redis, by outcome.",
                              {{"outcome", connection.ok() ? "ok" : "error"}});
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    absl::Status status = connection.status();
    status.SetPayload(kNotSentPayloadUrl, absl::Cord());
    return status;
  }
  return connection;
}

void PooledRedisClient::GiveBack(std::unique_ptr<RedisConnection> connection) {
  const bool reusable = !connection->broken();
  if (!reusable) connection.reset();  // freed now: a late reply must never reach another command
  absl::MutexLock lock(&mu_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
}

absl::StatusOr<std::vector<RedisReply>> PooledRedisClient::CheckWaitReply(
    const std::vector<RedisCommand>& commands, std::vector<RedisReply> replies) const {
  const RedisReply wait_reply = std::move(replies.back());
  replies.pop_back();
  bool wrote = false;
  for (size_t i = 0; i < commands.size(); ++i) {
    wrote = wrote || (CommandMayWrite(commands[i]) && !replies[i].is_error());
  }
  if (!wrote ||
      (wait_reply.type() == RedisReply::Type::kInteger && wait_reply.integer() >= wait_.replicas)) {
    return replies;
  }
  Metrics::Global().Increment("fieldwork_redis_wait_shortfalls_total",
                              "Writes that fewer replicas acknowledged than WAIT asked for.", {});
  return absl::UnavailableError(absl::StrCat(
      "Redis write at ", endpoint_.host, ":", endpoint_.port, " reached ", wait_reply.DebugString(),
      " of ", wait_.replicas, " replicas within ", absl::FormatDuration(wait_.timeout),
      " (applied on the master, not yet replicated)"));
}

absl::StatusOr<std::vector<RedisReply>> PooledRedisClient::Pipeline(
    const std::vector<RedisCommand>& commands, absl::Time deadline) {
  if (commands.empty()) return std::vector<RedisReply>();
  for (const RedisCommand& command : commands) {
    if (command.empty()) return absl::InvalidArgumentError("empty Redis command");
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<RedisReply>> replies;
  if (deadline <= start) {
    replies = absl::DeadlineExceededError("deadline passed before the Redis call");
  } else if (absl::StatusOr<std::unique_ptr<RedisConnection>> connection = Borrow(deadline);
             !connection.ok()) {
    replies = connection.status();
  } else {
    const bool wait = wait_.replicas > 0 && AnyMayWrite(commands);
    const absl::Time command_deadline =
        std::min(deadline, absl::Now() + config_.command_timeout +
                               (wait ? wait_.timeout : absl::ZeroDuration()));
    if (!wait) {
      replies = (*connection)->RoundTrip(commands, command_deadline);
    } else {
      std::vector<RedisCommand> with_wait = commands;
      with_wait.push_back({"WAIT", absl::StrCat(wait_.replicas),
                           absl::StrCat(absl::ToInt64Milliseconds(wait_.timeout))});
      replies = (*connection)->RoundTrip(with_wait, command_deadline);
      if (replies.ok()) replies = CheckWaitReply(commands, *std::move(replies));
    }
    GiveBack(*std::move(connection));
    if (absl::IsDeadlineExceeded(replies.status()) && command_deadline < deadline) {
      replies =
          absl::UnavailableError(absl::StrCat("Redis did not answer within the command timeout of ",
                                              absl::FormatDuration(config_.command_timeout)));
    }
  }
  Observe(CommandLabel(commands), replies.status(), absl::Now() - start);
  return replies;
}

void PooledRedisClient::PipelineAsync(const std::vector<RedisCommand>& commands,
                                      absl::Time deadline, PipelineDone done) {
  const bool well_formed = !commands.empty() && std::none_of(commands.begin(), commands.end(),
                                                             [](const RedisCommand& command) {
                                                               return command.empty();
                                                             });
  if (!PipelinesWithoutBlocking() || !well_formed) {
    return RedisClient::PipelineAsync(commands, deadline, std::move(done));
  }
  absl::call_once(multiplexed_once_, [this] {
    multiplexed_ = std::make_unique<MultiplexedConnection>(endpoint_, config_.connect_timeout,
                                                           config_.command_timeout);
  });
  multiplexed_->Send(
      commands, deadline,
      [command = CommandLabel(commands), start = absl::Now(),
       done = std::move(done)](absl::StatusOr<std::vector<RedisReply>> replies) mutable {
        Observe(command, replies.status(), absl::Now() - start);
        std::move(done)(std::move(replies));
      });
}

}  // namespace fieldwork
