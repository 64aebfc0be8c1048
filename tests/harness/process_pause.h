// Pausing a child process (SIGSTOP) and resuming it (SIGCONT), each returning once /proc shows
// the process stopped or running again, so a test that pauses Redis or a sentinel acts on a
// process that really is frozen.
#ifndef FIELDWORK_TESTS_HARNESS_PROCESS_PAUSE_H_
#define FIELDWORK_TESTS_HARNESS_PROCESS_PAUSE_H_

#include "absl/status/status.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {

// SIGSTOP, then waits until the process is stopped; DEADLINE_EXCEEDED if it never shows so.
absl::Status PauseProcess(const ChildProcess& process);
// SIGCONT, then waits until the process is no longer stopped.
absl::Status ResumeProcess(const ChildProcess& process);
// Whether /proc shows the process stopped now (by SIGSTOP, whoever sent it).
bool ProcessStopped(const ChildProcess& process);

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_PROCESS_PAUSE_H_
