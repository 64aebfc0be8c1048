// Starting a Sentinel deployment (redis-server master and replica, three redis-sentinel processes)
// and forcing its failover.
#include "tests/harness/redis_sentinel.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/harness/process_pause.h"

namespace fieldwork::testing {
namespace {

constexpr int kSentinels = 3;
constexpr absl::Duration kSettleTimeout = absl::Seconds(60);

// The value of `field` in a flat field/value reply rendered one element per line.
std::optional<std::string> Field(const std::string& flat, absl::string_view field) {
  const std::vector<std::string> lines = absl::StrSplit(flat, '\n');
  for (size_t i = 0; i + 1 < lines.size(); i += 2) {
    if (lines[i] == field) return lines[i + 1];
  }
  return std::nullopt;
}

// The port a sentinel names for the master; nullopt when it cannot say.
std::optional<int> MasterPortNamedBy(int sentinel_port) {
  absl::StatusOr<std::string> address =
      RedisCommandAt(sentinel_port, "",
                     {"SENTINEL", "get-master-addr-by-name", RedisSentinelDeployment::kMasterName},
                     absl::Seconds(2));
  if (!address.ok()) return std::nullopt;
  const std::vector<std::string> host_port = absl::StrSplit(*address, '\n');
  int port = 0;
  if (host_port.size() != 2 || !absl::SimpleAtoi(host_port[1], &port)) return std::nullopt;
  return port;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisSentinelDeployment>> RedisSentinelDeployment::Start() {
  std::unique_ptr<RedisSentinelDeployment> deployment(new RedisSentinelDeployment());
  deployment->dir_ = MakeTempDir("fieldwork-redis-sentinel");
  absl::StatusOr<std::unique_ptr<RedisServer>> master = RedisServer::Start();
  if (!master.ok()) return master.status();
  const int master_port = (*master)->port();
  deployment->servers_.push_back(*std::move(master));
  RedisServerOptions replica_options;
  replica_options.extra_args = {"--replicaof", "127.0.0.1", absl::StrCat(master_port)};
  absl::StatusOr<std::unique_ptr<RedisServer>> replica = RedisServer::Start(replica_options);
  if (!replica.ok()) return replica.status();
  deployment->servers_.push_back(*std::move(replica));
  const absl::Status linked = WaitFor(
      [&deployment] {
        absl::StatusOr<std::string> role = deployment->servers_[1]->Command({"ROLE"});
        return role.ok() && absl::StrContains(*role, "\nconnected\n");
      },
      kSettleTimeout, "the replica to connect to its master");
  if (!linked.ok()) return linked;
  for (int i = 0; i < kSentinels; ++i) {
    if (absl::Status started = deployment->StartSentinel(master_port); !started.ok()) {
      return started;
    }
  }
  if (absl::Status settled = deployment->WaitUntilSentinelsSettled(master_port); !settled.ok()) {
    return settled;
  }
  return deployment;
}

RedisSentinelDeployment::~RedisSentinelDeployment() {
  sentinels_.clear();
  servers_.clear();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

absl::Status RedisSentinelDeployment::StartSentinel(int master_port) {
  absl::Status last = absl::UnknownError("sentinel not started");
  // A port picked free can be taken before the sentinel binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = PickFreePort();
    const std::string conf = absl::StrCat(dir_, "/sentinel-", port, ".conf");
    std::ofstream(conf) << "port " << port << "\nbind 127.0.0.1\ndir " << dir_
                        << "\nsentinel monitor " << kMasterName << " 127.0.0.1 " << master_port
                        << " 2\nsentinel down-after-milliseconds " << kMasterName
                        << " 1000\nsentinel failover-timeout " << kMasterName
                        << " 10000\nsentinel parallel-syncs " << kMasterName << " 1\n";
    absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(
        {"redis-sentinel", conf}, absl::StrCat(dir_, "/sentinel-", port, ".log"));
    if (!process.ok()) return process.status();
    last = WaitFor(
        [&process, port] {
          if ((*process)->Wait(absl::ZeroDuration()).ok()) return true;  // exited
          absl::StatusOr<std::string> pong =
              RedisCommandAt(port, "", {"PING"}, absl::Milliseconds(500));
          return pong.ok() && *pong == "PONG";
        },
        kSettleTimeout, "redis-sentinel to answer PING");
    if (last.ok() && (*process)->running()) {
      sentinel_ports_.push_back(port);
      sentinels_.push_back(*std::move(process));
      return absl::OkStatus();
    }
    last = absl::UnavailableError(
        absl::StrCat("redis-sentinel on port ", port, " did not start: ", (*process)->ReadLog()));
  }
  return last;
}

absl::Status RedisSentinelDeployment::WaitUntilSentinelsSettled(int master_port) const {
  return WaitFor(
      [this, master_port] {
        for (int port : sentinel_ports_) {
          absl::StatusOr<std::string> master =
              RedisCommandAt(port, "", {"SENTINEL", "MASTER", kMasterName}, absl::Seconds(2));
          if (!master.ok() || Field(*master, "port") != absl::StrCat(master_port) ||
              Field(*master, "num-slaves") != "1" ||
              Field(*master, "num-other-sentinels") != absl::StrCat(kSentinels - 1)) {
            return false;
          }
          absl::StatusOr<std::string> replicas =
              RedisCommandAt(port, "", {"SENTINEL", "REPLICAS", kMasterName}, absl::Seconds(2));
          if (!replicas.ok() || !absl::StrContains(*replicas, "master-link-status\nok")) {
            return false;
          }
        }
        return true;
      },
      kSettleTimeout, "every sentinel to know the master, its replica and the other sentinels");
}

std::string RedisSentinelDeployment::url() const {
  std::vector<std::string> sentinels;
  for (int port : sentinel_ports_) sentinels.push_back(absl::StrCat("127.0.0.1:", port));
  return absl::StrCat("redis-sentinel://", absl::StrJoin(sentinels, ","), "/", kMasterName);
}

RedisServer* RedisSentinelDeployment::ServerAt(int port) {
  for (const auto& server : servers_) {
    if (server->port() == port) return server.get();
  }
  return nullptr;
}

absl::StatusOr<int> RedisSentinelDeployment::MasterPort() const {
  for (int port : sentinel_ports_) {
    if (std::optional<int> master = MasterPortNamedBy(port)) return *master;
  }
  return absl::UnavailableError("no sentinel names the master");
}

absl::StatusOr<int> RedisSentinelDeployment::Failover() {
  absl::StatusOr<int> old_port = MasterPort();
  if (!old_port.ok()) return old_port.status();
  const int new_port = servers_[0]->port() == *old_port ? servers_[1]->port() : servers_[0]->port();
  absl::Status asked = absl::UnknownError("SENTINEL FAILOVER not sent");
  // NOGOODSLAVE while a sentinel has not yet judged the replica fit; ask until it accepts.
  const absl::Status accepted = WaitFor(
      [this, &asked] {
        absl::StatusOr<std::string> reply = RedisCommandAt(
            sentinel_ports_.front(), "", {"SENTINEL", "FAILOVER", kMasterName}, absl::Seconds(2));
        asked = reply.status();
        return reply.ok() || absl::StrContains(reply.status().message(), "INPROG");
      },
      kSettleTimeout, "a sentinel to accept SENTINEL FAILOVER");
  if (!accepted.ok())
    return absl::Status(accepted.code(), absl::StrCat(accepted.message(), ": ", asked.message()));
  const absl::Status switched = WaitFor(
      [this, old_port, new_port] {
        for (int port : sentinel_ports_) {
          if (MasterPortNamedBy(port) != new_port) return false;
        }
        absl::StatusOr<std::string> new_role = ServerAt(new_port)->Command({"ROLE"});
        absl::StatusOr<std::string> old_role = ServerAt(*old_port)->Command({"ROLE"});
        return new_role.ok() && absl::StartsWith(*new_role, "master") && old_role.ok() &&
               absl::StartsWith(*old_role, "slave");
      },
      kSettleTimeout, "every sentinel to name the new master and the old one to become a replica");
  if (!switched.ok()) return switched;
  return new_port;
}

void RedisSentinelDeployment::KillSentinels() {
  for (const auto& sentinel : sentinels_) {
    sentinel->Signal(SIGKILL);
    sentinel->Wait(absl::Seconds(10)).IgnoreError();
  }
}

absl::Status RedisSentinelDeployment::PauseSentinels() {
  for (const auto& sentinel : sentinels_) {
    if (absl::Status paused = PauseProcess(*sentinel); !paused.ok()) return paused;
  }
  return absl::OkStatus();
}

absl::Status RedisSentinelDeployment::ResumeSentinels() {
  absl::Status first_error;
  for (const auto& sentinel : sentinels_) first_error.Update(ResumeProcess(*sentinel));
  return first_error;
}

}  // namespace fieldwork::testing
