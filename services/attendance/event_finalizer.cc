// Finalizing an event's attendance (see event_finalizer.h).
#include "services/attendance/event_finalizer.h"

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"

namespace fieldwork::attendance {

absl::Status EventFinalizer::Finalize(const EventFacts& event, const Action& action,
                                      const RequestRecord& request,
                                      v1::FinalizeEventResponse& response,
                                      absl::Time deadline) const {
  if (absl::Status recordable = CheckRecordable(event); !recordable.ok()) return recordable;
  if (action.now < event.time.end) {
    return WithReason(
        absl::FailedPreconditionError(
            absl::StrCat(event.event_name, " has not ended yet; finalize it after ",
                         absl::FormatTime(absl::RFC3339_sec, event.time.end, absl::UTCTimeZone()))),
        common::v1::ERROR_REASON_EVENT_NOT_ENDED);
  }
  return updater_.Update(event, event.members, request, response, deadline,
                         [&](RecordSnapshot& snapshot) -> absl::StatusOr<RecordPlan> {
                           RecordPlan plan;
                           response.set_event(event.event_name);
                           if (snapshot.finalized()) {
                             response.set_already_finalized(true);
                             *response.mutable_finalize_time() =
                                 snapshot.finalization->finalize_time();
                           } else {
                             for (size_t i = 0; i < snapshot.records.size(); ++i) {
                               ApplyFinalization(event, action, snapshot.records[i]);
                               plan.changed.push_back(i);
                             }
                             v1::AttendanceRecord& marker = plan.finalization.emplace();
                             marker.set_event(event.event_name);
                             marker.set_finalized(true);
                             *marker.mutable_finalize_time() = ToTimestamp(action.now);
                             marker.set_finalized_by(action.subject);
                             *response.mutable_finalize_time() = ToTimestamp(action.now);
                           }
                           for (const v1::AttendanceRecord& record : snapshot.records)
                             *response.add_records() = record;
                           return plan;
                         });
}

}  // namespace fieldwork::attendance
