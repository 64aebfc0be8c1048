// Starting and stopping real processes from tests: a child process with its output in a log file,
// free loopback ports, and waiting on a condition with a deadline instead of sleeping.
#ifndef FIELDWORK_TESTS_HARNESS_CHILD_PROCESS_H_
#define FIELDWORK_TESTS_HARNESS_CHILD_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fieldwork::testing {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH) with `extra_env` ("NAME=value") added to the environment.
  // Standard output and error go to `log_path`.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(
      const std::vector<std::string>& argv, const std::string& log_path,
      const std::vector<std::string>& extra_env = {});

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills (SIGKILL) and reaps the process if it is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  bool running() const { return pid_ > 0; }
  // Sends `signal` to the process.
  void Signal(int signal) const;
  // Waits up to `timeout` for the process to exit. Returns its exit code, or 128 + signal number
  // when a signal ended it; DEADLINE_EXCEEDED when it is still running.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // The log file's contents, for failure messages.
  std::string ReadLog() const;

 private:
  ChildProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::string log_path_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
int PickFreePort();

// A fresh private directory under $TMPDIR (or /tmp), for data and logs of one test binary.
std::string MakeTempDir(const std::string& prefix);

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
absl::Status WaitFor(const std::function<bool()>& condition, absl::Duration timeout,
                     const std::string& what);

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_CHILD_PROCESS_H_
