// The life of an event as one booking operation per call: create (as a draft or booked), update
// (re-booking a scheduled event when its time, places or people change), schedule, cancel and
// complete. Each call reads the event and the roster, prepares the new version and its calendar
// claims, and commits the event record, its indexes, the calendar entries, the change-feed entry
// and the idempotency answer in one write — under the calendar locks when calendars change.
#ifndef FIELDWORK_SERVICES_SCHEDULING_EVENT_BOOKING_H_
#define FIELDWORK_SERVICES_SCHEDULING_EVENT_BOOKING_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "common/api/resource_names.h"
#include "common/principal.h"
#include "common/redis/atomic_write.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/booking_plan.h"
#include "services/scheduling/event_rules.h"
#include "services/scheduling/event_store.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

// What a call books besides the event itself (ConfirmHold: the hold's entries pass to the event).
struct BookingExtras {
  std::string hold;                     // the hold the event is confirmed from, if any
  std::vector<CalendarClaim> releases;  // more entries to take off calendars
  std::vector<std::string> ignored;     // more bookings that never clash with the event
  // More records for the same write; called with the event as it will be stored.
  std::function<absl::Status(const v1::Event& event, AtomicWrite& write)> records;
};

// Fills the call's response from the event as stored (or as it would be) and the warnings, and
// returns it: the answer recorded for retries.
using EventAnswer = std::function<const google::protobuf::Message&(
    const v1::Event& event, const std::vector<v1::BookingWarning>& warnings)>;

class EventBooking {
 public:
  explicit EventBooking(const SchedulingDeps& deps) : deps_(deps) {}

  // Creates `event` (it passed the field checks; state DRAFT or SCHEDULED) as `event_id`.
  // ALREADY_EXISTS when the id is taken; INVALID_ARGUMENT for unknown references or inactive
  // participants; FAILED_PRECONDITION on conflicts or exceeded capacity.
  absl::Status Create(const Principal& caller, absl::string_view organization,
                      absl::string_view event_id, v1::Event event, bool validate_only,
                      const BookingExtras& extras, const RequestRecord& record, absl::Time deadline,
                      const EventAnswer& answer) const;

  // Applies the masked fields of `request.event()` to the stored event and checks the result.
  // ABORTED (STALE_ETAG) for a stale etag.
  absl::Status Update(const Principal& caller, const ChildName& event,
                      const v1::UpdateEventRequest& request, const RequestRecord& record,
                      absl::Time deadline, const EventAnswer& answer) const;

  // DRAFT → SCHEDULED, booking its calendars.
  absl::Status Schedule(const Principal& caller, const ChildName& event, const std::string& etag,
                        const RequestRecord& record, absl::Time deadline,
                        const EventAnswer& answer) const;

  // DRAFT or SCHEDULED → CANCELLED, freeing its calendars.
  absl::Status Cancel(const Principal& caller, const ChildName& event, const std::string& reason,
                      const std::string& etag, const RequestRecord& record, absl::Time deadline,
                      const EventAnswer& answer) const;

  // Completes every SCHEDULED event of `organization` that has ended (change EVENT_COMPLETED by
  // "system"). Safe to run on several replicas at once.
  absl::Status CompleteEnded(absl::string_view organization, absl::Time deadline) const;

  // SCHEDULED and started → COMPLETED; the calendars stay held as history.
  absl::Status Complete(const Principal& caller, const ChildName& event, const std::string& etag,
                        const RequestRecord& record, absl::Time deadline,
                        const EventAnswer& answer) const;

 private:
  struct Prepared;
  // What a call makes of the stored event.
  struct Step {
    v1::Event next;
    v1::ChangeType change = v1::CHANGE_TYPE_UNSPECIFIED;
    bool validate_only = false;
  };
  using Transition = std::function<absl::StatusOr<Step>(const v1::Event& current)>;

  // Reads, transitions, prepares and commits the event `name`; reads again and retries when the
  // event changed between the read and the write, unless an etag pins the version read.
  absl::Status Mutate(const Principal& caller, const ChildName& name, const std::string& etag,
                      const Transition& transition, const RequestRecord& record,
                      absl::Time deadline, const EventAnswer& answer) const;

  // Reads the roster and makes the plan; with `lock_ahead` (the call will book), takes the locks
  // of the plan the event names in the same round trip (BookingStore::LockAhead).
  absl::StatusOr<Prepared> Prepare(absl::string_view organization, v1::Event next,
                                   const v1::Event* previous, const BookingExtras& extras,
                                   absl::Time deadline, bool lock_ahead) const;

  absl::Status Commit(const Principal& caller, absl::string_view organization,
                      v1::ChangeType change, Prepared& prepared, const StoredEvent* previous,
                      const BookingExtras& extras, const RequestRecord& record, absl::Time deadline,
                      const EventAnswer& answer) const;

  absl::Status CheckOnly(const Prepared& prepared, absl::Time deadline,
                         const EventAnswer& answer) const;

  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_EVENT_BOOKING_H_
