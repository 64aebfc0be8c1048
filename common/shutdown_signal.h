// SIGTERM and SIGINT as an event the server runner can wait on. The handlers only write one byte to
// a pipe (async-signal-safe), so they work whichever thread the kernel interrupts.
#ifndef FIELDWORK_COMMON_SHUTDOWN_SIGNAL_H_
#define FIELDWORK_COMMON_SHUTDOWN_SIGNAL_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fieldwork {

class ShutdownSignal {
 public:
  // Installs the SIGTERM and SIGINT handlers on first use. A later call (a second server in the
  // same process, as in tests) discards wake-ups left over from the previous user, so each server
  // starts clean; signals that arrive after this call are kept until a Wait sees them.
  static absl::StatusOr<ShutdownSignal*> Acquire();

  // Waits up to `timeout` for a signal or Notify(); true when one came. A signal stays pending
  // until a Wait returns true for it.
  bool Wait(absl::Duration timeout);
  // Wakes Wait as a signal would (tests, embedding).
  void Notify();

 private:
  ShutdownSignal(int read_fd, int write_fd) : read_fd_(read_fd), write_fd_(write_fd) {}
  void DiscardPending();

  int read_fd_;
  int write_fd_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_SHUTDOWN_SIGNAL_H_
