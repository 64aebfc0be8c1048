// Automatic finalization: every interval one thread asks scheduling for each organization's
// events that ended within the last 31 days (SweepWindow) and finalizes those whose end lies at
// least the organization's auto_finalize_after in the past (unless turned off), as subject
// "system". Any number of replicas may sweep at once: finalization is a conditional write only
// one commits.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_AUTO_FINALIZER_H_
#define FIELDWORK_SERVICES_ATTENDANCE_AUTO_FINALIZER_H_

#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/periodic_task.h"
#include "services/attendance/event_finalizer.h"
#include "services/attendance/scheduling_client.h"

namespace fieldwork::attendance {

// The events a sweep at `now` asks scheduling for (those overlapping it): every event that ended
// within the last 31 days and at least an hour ago (the shortest auto_finalize_after), but none
// that started within the last hour, so events in progress are not read.
Interval SweepWindow(absl::Time now);

class AutoFinalizer {
 public:
  // Starts sweeping every `interval`; the arguments outlive the finalizer.
  AutoFinalizer(const SchedulingClient& scheduling, const EventFinalizer& finalizer,
                absl::Duration interval);
  AutoFinalizer(const AutoFinalizer&) = delete;
  AutoFinalizer& operator=(const AutoFinalizer&) = delete;
  // Stops sweeping; a sweep in progress finishes first.
  ~AutoFinalizer() = default;

 private:
  void SweepOnce() const;

  const SchedulingClient& scheduling_;
  const EventFinalizer& finalizer_;
  PeriodicTask task_;  // last: it starts sweeping at once
};

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_AUTO_FINALIZER_H_
