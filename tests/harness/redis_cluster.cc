// Starting a local Redis Cluster and moving its slots, driven through redis-cli and CLUSTER
// commands on the harness's own connections.
#include "tests/harness/redis_cluster.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {
namespace {

constexpr absl::Duration kCreateTimeout = absl::Seconds(60);
constexpr absl::Duration kConvergeTimeout = absl::Seconds(30);

// One line of CLUSTER NODES.
struct NodeLine {
  std::string id;
  int port = 0;
  bool master = false;
  bool failed = false;
  std::vector<std::pair<int, int>> slot_ranges;
};

std::vector<NodeLine> ParseClusterNodes(absl::string_view text) {
  std::vector<NodeLine> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (fields.size() < 8) continue;
    NodeLine node;
    node.id = std::string(fields[0]);
    absl::string_view address = fields[1].substr(0, fields[1].find('@'));
    if (!absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &node.port)) continue;
    node.master = absl::StrContains(fields[2], "master");
    node.failed = absl::StrContains(fields[2], "fail");
    for (size_t i = 8; i < fields.size(); ++i) {
      if (absl::StartsWith(fields[i], "[")) continue;  // a slot being imported or migrated
      const std::pair<absl::string_view, absl::string_view> range =
          absl::StrSplit(fields[i], absl::MaxSplits('-', 1));
      int first = 0;
      int last = 0;
      if (!absl::SimpleAtoi(range.first, &first)) continue;
      if (range.second.empty()) {
        last = first;
      } else if (!absl::SimpleAtoi(range.second, &last)) {
        continue;
      }
      node.slot_ranges.emplace_back(first, last);
    }
    lines.push_back(std::move(node));
  }
  return lines;
}

// slot range start → owner port, as one node sees the cluster; a comparable summary.
std::map<int, int> OwnersSeenBy(const RedisServer& node) {
  std::map<int, int> owners;
  absl::StatusOr<std::string> text = node.Command({"CLUSTER", "NODES"}, absl::Seconds(2));
  if (!text.ok()) return owners;
  for (const NodeLine& line : ParseClusterNodes(*text)) {
    if (!line.master || line.failed) continue;
    for (const auto& [first, last] : line.slot_ranges) {
      for (int slot = first; slot <= last; ++slot) owners[slot] = line.port;
    }
  }
  return owners;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCluster>> RedisCluster::Start(
    const RedisClusterOptions& options) {
  std::unique_ptr<RedisCluster> cluster(new RedisCluster());
  cluster->log_dir_ = MakeTempDir("fieldwork-redis-cluster");
  const int count = options.masters * (1 + options.replicas_per_master);
  std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
  for (int i = 0; i < count; ++i) {
    RedisServerOptions node_options;
    node_options.extra_args = {
        "--cluster-enabled",      "yes",
        "--cluster-config-file",  "nodes.conf",
        "--cluster-node-timeout", absl::StrCat(absl::ToInt64Milliseconds(options.node_timeout)),
        "--cluster-port",         absl::StrCat(PickFreePort())};
    absl::StatusOr<std::unique_ptr<RedisServer>> node = RedisServer::Start(node_options);
    if (!node.ok()) return node.status();
    create.push_back(absl::StrCat("127.0.0.1:", (*node)->port()));
    cluster->nodes_.push_back(*std::move(node));
  }
  create.insert(create.end(),
                {"--cluster-replicas", absl::StrCat(options.replicas_per_master), "--cluster-yes"});
  absl::StatusOr<std::unique_ptr<ChildProcess>> cli =
      ChildProcess::Spawn(create, cluster->log_dir_ + "/cluster-create.log");
  if (!cli.ok()) return cli.status();
  absl::StatusOr<int> exit_code = (*cli)->Wait(kCreateTimeout);
  if (!exit_code.ok() || *exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "redis-cli --cluster create failed: ",
        exit_code.ok() ? absl::StrCat("exit ", *exit_code) : exit_code.status().ToString(), "\n",
        (*cli)->ReadLog()));
  }
  if (absl::Status healthy = cluster->WaitUntilHealthy(kConvergeTimeout); !healthy.ok()) {
    return healthy;
  }
  return cluster;
}

RedisCluster::~RedisCluster() {
  nodes_.clear();
  std::error_code ignored;
  std::filesystem::remove_all(log_dir_, ignored);
}

std::string RedisCluster::url() const {
  std::vector<std::string> seeds;
  for (const auto& node : nodes_) seeds.push_back(absl::StrCat("127.0.0.1:", node->port()));
  return absl::StrCat("redis-cluster://", absl::StrJoin(seeds, ","));
}

RedisServer* RedisCluster::NodeAt(int port) const {
  for (const auto& node : nodes_) {
    if (node->port() == port) return node.get();
  }
  return nullptr;
}

absl::Status RedisCluster::WaitUntilHealthy(absl::Duration timeout) const {
  return WaitFor(
      [this] {
        std::optional<std::map<int, int>> agreed;
        for (const auto& node : nodes_) {
          if (!node->running()) continue;
          absl::StatusOr<std::string> info = node->Command({"CLUSTER", "INFO"}, absl::Seconds(2));
          if (!info.ok() || !absl::StrContains(*info, "cluster_state:ok")) return false;
          std::map<int, int> owners = OwnersSeenBy(*node);
          if (owners.size() != 16384) return false;
          if (agreed && *agreed != owners) return false;
          agreed = std::move(owners);
          absl::StatusOr<std::string> role = node->Command({"ROLE"}, absl::Seconds(2));
          if (!role.ok()) return false;
          if (absl::StartsWith(*role, "slave") && !absl::StrContains(*role, "\nconnected\n")) {
            return false;
          }
        }
        return agreed.has_value();
      },
      timeout, "the Redis Cluster to be healthy and agree on slot owners");
}

absl::StatusOr<int> RedisCluster::MasterPortOfSlot(int slot) const {
  for (const auto& node : nodes_) {
    if (!node->running()) continue;
    std::map<int, int> owners = OwnersSeenBy(*node);
    if (auto owner = owners.find(slot); owner != owners.end()) return owner->second;
  }
  return absl::UnavailableError(absl::StrCat("no node knows the owner of slot ", slot));
}

absl::StatusOr<std::vector<int>> RedisCluster::MasterPorts() const {
  for (const auto& node : nodes_) {
    if (!node->running()) continue;
    std::map<int, int> owners = OwnersSeenBy(*node);
    if (owners.empty()) continue;
    std::vector<int> ports;
    for (const auto& [slot, port] : owners) {
      if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    }
    std::sort(ports.begin(), ports.end());
    return ports;
  }
  return absl::UnavailableError("no node knows the masters");
}

absl::StatusOr<std::string> RedisCluster::NodeId(int port) const {
  const RedisServer* node = NodeAt(port);
  if (node == nullptr) return absl::NotFoundError(absl::StrCat("no cluster node on port ", port));
  return node->Command({"CLUSTER", "MYID"});
}

absl::Status RedisCluster::BeginSlotMigration(int slot, int target_port) {
  absl::StatusOr<int> source_port = MasterPortOfSlot(slot);
  if (!source_port.ok()) return source_port.status();
  absl::StatusOr<std::string> source_id = NodeId(*source_port);
  absl::StatusOr<std::string> target_id = NodeId(target_port);
  if (!source_id.ok()) return source_id.status();
  if (!target_id.ok()) return target_id.status();
  absl::StatusOr<std::string> importing =
      NodeAt(target_port)
          ->Command({"CLUSTER", "SETSLOT", absl::StrCat(slot), "IMPORTING", *source_id});
  if (!importing.ok()) return importing.status();
  return NodeAt(*source_port)
      ->Command({"CLUSTER", "SETSLOT", absl::StrCat(slot), "MIGRATING", *target_id})
      .status();
}

absl::StatusOr<int> RedisCluster::MigrateKeys(int slot, int target_port, int max_keys) {
  absl::StatusOr<int> source_port = MasterPortOfSlot(slot);
  if (!source_port.ok()) return source_port.status();
  absl::StatusOr<std::string> listed =
      NodeAt(*source_port)
          ->Command({"CLUSTER", "GETKEYSINSLOT", absl::StrCat(slot), absl::StrCat(max_keys)});
  if (!listed.ok()) return listed.status();
  const std::vector<std::string> keys = absl::StrSplit(*listed, '\n', absl::SkipEmpty());
  if (keys.empty()) return 0;
  std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", absl::StrCat(target_port), "", "0",
                                      "10000",   "KEYS"};
  migrate.insert(migrate.end(), keys.begin(), keys.end());
  absl::StatusOr<std::string> moved = NodeAt(*source_port)->Command(migrate);
  if (!moved.ok()) return moved.status();
  return static_cast<int>(keys.size());
}

absl::Status RedisCluster::FinishSlotMigration(int slot, int target_port) {
  absl::StatusOr<int> source_port = MasterPortOfSlot(slot);
  if (!source_port.ok()) return source_port.status();
  absl::StatusOr<std::string> target_id = NodeId(target_port);
  if (!target_id.ok()) return target_id.status();
  const std::vector<std::string> assign = {"CLUSTER", "SETSLOT", absl::StrCat(slot), "NODE",
                                           *target_id};
  // The target first, then the source, then everyone else (as redis-cli --cluster reshard does).
  std::vector<int> order = {target_port, *source_port};
  absl::StatusOr<std::vector<int>> masters = MasterPorts();
  if (!masters.ok()) return masters.status();
  for (int port : *masters) {
    if (port != target_port && port != *source_port) order.push_back(port);
  }
  for (int port : order) {
    if (absl::StatusOr<std::string> done = NodeAt(port)->Command(assign); !done.ok()) {
      return done.status();
    }
  }
  return WaitFor(
      [this, slot, target_port] {
        for (const auto& node : nodes_) {
          if (!node->running()) continue;
          std::map<int, int> owners = OwnersSeenBy(*node);
          auto owner = owners.find(slot);
          if (owner == owners.end() || owner->second != target_port) return false;
        }
        return true;
      },
      kConvergeTimeout, absl::StrCat("every node to see slot ", slot, " on port ", target_port));
}

absl::Status RedisCluster::MoveSlot(int slot, int target_port) {
  if (absl::Status begun = BeginSlotMigration(slot, target_port); !begun.ok()) return begun;
  for (;;) {
    absl::StatusOr<int> moved = MigrateKeys(slot, target_port, 100);
    if (!moved.ok()) return moved.status();
    if (*moved == 0) break;
  }
  return FinishSlotMigration(slot, target_port);
}

absl::StatusOr<int> RedisCluster::FailOverMasterOfSlot(int slot) {
  absl::StatusOr<int> master_port = MasterPortOfSlot(slot);
  if (!master_port.ok()) return master_port.status();
  absl::StatusOr<std::string> master_id = NodeId(*master_port);
  if (!master_id.ok()) return master_id.status();
  absl::StatusOr<std::string> replicas =
      NodeAt(*master_port)->Command({"CLUSTER", "REPLICAS", *master_id});
  if (!replicas.ok()) return replicas.status();
  const std::vector<NodeLine> lines = ParseClusterNodes(*replicas);
  if (lines.empty()) return absl::FailedPreconditionError("the master has no replica");
  const int replica_port = lines.front().port;
  absl::StatusOr<std::string> asked = NodeAt(replica_port)->Command({"CLUSTER", "FAILOVER"});
  if (!asked.ok()) return asked.status();
  const absl::Status switched = WaitFor(
      [this, slot, replica_port] {
        for (const auto& node : nodes_) {
          std::map<int, int> owners = OwnersSeenBy(*node);
          auto owner = owners.find(slot);
          if (owner == owners.end() || owner->second != replica_port) return false;
        }
        return true;
      },
      kConvergeTimeout, absl::StrCat("every node to see port ", replica_port, " own slot ", slot));
  if (!switched.ok()) return switched;
  if (absl::Status healthy = WaitUntilHealthy(kConvergeTimeout); !healthy.ok()) return healthy;
  return replica_port;
}

}  // namespace fieldwork::testing
