// Choosing a standalone Redis, a Redis Cluster or a Sentinel deployment for a service test from
// the environment.
#include "tests/harness/redis_under_test.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fieldwork::testing {

std::string RedisUnderTest::RequestedKind() {
  const char* chosen = std::getenv("FIELDWORK_TEST_REDIS");
  return chosen == nullptr || *chosen == '\0' ? "standalone" : chosen;
}

absl::StatusOr<std::unique_ptr<RedisUnderTest>> RedisUnderTest::Start() {
  const std::string kind = RequestedKind();
  std::unique_ptr<RedisUnderTest> redis(new RedisUnderTest());
  if (kind == "cluster") {
    absl::StatusOr<std::unique_ptr<RedisCluster>> cluster = RedisCluster::Start();
    if (!cluster.ok()) return cluster.status();
    redis->cluster_ = *std::move(cluster);
  } else if (kind == "sentinel") {
    absl::StatusOr<std::unique_ptr<RedisSentinelDeployment>> sentinel =
        RedisSentinelDeployment::Start();
    if (!sentinel.ok()) return sentinel.status();
    redis->sentinel_ = *std::move(sentinel);
  } else if (kind == "standalone") {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    if (!server.ok()) return server.status();
    redis->server_ = *std::move(server);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("FIELDWORK_TEST_REDIS=\"", kind,
                     "\"; expected standalone (the default), cluster or sentinel"));
  }
  return redis;
}

std::string RedisUnderTest::url() const {
  if (is_cluster()) return cluster_->url();
  if (is_sentinel()) return sentinel_->url() + "?wait=1&wait_timeout_ms=1000";
  return server_->url();
}

absl::StatusOr<std::string> RedisUnderTest::Command(const std::vector<std::string>& args,
                                                    absl::Duration timeout) const {
  if (is_sentinel()) {
    absl::StatusOr<int> master = sentinel_->MasterPort();
    if (!master.ok()) return master.status();
    return sentinel_->ServerAt(*master)->Command(args, timeout);
  }
  if (!is_cluster()) return server_->Command(args, timeout);
  if (args.size() < 2) {
    return absl::InvalidArgumentError("a cluster command needs a key as its second argument");
  }
  absl::StatusOr<int> owner = MasterPortOfKey(args[1]);
  if (!owner.ok()) return owner.status();
  return cluster_->NodeAt(*owner)->Command(args, timeout);
}

absl::StatusOr<int> RedisUnderTest::MasterPortOfKey(const std::string& key) const {
  if (is_sentinel()) return sentinel_->MasterPort();
  if (!is_cluster()) return server_->port();
  absl::StatusOr<std::string> slot_text =
      cluster_->nodes().front()->Command({"CLUSTER", "KEYSLOT", key});
  if (!slot_text.ok()) return slot_text.status();
  int slot = 0;
  if (!absl::SimpleAtoi(*slot_text, &slot)) {
    return absl::InternalError(absl::StrCat("CLUSTER KEYSLOT answered \"", *slot_text, "\""));
  }
  return cluster_->MasterPortOfSlot(slot);
}

absl::StatusOr<std::vector<int>> RedisUnderTest::MasterPorts() const {
  if (is_cluster()) return cluster_->MasterPorts();
  const absl::StatusOr<int> master =
      is_sentinel() ? sentinel_->MasterPort() : absl::StatusOr<int>(server_->port());
  if (!master.ok()) return master.status();
  return std::vector<int>{*master};
}

absl::StatusOr<std::vector<std::string>> RedisUnderTest::OrganizationsOverMasters(
    const std::string& prefix, int count) const {
  absl::StatusOr<std::vector<int>> masters = MasterPorts();
  if (!masters.ok()) return masters.status();
  std::map<int, int> taken;  // master port → ids placed there
  for (int port : *masters) taken[port] = 0;
  std::vector<std::string> ids;
  // A candidate is kept only on a master holding the fewest ids so far; slots are spread evenly
  // enough that a few dozen candidates always suffice.
  for (int n = 0; static_cast<int>(ids.size()) < count && n < 100 * count; ++n) {
    std::string id = absl::StrCat(prefix, n);
    absl::StatusOr<int> owner = MasterPortOfKey(absl::StrCat("{", id, "}"));
    if (!owner.ok()) return owner.status();
    int fewest = taken.begin()->second;
    for (const auto& [port, placed] : taken) fewest = std::min(fewest, placed);
    if (auto master = taken.find(*owner); master != taken.end() && master->second == fewest) {
      ++master->second;
      ids.push_back(std::move(id));
    }
  }
  if (static_cast<int>(ids.size()) < count) {
    return absl::InternalError(absl::StrCat("no ", count, " organizations \"", prefix,
                                            "<n>\" spread over ", masters->size(), " masters"));
  }
  return ids;
}

absl::Status RedisUnderTest::CheckOrganizationsOnEveryMaster(
    const std::vector<std::string>& organizations) const {
  absl::StatusOr<std::vector<int>> masters = MasterPorts();
  if (!masters.ok()) return masters.status();
  if (is_cluster() && masters->size() < 2) {
    return absl::FailedPreconditionError(
        absl::StrCat("the cluster has ", masters->size(), " master(s); expected several"));
  }
  std::set<int> used;
  for (const std::string& organization : organizations) {
    absl::StatusOr<int> master = MasterPortOfKey(absl::StrCat("{", organization, "}"));
    if (!master.ok()) return master.status();
    used.insert(*master);
  }
  if (used != std::set<int>(masters->begin(), masters->end())) {
    return absl::FailedPreconditionError(
        absl::StrCat("organizations ", absl::StrJoin(organizations, ", "), " are on masters ",
                     absl::StrJoin(used, ", "), " of ", absl::StrJoin(*masters, ", ")));
  }
  return absl::OkStatus();
}

absl::Status RedisUnderTest::CheckEveryMasterHoldsKeys() const {
  absl::StatusOr<std::vector<int>> masters = MasterPorts();
  if (!masters.ok()) return masters.status();
  std::vector<int> empty;
  for (int master : *masters) {
    RedisServer* server = ServerAt(master);
    if (server == nullptr) return absl::NotFoundError(absl::StrCat("no server on port ", master));
    absl::StatusOr<std::string> keys = server->Command({"DBSIZE"});
    if (!keys.ok()) return keys.status();
    if (*keys == "0") empty.push_back(master);
  }
  if (!empty.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("masters ", absl::StrJoin(empty, ", "), " hold no key"));
  }
  return absl::OkStatus();
}

RedisServer* RedisUnderTest::ServerAt(int port) const {
  if (is_cluster()) return cluster_->NodeAt(port);
  if (is_sentinel()) return sentinel_->ServerAt(port);
  return server_.get();
}

}  // namespace fieldwork::testing
