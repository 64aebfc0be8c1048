// Slot routing, redirections and slot-map refreshes for Redis Cluster.
#include "common/redis/cluster_redis_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/command_keys.h"

namespace fieldwork {
namespace {

// MOVED / ASK redirections one call follows before giving up (a healthy cluster needs one or two).
constexpr int kMaxRedirects = 16;
constexpr absl::Duration kFirstRetryDelay = absl::Milliseconds(10);
constexpr absl::Duration kMaxRetryDelay = absl::Milliseconds(200);

// Sleeps for `delay`, or until `deadline` when that comes first: back-off between retries while
// the cluster moves a slot or promotes a replica.
void BackOff(absl::Duration& delay, absl::Time deadline) {
  absl::SleepFor(std::min(delay, std::max(absl::ZeroDuration(), deadline - absl::Now())));
  delay = std::min(delay * 2, kMaxRetryDelay);
}

bool IsRetryLater(const RedisReply& reply) {
  return reply.is_error() && (absl::StartsWith(reply.str(), "TRYAGAIN") ||
                              absl::StartsWith(reply.str(), "CLUSTERDOWN"));
}

void CountRedirect(absl::string_view kind) {
  Metrics::Global().Increment("fieldwork_redis_cluster_redirects_total",
                              "Redis Cluster redirections and retries followed, by kind.",
                              {{"kind", std::string(kind)}});
}

}  // namespace

std::shared_ptr<PooledRedisClient> ClusterRedisClient::Node(const ClusterNodeAddress& address) {
  const std::string name = address.ToString();
  absl::MutexLock lock(&mu_);
  std::shared_ptr<PooledRedisClient>& node = nodes_[name];
  if (node == nullptr) {
    RedisEndpoint endpoint = deployment_.nodes.front();  // credentials
    endpoint.host = address.host;
    endpoint.port = address.port;
    endpoint.db = 0;
    node = PooledRedisClient::ForEndpoint(config_, std::move(endpoint), deployment_.wait);
  }
  return node;
}

std::string ClusterRedisClient::MasterOfSlot(int slot) const {
  absl::MutexLock lock(&mu_);
  if (!slots_) return "";
  std::optional<ClusterNodeAddress> master = slots_->MasterOf(slot);
  return master ? master->ToString() : "";
}

absl::Status ClusterRedisClient::RefreshSlotMap(absl::Time deadline) {
  std::vector<ClusterNodeAddress> candidates;
  {
    absl::MutexLock lock(&mu_);
    if (refreshing_) {
      // One refresh at a time: wait for its outcome, but never past this call's deadline.
      const auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !refreshing_; };
      if (!mu_.AwaitWithDeadline(absl::Condition(&done), deadline)) {
        return absl::DeadlineExceededError(
            "deadline passed while another call was loading the Redis Cluster slot map");
      }
      return last_refresh_;
    }
    refreshing_ = true;
    if (slots_) candidates = slots_->masters();
  }
  for (const RedisEndpoint& seed : deployment_.nodes) candidates.push_back({seed.host, seed.port});
  absl::StatusOr<ClusterSlotMap> map = FetchSlotMap(candidates, deadline);
  absl::MutexLock lock(&mu_);
  refreshing_ = false;
  last_refresh_ = map.status();
  if (map.ok()) slots_ = *std::move(map);
  return last_refresh_;
}

absl::StatusOr<ClusterSlotMap> ClusterRedisClient::FetchSlotMap(
    const std::vector<ClusterNodeAddress>& candidates, absl::Time deadline) {
  absl::Status last = absl::UnavailableError("no Redis Cluster node configured");
  for (const ClusterNodeAddress& candidate : candidates) {
    if (absl::Now() >= deadline) break;
    absl::StatusOr<RedisReply> reply = Node(candidate)->Execute(
        {"CLUSTER", "SLOTS"}, std::min(deadline, absl::Now() + config_.command_timeout));
    if (!reply.ok()) {
      last = reply.status();
      continue;
    }
    absl::StatusOr<ClusterSlotMap> map = ClusterSlotMap::FromClusterSlots(*reply, candidate.host);
    if (!map.ok() || map->masters().empty()) {
      last =
          map.ok()
              ? absl::UnavailableError(absl::StrCat(candidate.ToString(), " knows no slot owners"))
              : map.status();
      continue;
    }
    Metrics::Global().Increment("fieldwork_redis_cluster_slot_refreshes_total",
                                "Redis Cluster slot maps loaded.", {});
    return map;
  }
  return absl::UnavailableError(
      absl::StrCat("no Redis Cluster node answered CLUSTER SLOTS: ", last.message()));
}

absl::StatusOr<std::shared_ptr<PooledRedisClient>> ClusterRedisClient::NodeForSlot(
    int slot, absl::Time deadline) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<ClusterNodeAddress> master;
    {
      absl::MutexLock lock(&mu_);
      if (slots_) {
        master = slot >= 0 ? slots_->MasterOf(slot) : slots_->masters().front();
      }
    }
    if (master) return Node(*master);
    if (attempt == 0) {
      if (absl::Status refreshed = RefreshSlotMap(deadline); !refreshed.ok()) return refreshed;
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no Redis Cluster master serves slot ", slot, " right now"));
}

absl::StatusOr<std::vector<RedisReply>> ClusterRedisClient::Pipeline(
    const std::vector<RedisCommand>& commands, absl::Time deadline) {
  if (commands.empty()) return std::vector<RedisReply>();
  for (const RedisCommand& command : commands) {
    if (command.empty()) return absl::InvalidArgumentError("empty Redis command");
  }
  absl::StatusOr<int> slot = BatchSlot(commands);
  if (!slot.ok()) return slot.status();
  if (std::all_of(commands.begin(), commands.end(), IsBroadcastCommand)) {
    return Broadcast(commands, deadline);
  }

  std::vector<RedisReply> results(commands.size());
  std::vector<size_t> pending(commands.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  std::shared_ptr<PooledRedisClient> node;
  bool asking = false;
  int redirects = 0;
  absl::Duration delay = kFirstRetryDelay;
  // What to report if the deadline passes: OK once Redis answered (the results then hold its
  // redirection or TRYAGAIN replies), else the last reason nothing could be sent.
  absl::Status last = absl::DeadlineExceededError("deadline passed before the Redis call");
  while (true) {
    if (absl::Now() >= deadline) {
      if (last.ok()) return results;  // the redirection or TRYAGAIN replies, as Redis gave them
      return absl::DeadlineExceededError(
          absl::StrCat("deadline passed while following Redis Cluster changes: ", last.message()));
    }
    if (node == nullptr) {
      absl::StatusOr<std::shared_ptr<PooledRedisClient>> found = NodeForSlot(*slot, deadline);
      if (absl::IsFailedPrecondition(found.status())) {  // a failover is still promoting a replica
        last = found.status();
        BackOff(delay, deadline);
        continue;
      }
      if (!found.ok()) return found.status();
      node = *std::move(found);
    }
    std::vector<RedisCommand> batch;
    for (size_t i : pending) {
      if (asking) batch.push_back({"ASKING"});
      batch.push_back(commands[i]);
    }
    absl::StatusOr<std::vector<RedisReply>> replies = node->Pipeline(batch, deadline);
    if (!replies.ok()) {
      if (!absl::IsUnavailable(replies.status())) return replies.status();
      // The node is gone; its slots may have a new master. Learn the new map now, so that this
      // call (when nothing was sent) or the caller's retry goes to the right node.
      if (absl::Status refreshed = RefreshSlotMap(deadline); !refreshed.ok()) return refreshed;
      if (!FailedBeforeSending(replies.status())) return replies.status();
      CountRedirect("unreachable");
      last = replies.status();
      node = nullptr;
      asking = false;
      BackOff(delay, deadline);
      continue;
    }
    std::vector<size_t> still_pending;
    std::optional<ClusterRedirect> redirect;
    bool cluster_down = false;
    for (size_t k = 0; k < pending.size(); ++k) {
      RedisReply& reply = (*replies)[asking ? 2 * k + 1 : k];
      std::optional<ClusterRedirect> this_redirect =
          reply.is_error() ? ParseClusterRedirect(reply.str()) : std::nullopt;
      if (this_redirect || IsRetryLater(reply)) {
        still_pending.push_back(pending[k]);
        if (this_redirect && !redirect) redirect = this_redirect;
        cluster_down = cluster_down || absl::StartsWith(reply.str(), "CLUSTERDOWN");
      }
      results[pending[k]] = std::move(reply);
    }
    if (still_pending.empty()) return results;
    pending = std::move(still_pending);
    last = absl::OkStatus();
    if (redirect) {
      if (++redirects > kMaxRedirects) return results;
      asking = redirect->kind == ClusterRedirect::Kind::kAsk;
      CountRedirect(asking ? "ask" : "moved");
      if (!asking) RefreshSlotMap(deadline).IgnoreError();  // the named node is used either way
      node = Node(redirect->target);
      continue;
    }
    CountRedirect(cluster_down ? "clusterdown" : "tryagain");
    if (cluster_down) RefreshSlotMap(deadline).IgnoreError();
    node = nullptr;
    asking = false;
    BackOff(delay, deadline);
  }
}

absl::StatusOr<std::vector<ClusterNodeAddress>> ClusterRedisClient::Masters(absl::Time deadline) {
  // Learns the slot map first when there is none yet.
  if (absl::StatusOr<std::shared_ptr<PooledRedisClient>> any = NodeForSlot(-1, deadline);
      !any.ok()) {
    return any.status();
  }
  absl::MutexLock lock(&mu_);
  return slots_->masters();
}

absl::StatusOr<std::vector<RedisReply>> ClusterRedisClient::Broadcast(
    const std::vector<RedisCommand>& commands, absl::Time deadline) {
  absl::StatusOr<std::vector<ClusterNodeAddress>> masters = Masters(deadline);
  if (!masters.ok()) return masters.status();
  std::optional<std::vector<RedisReply>> first;
  for (const ClusterNodeAddress& master : *masters) {
    absl::StatusOr<std::vector<RedisReply>> replies = Node(master)->Pipeline(commands, deadline);
    if (!replies.ok()) return replies.status();
    const bool has_error = std::any_of(replies->begin(), replies->end(),
                                       [](const RedisReply& reply) { return reply.is_error(); });
    if (!first || has_error) first = *std::move(replies);
    if (has_error) break;
  }
  return *std::move(first);
}

absl::Status ClusterRedisClient::Ping(absl::Time deadline) {
  absl::StatusOr<std::vector<ClusterNodeAddress>> masters = Masters(deadline);
  if (!masters.ok()) return masters.status();
  for (const ClusterNodeAddress& master : *masters) {
    absl::StatusOr<RedisReply> reply = Node(master)->Execute({"PING"}, deadline);
    if (!reply.ok()) {
      return absl::Status(
          reply.status().code(),
          absl::StrCat("Redis Cluster master ", master.ToString(), ": ", reply.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace fieldwork
