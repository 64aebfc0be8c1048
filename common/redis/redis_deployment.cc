// Parsing the Redis deployment URL: scheme, node list, Sentinel master name and WAIT parameters.
#include "common/redis/redis_deployment.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fieldwork {
namespace {

constexpr absl::string_view kStandaloneScheme = "redis://";
constexpr absl::string_view kSentinelScheme = "redis-sentinel://";
constexpr absl::string_view kClusterScheme = "redis-cluster://";
constexpr int kMaxWaitReplicas = 64;

absl::Status BadDeploymentUrl(absl::string_view url, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid Redis URL \"", RedactRedisUrl(url), "\": ", reason,
                   " (expected redis://[[user]:password@]host[:port][/db], "
                   "redis-sentinel://[[user]:password@]host:port[,host:port...]/master[/db] or "
                   "redis-cluster://[[user]:password@]host:port[,host:port...], optionally "
                   "followed by ?wait=N&wait_timeout_ms=T)"));
}

// Reads "wait=N&wait_timeout_ms=T" into `wait`; returns the reason on failure.
std::optional<std::string> ParseQuery(absl::string_view query, RedisWaitPolicy& wait) {
  for (absl::string_view parameter : absl::StrSplit(query, '&')) {
    const std::pair<absl::string_view, absl::string_view> name_value =
        absl::StrSplit(parameter, absl::MaxSplits('=', 1));
    int value = 0;
    if (!absl::SimpleAtoi(name_value.second, &value)) {
      return absl::StrCat("parameter \"", parameter, "\" needs a number");
    }
    if (name_value.first == "wait") {
      if (value < 0 || value > kMaxWaitReplicas) {
        return absl::StrCat("wait must be from 0 to ", kMaxWaitReplicas);
      }
      wait.replicas = value;
    } else if (name_value.first == "wait_timeout_ms") {
      if (value < 1) return "wait_timeout_ms must be positive";
      wait.timeout = absl::Milliseconds(value);
    } else {
      return absl::StrCat("unknown parameter \"", name_value.first, "\"");
    }
  }
  return std::nullopt;
}

// Parses "[[user]:password@]host:port[,host:port...]" into one endpoint per node.
absl::StatusOr<std::vector<RedisEndpoint>> ParseNodeList(absl::string_view url,
                                                         absl::string_view authority, int db) {
  absl::string_view userinfo;
  if (const size_t at = authority.rfind('@'); at != absl::string_view::npos) {
    userinfo = authority.substr(0, at + 1);
    authority = authority.substr(at + 1);
  }
  std::vector<RedisEndpoint> nodes;
  for (absl::string_view node : absl::StrSplit(authority, ',')) {
    const size_t colon = node.rfind(':');
    const size_t bracket = node.rfind(']');
    if (colon == absl::string_view::npos ||
        (bracket != absl::string_view::npos && colon < bracket)) {
      return BadDeploymentUrl(url, absl::StrCat("node \"", node, "\" needs host:port"));
    }
    absl::StatusOr<RedisEndpoint> endpoint =
        ParseRedisUrl(absl::StrCat(kStandaloneScheme, userinfo, node));
    if (!endpoint.ok()) {
      absl::string_view reason = endpoint.status().message();
      reason = reason.substr(0, reason.rfind(" (expected"));
      reason = reason.substr(
          reason.find("\": ") == absl::string_view::npos ? 0 : reason.find("\": ") + 3);
      return BadDeploymentUrl(url, absl::StrCat("node \"", node, "\": ", reason));
    }
    endpoint->db = db;
    nodes.push_back(*std::move(endpoint));
  }
  return nodes;
}

absl::Status ParseSentinelPath(absl::string_view url, absl::string_view path,
                               RedisDeployment& deployment, int& db) {
  const std::pair<absl::string_view, absl::string_view> master_db =
      absl::StrSplit(path, absl::MaxSplits('/', 1));
  if (master_db.first.empty()) return BadDeploymentUrl(url, "missing the Sentinel master name");
  for (char c : master_db.first) {
    if (c <= ' ' || c == '@' || c == ',') {
      return BadDeploymentUrl(url, "the master name has a space, control character, '@' or ','");
    }
  }
  deployment.master_name = std::string(master_db.first);
  if (!master_db.second.empty() && (!absl::SimpleAtoi(master_db.second, &db) || db < 0)) {
    return BadDeploymentUrl(
        url, absl::StrCat("database \"", master_db.second, "\" is not a non-negative number"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RedisDeployment> ParseRedisDeployment(absl::string_view url) {
  RedisDeployment deployment;
  absl::string_view rest;
  if (absl::StartsWithIgnoreCase(url, kStandaloneScheme)) {
    deployment.topology = RedisTopology::kStandalone;
  } else if (absl::StartsWithIgnoreCase(url, kSentinelScheme)) {
    deployment.topology = RedisTopology::kSentinel;
    rest = url.substr(kSentinelScheme.size());
  } else if (absl::StartsWithIgnoreCase(url, kClusterScheme)) {
    deployment.topology = RedisTopology::kCluster;
    rest = url.substr(kClusterScheme.size());
  } else {
    return BadDeploymentUrl(url,
                            "the scheme must be redis://, redis-sentinel:// or redis-cluster://");
  }
  if (url.find('#') != absl::string_view::npos) {
    return BadDeploymentUrl(url, "fragments are not supported");
  }
  absl::string_view base = url;
  if (const size_t question = url.find('?'); question != absl::string_view::npos) {
    base = url.substr(0, question);
    if (std::optional<std::string> reason = ParseQuery(url.substr(question + 1), deployment.wait)) {
      return BadDeploymentUrl(url, *reason);
    }
    rest = rest.substr(0, rest.find('?'));
  }

  if (deployment.topology == RedisTopology::kStandalone) {
    absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(base);
    if (!endpoint.ok()) return endpoint.status();
    deployment.nodes.push_back(*std::move(endpoint));
    return deployment;
  }
  const size_t slash = rest.find('/');
  const absl::string_view authority = rest.substr(0, slash);
  const absl::string_view path =
      slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash + 1);
  int db = 0;
  if (deployment.topology == RedisTopology::kSentinel) {
    if (absl::Status path_ok = ParseSentinelPath(url, path, deployment, db); !path_ok.ok()) {
      return path_ok;
    }
  } else if (!path.empty()) {
    return BadDeploymentUrl(url, "Redis Cluster has no database or path");
  }
  absl::StatusOr<std::vector<RedisEndpoint>> nodes = ParseNodeList(url, authority, db);
  if (!nodes.ok()) return nodes.status();
  deployment.nodes = *std::move(nodes);
  return deployment;
}

}  // namespace fieldwork
