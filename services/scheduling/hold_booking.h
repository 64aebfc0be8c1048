// The life of a hold: create (booked under the calendar locks like an event, with entries that
// lapse at its expire_time), release, confirm into an event (the hold's entries pass to the event
// in the same write), and the expiry sweep that records lapsed holds as EXPIRED and frees their
// calendars.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HOLD_BOOKING_H_
#define FIELDWORK_SERVICES_SCHEDULING_HOLD_BOOKING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/principal.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/event_rules.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

class HoldBooking {
 public:
  explicit HoldBooking(const SchedulingDeps& deps) : deps_(deps) {}

  // Books `hold` (it passed CheckHoldFields, whose references are given) as `hold_id` for `ttl`.
  absl::StatusOr<v1::Hold> Create(const Principal& caller, absl::string_view organization,
                                  absl::string_view hold_id, v1::Hold hold, absl::Duration ttl,
                                  const std::vector<Reference>& references,
                                  const RequestRecord& record, absl::Time deadline) const;

  // ACTIVE → RELEASED, freeing the calendars. FAILED_PRECONDITION (HOLD_NOT_ACTIVE) otherwise.
  absl::StatusOr<v1::Hold> Release(const Principal& caller, const ChildName& hold,
                                   const RequestRecord& record, absl::Time deadline) const;

  // ACTIVE → CONFIRMED with a new SCHEDULED event made of `event` and the hold's defaults.
  absl::StatusOr<v1::ConfirmHoldResponse> Confirm(const Principal& caller, const ChildName& hold,
                                                  const v1::Event& event,
                                                  absl::string_view event_id,
                                                  const RequestRecord& record,
                                                  absl::Time deadline) const;

  // Records every lapsed ACTIVE hold of `organization` as EXPIRED (change HOLD_EXPIRED by
  // "system") and takes its entries off the calendars. Safe to run on several replicas at once.
  absl::Status ExpireDue(absl::string_view organization, absl::Time deadline) const;

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HOLD_BOOKING_H_
