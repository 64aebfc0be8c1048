// What happens to bookings with time alone: every interval, one thread pages through the
// organizations, records their lapsed holds as EXPIRED (HoldBooking::ExpireDue) and completes their
// ended events (EventBooking::CompleteEnded), so the change feed reports HOLD_EXPIRED and
// EVENT_COMPLETED soon after the fact even when nobody calls. Any number of replicas may sweep at
// once: each change is a conditional write that only one of them commits. (A lapsed hold blocks
// nothing even before the sweep: its calendar entries carry their expiry.)
#ifndef FIELDWORK_SERVICES_SCHEDULING_LIFECYCLE_SWEEPER_H_
#define FIELDWORK_SERVICES_SCHEDULING_LIFECYCLE_SWEEPER_H_

#include "absl/time/time.h"
#include "common/periodic_task.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

class LifecycleSweeper {
 public:
  // Starts sweeping every `interval`. `deps` outlives the sweeper.
  LifecycleSweeper(const SchedulingDeps& deps, absl::Duration interval);
  LifecycleSweeper(const LifecycleSweeper&) = delete;
  LifecycleSweeper& operator=(const LifecycleSweeper&) = delete;
  // Stops sweeping; a sweep in progress finishes first.
  ~LifecycleSweeper() = default;

 private:
  void SweepOnce() const;

  const SchedulingDeps& deps_;
  PeriodicTask task_;  // last: it starts sweeping at once
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_LIFECYCLE_SWEEPER_H_
