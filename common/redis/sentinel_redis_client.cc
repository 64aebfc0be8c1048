// Master discovery through Redis Sentinel and failover-following routing.
#include "common/redis/sentinel_redis_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/redis_connection.h"

namespace fieldwork {
namespace {

// Rounds of asking every sentinel while a failover is in progress (a sentinel names a node that
// is not yet a master); each round after the first waits a little longer.
constexpr int kDiscoveryRounds = 40;
constexpr absl::Duration kFirstRetryDelay = absl::Milliseconds(20);
constexpr absl::Duration kMaxRetryDelay = absl::Milliseconds(250);
// Calls tried on a master before giving up (each try after a READONLY or unreachable master).
constexpr int kMaxAttempts = 4;

bool AnyReadOnlyReply(const std::vector<RedisReply>& replies) {
  for (const RedisReply& reply : replies) {
    if (reply.is_error() && absl::StartsWith(reply.str(), "READONLY")) return true;
  }
  return false;
}

// Sleeps for `delay`, or until `deadline` when that comes first. Production back-off between
// retries, not a test waiting for a condition.
void BackOff(absl::Duration delay, absl::Time deadline) {
  absl::SleepFor(std::min(delay, std::max(absl::ZeroDuration(), deadline - absl::Now())));
}

std::string Address(const RedisEndpoint& endpoint) {
  return absl::StrCat(endpoint.host, ":", endpoint.port);
}

}  // namespace

std::string SentinelRedisClient::current_master() const {
  absl::MutexLock lock(&mu_);
  return master_ == nullptr ? std::string() : Address(master_->endpoint());
}

absl::StatusOr<std::vector<RedisReply>> SentinelRedisClient::Pipeline(
    const std::vector<RedisCommand>& commands, absl::Time deadline) {
  absl::Status last = absl::UnavailableError("no attempt made");
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("deadline passed while following a Redis failover: ", last.message()));
    }
    absl::StatusOr<std::shared_ptr<PooledRedisClient>> master = Master(deadline);
    if (!master.ok()) return master.status();
    absl::StatusOr<std::vector<RedisReply>> replies = (*master)->Pipeline(commands, deadline);
    if (replies.ok() && !AnyReadOnlyReply(*replies)) return replies;
    if (absl::IsDeadlineExceeded(replies.status())) {
      // A master that stopped answering may have been replaced: the next call asks again.
      Forget(*master);
      return replies;
    }
    if (!replies.ok() && !absl::IsUnavailable(replies.status())) return replies;
    Forget(*master);
    if (!replies.ok() && !FailedBeforeSending(replies.status())) return replies;
    last = replies.ok()
               ? absl::UnavailableError(absl::StrCat("Redis at ", Address((*master)->endpoint()),
                                                     " answered READONLY: it is a replica now"))
               : replies.status();
  }
  return absl::UnavailableError(absl::StrCat("Redis master kept changing after ", kMaxAttempts,
                                             " attempts: ", last.message()));
}

absl::StatusOr<std::shared_ptr<PooledRedisClient>> SentinelRedisClient::Master(
    absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    // One discovery at a time; the others wait for its outcome, but never past their deadline.
    const auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return master_ != nullptr || !discovering_;
    };
    if (!mu_.AwaitWithDeadline(absl::Condition(&settled), deadline)) {
      return absl::DeadlineExceededError(
          "deadline passed while another call was discovering the Redis master");
    }
    if (master_ != nullptr) return master_;
    discovering_ = true;
  }
  absl::StatusOr<RedisEndpoint> endpoint = Discover(deadline);
  Metrics::Global().Increment("fieldwork_redis_sentinel_discoveries_total",
                              "Master discoveries through Redis Sentinel, by outcome.",
                              {{"outcome", endpoint.ok() ? "ok" : "error"}});
  absl::MutexLock lock(&mu_);
  discovering_ = false;
  if (!endpoint.ok()) return endpoint.status();
  master_ = PooledRedisClient::ForEndpoint(config_, *std::move(endpoint), deployment_.wait);
  return master_;
}

void SentinelRedisClient::Forget(const std::shared_ptr<PooledRedisClient>& failed) {
  absl::MutexLock lock(&mu_);
  if (master_ == failed) master_ = nullptr;
}

absl::StatusOr<RedisEndpoint> SentinelRedisClient::Discover(absl::Time deadline) const {
  absl::Duration delay = kFirstRetryDelay;
  absl::Status last = absl::UnavailableError("no sentinel asked");
  for (int round = 0; round < kDiscoveryRounds && absl::Now() < deadline; ++round) {
    bool any_sentinel_answered = false;
    for (const RedisEndpoint& sentinel : deployment_.nodes) {
      absl::StatusOr<RedisEndpoint> master = AskSentinel(sentinel, deadline);
      if (master.ok()) return master;
      last = master.status();
      // AskSentinel is FAILED_PRECONDITION when the sentinel named a master that is not (yet)
      // usable: a failover is in progress and another round may succeed.
      any_sentinel_answered = any_sentinel_answered || absl::IsFailedPrecondition(last);
    }
    if (!any_sentinel_answered) break;
    BackOff(delay, deadline);
    delay = std::min(delay * 2, kMaxRetryDelay);
  }
  return absl::UnavailableError(absl::StrCat("no Redis master for \"", deployment_.master_name,
                                             "\" from ", deployment_.nodes.size(),
                                             " sentinels: ", last.message()));
}

absl::StatusOr<RedisEndpoint> SentinelRedisClient::AskSentinel(const RedisEndpoint& sentinel,
                                                               absl::Time deadline) const {
  RedisEndpoint sentinel_only = sentinel;  // sentinels are asked without AUTH and SELECT
  sentinel_only.username.clear();
  sentinel_only.password.clear();
  sentinel_only.db = 0;
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(sentinel_only, config_.connect_timeout, deadline);
  if (!connection.ok()) return connection.status();
  const absl::Time call_deadline = std::min(deadline, absl::Now() + config_.command_timeout);
  absl::StatusOr<std::vector<RedisReply>> replies =
      (*connection)
          ->RoundTrip({{"SENTINEL", "get-master-addr-by-name", deployment_.master_name}},
                      call_deadline);
  if (!replies.ok()) return replies.status();
  const RedisReply& address = replies->front();
  RedisEndpoint master = sentinel;  // credentials and database of the data nodes
  if (address.is_error() || address.elements().size() != 2 ||
      !absl::SimpleAtoi(address.elements()[1].str(), &master.port)) {
    return absl::NotFoundError(absl::StrCat("sentinel ", Address(sentinel),
                                            " does not know master \"", deployment_.master_name,
                                            "\": ", address.DebugString()));
  }
  master.host = address.elements()[0].str();
  absl::StatusOr<std::unique_ptr<RedisConnection>> node =
      RedisConnection::Open(master, config_.connect_timeout, deadline);
  if (!node.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("sentinel ", Address(sentinel), " named master ", Address(master),
                     ", which cannot be reached: ", node.status().message()));
  }
  absl::StatusOr<std::vector<RedisReply>> role =
      (*node)->RoundTrip({{"ROLE"}}, std::min(deadline, absl::Now() + config_.command_timeout));
  if (!role.ok()) return role.status();
  const RedisReply& role_reply = role->front();
  if (role_reply.elements().empty() || role_reply.elements().front().str() != "master") {
    return absl::FailedPreconditionError(absl::StrCat("sentinel ", Address(sentinel), " named ",
                                                      Address(master), ", whose ROLE is ",
                                                      role_reply.DebugString()));
  }
  return master;
}

}  // namespace fieldwork
