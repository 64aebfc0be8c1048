// Booking under calendar locks (DESIGN.md invariants 1 and 2): take the locks of every calendar a
// booking changes (in sorted order), re-read those calendars, check the claims, and write the
// calendar entries together with the caller's records in ONE fenced write that Redis applies only
// while every lock still holds. Also the lock-free check behind validate_only.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/calendar_lock.h"
#include "services/scheduling/booking.h"
#include "services/scheduling/booking_plan.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

// Calendar locks taken, and those calendars read, in the round trip that reads the roster, before
// the booking's plan is known (BookingStore::LockAhead): for the plan the request itself names.
// Book uses them when they cover the plan it is given; otherwise it gives them back and locks as
// usual.
class LockedAhead {
 public:
  // True while it holds the locks taken ahead; false when the guess needed none or a calendar
  // was busy (nothing is then held).
  bool held() const { return locks_ != nullptr; }

 private:
  friend class BookingStore;
  std::unique_ptr<LockSet> locks_;
  bool busy_ = false;
  std::vector<std::string> keys_;                       // sorted
  absl::flat_hash_map<std::string, Interval> windows_;  // by CalendarKey, before the buffer
  absl::flat_hash_map<std::string, std::vector<CalendarEntry>> entries_;  // by CalendarKey
};

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
  // With `ahead` (from LockAhead), uses its locks and reads when they cover `plan`.
  absl::StatusOr<BookingCheck> Book(const BookingPlan& plan, absl::Time deadline,
                                    const BookingRecords& records,
                                    LockedAhead* ahead = nullptr) const;

  // Sends in one round trip the lock script for the calendars `guess` books, then `reads` (the
  // roster the plan depends on), then those calendars over their windows widened by the longest
  // travel buffer an organization may set. The replies to `reads` go to `read_replies`, whether
  // or not the locks were taken. One booking's round trip fewer when Book's plan turns out as
  // guessed; when a calendar was busy, Book waits before its first try.
  absl::StatusOr<LockedAhead> LockAhead(const BookingPlan& guess,
                                        const std::vector<RedisCommand>& reads,
                                        std::vector<RedisReply>* read_replies,
                                        absl::Time deadline) const;

 private:
  absl::StatusOr<BookingCheck> ReadAndCheck(const BookingPlan& plan, absl::Time now,
                                            absl::Time deadline) const;

  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BOOKING_STORE_H_
