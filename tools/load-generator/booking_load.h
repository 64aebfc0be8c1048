// The booking scenarios' requests, pure: the index-th CreateEvent of a run, SCHEDULED with
// required participants. Bookings go round-robin over the organizations; within one, booking k
// takes `members_per_event` members in turn from the roster, at time slot k / `group`. With
// group = members / members_per_event every member is booked once per slot, so no two bookings
// share a member at the same time (no contention); a larger group with few members makes
// consecutive bookings want the same members at the same time (heavy contention: one wins, the
// others are refused with FAILED_PRECONDITION).
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_LOAD_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_LOAD_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "tools/load-generator/seed.h"

namespace fieldwork::bench {

struct BookingLayout {
  std::vector<SeededOrganization> organizations;
  int members_per_event = 2;
  int group = 1;  // consecutive bookings of one organization at the same time slot
  absl::Time first_start;
  // Slots never overlap, travel buffer (30 min by default) included.
  absl::Duration spacing = absl::Hours(3);
  absl::Duration length = absl::Hours(2);
};

// group = members / members_per_event: no two bookings share a member at one time.
int UncontendedGroup(int members, int members_per_event);

fieldwork::scheduling::v1::CreateEventRequest BookingRequest(const BookingLayout& layout,
                                                             int64_t index);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_LOAD_H_
