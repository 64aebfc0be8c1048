// Booking under calendar locks (DESIGN.md invariants 1 and 2): take the locks of every calendar a
// booking changes (in sorted order), re-read those calendars, check the claims, and write the
// calendar entries together with the caller's records in ONE fenced write that Redis applies only
// while every lock still holds. Also the lock-free check behind validate_only.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "services/scheduling/booking.h"
#include "services/scheduling/booking_plan.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

// Adds the caller's records (resource, indexes, change feed, idempotency answer) to the write of
// an accepted booking; its check is given for the answer's warnings.
using BookingRecords = std::function<absl::Status(const BookingCheck& check, AtomicWrite& write)>;

class BookingStore {
 public:
  explicit BookingStore(const SchedulingDeps& deps) : deps_(deps) {}

  // Reads the calendars of `plan` without locks and checks its claims: FAILED_PRECONDITION
  // (ERROR_REASON_BOOKING_CONFLICT) with Conflicts when anything clashes, else the check with its
  // warnings. For validate_only.
  absl::StatusOr<BookingCheck> Check(const BookingPlan& plan, absl::Time now,
                                     absl::Time deadline) const;

  // Books `plan`: locks, re-reads, checks as Check does, then applies the calendar changes and
  // what `records` adds as one fenced write. ABORTED (LOCK_TIMEOUT) when the locks stay busy for
  // the lock wait, ABORTED (LOCK_LOST) when a lock was lost before the write — nothing written in
  // either case. A plan without calendars writes without locks.
  absl::StatusOr<BookingCheck> Book(const BookingPlan& plan, absl::Time deadline,
                                    const BookingRecords& records) const;

 private:
  absl::StatusOr<BookingCheck> ReadAndCheck(const BookingPlan& plan, absl::Time now,
                                            absl::Time deadline) const;

  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_
