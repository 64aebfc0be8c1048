// A member's busy blocks as bookings: creating one takes the member's calendar lock, is refused
// when it meets a scheduled event or live hold where the member is lead or required (travel
// buffer included), and puts the block on the calendar; deleting one frees it.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_BOOKING_H_
#define FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_BOOKING_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/principal.h"
#include "fieldwork/scheduling/v1/busy_block.pb.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

class BusyBlockBooking {
 public:
  explicit BusyBlockBooking(const SchedulingDeps& deps) : deps_(deps) {}

  // Books `block` (its fields passed the checks) as `name`. NOT_FOUND when the member does not
  // exist; ALREADY_EXISTS when the id is taken; FAILED_PRECONDITION with Conflicts on a clash.
  absl::StatusOr<v1::BusyBlock> Create(const Principal& caller, const BusyBlockName& name,
                                       v1::BusyBlock block, const RequestRecord& record,
                                       absl::Time deadline) const;

  // Deletes the block `name` and frees the member's calendar.
  absl::Status Delete(const Principal& caller, const BusyBlockName& name,
                      const RequestRecord& record, absl::Time deadline) const;

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_BOOKING_H_
