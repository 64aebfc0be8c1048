// A private redis-server for tests: started on a free loopback port with its own data directory,
// and stopped, killed, paused, resumed or restarted (same port, same data) by the test. Plus the
// one server a test binary shares among its tests, and a fixture that hands each test an empty one.
#ifndef FIELDWORK_TESTS_HARNESS_REDIS_SERVER_H_
#define FIELDWORK_TESTS_HARNESS_REDIS_SERVER_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {

struct RedisServerOptions {
  bool appendonly = false;    // AOF on
  bool fsync_always = false;  // appendfsync always (the durable profile); needs appendonly
  std::string password;       // requirepass; empty: none
  std::vector<std::string> extra_args;  // more redis-server arguments, e.g. {"--maxmemory", "1mb"}
};

class RedisServer {
 public:
  // Starts redis-server bound to 127.0.0.1 on a free port, with `--save ""`, the DEBUG command
  // allowed from loopback, and a fresh data directory; returns once it answers PING.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(const RedisServerOptions& options = {});

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  // Stops the server and removes its data directory.
  ~RedisServer();

  int port() const { return port_; }
  // redis://[:password@]127.0.0.1:<port>
  std::string url() const;
  const std::string& data_dir() const { return data_dir_; }
  bool running() const { return process_ != nullptr && process_->running(); }

  // Runs one command on a fresh connection of its own (not the client under test) and returns the
  // reply as text: simple strings, integers and bulk strings as they are, nil as "", arrays as
  // their elements joined by '\n'. An error reply is an INTERNAL status with its message.
  absl::StatusOr<std::string> Command(const std::vector<std::string>& args,
                                      absl::Duration timeout = absl::Seconds(10)) const;

  // SHUTDOWN NOSAVE, then SIGKILL if the process is still there after a few seconds.
  absl::Status Stop();
  // SIGKILL, as a crash.
  void Kill();
  // SIGSTOP / SIGCONT: the server keeps its connections but answers nothing while paused.
  void Pause();
  void Resume();
  // Stops the server if it runs, then starts it again on the same port and data directory.
  absl::Status Restart();

 private:
  RedisServer(RedisServerOptions options, int port, std::string data_dir)
      : options_(std::move(options)), port_(port), data_dir_(std::move(data_dir)) {}

  // Spawns redis-server and waits until it answers PING or exits.
  absl::Status Launch();

  const RedisServerOptions options_;
  const int port_;
  const std::string data_dir_;
  std::unique_ptr<ChildProcess> process_;
};

// Runs one command on a fresh connection to the Redis (or Sentinel) at 127.0.0.1:`port`, sending
// AUTH first when `password` is not empty; the reply is rendered as RedisServer::Command does.
absl::StatusOr<std::string> RedisCommandAt(int port, const std::string& password,
                                           const std::vector<std::string>& args,
                                           absl::Duration timeout = absl::Seconds(10));

// The server shared by every test of this binary, started on first use and stopped at exit.
absl::StatusOr<RedisServer*> SharedRedisServer();

// Base fixture for tests on the shared server: each test starts with the server running and empty
// (FLUSHALL). Tests that stop, kill or pause Redis start their own RedisServer instead.
class RedisServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  RedisServer& redis() { return *redis_; }

 private:
  RedisServer* redis_ = nullptr;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_REDIS_SERVER_H_
