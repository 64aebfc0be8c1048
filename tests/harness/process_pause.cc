// SIGSTOP / SIGCONT of a child process, awaited through /proc/<pid>/stat.
#include "tests/harness/process_pause.h"

#include <signal.h>

#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace fieldwork::testing {
namespace {

constexpr absl::Duration kSignalTimeout = absl::Seconds(10);

// The scheduler state letter of `pid` from /proc ('T' when stopped), or '?' when unreadable.
char ProcessState(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

}  // namespace

absl::Status PauseProcess(const ChildProcess& process) {
  if (!process.running()) return absl::FailedPreconditionError("the process is not running");
  process.Signal(SIGSTOP);
  return WaitFor([&] { return ProcessState(process.pid()) == 'T'; }, kSignalTimeout,
                 absl::StrCat("process ", process.pid(), " to stop"));
}

bool ProcessStopped(const ChildProcess& process) {
  return process.running() && ProcessState(process.pid()) == 'T';
}

absl::Status ResumeProcess(const ChildProcess& process) {
  if (!process.running()) return absl::FailedPreconditionError("the process is not running");
  process.Signal(SIGCONT);
  return WaitFor([&] { return ProcessState(process.pid()) != 'T'; }, kSignalTimeout,
                 absl::StrCat("process ", process.pid(), " to continue"));
}

}  // namespace fieldwork::testing
