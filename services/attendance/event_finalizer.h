// Finalizing an event's attendance, shared by FinalizeEvent and the auto-finalizer: once the event
// has ended, every resolved participant's outcome is fixed (record_changes.h Finalize) and the
// event marked finalized, in one atomic write; finalizing again answers the existing outcomes.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_EVENT_FINALIZER_H_
#define FIELDWORK_SERVICES_ATTENDANCE_EVENT_FINALIZER_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "services/attendance/attendance_rules.h"
#include "services/attendance/record_changes.h"
#include "services/attendance/record_updater.h"

namespace fieldwork::attendance {

class EventFinalizer {
 public:
  explicit EventFinalizer(const RecordUpdater& updater) : updater_(updater) {}

  // FAILED_PRECONDITION with ERROR_REASON_EVENT_NOT_ENDED before the end, or the reasons of
  // CheckRecordable.
  absl::Status Finalize(const EventFacts& event, const Action& action, const RequestRecord& request,
                        v1::FinalizeEventResponse& response, absl::Time deadline) const;

 private:
  const RecordUpdater& updater_;
};

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_EVENT_FINALIZER_H_
