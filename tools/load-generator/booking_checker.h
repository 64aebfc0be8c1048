// The no-double-booking checker of the booking scenarios: reads back, through the scheduling
// RPCs (GetOrganization, ListEvents filtered by member), every member's scheduled and completed
// events, and finds any two in which the member is a required participant (lead or required)
// whose times, widened by the organization's travel buffer, overlap.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_CHECKER_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_CHECKER_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/load-generator/seed.h"

namespace fieldwork::bench {

// One event in which a member holds its calendar.
struct Booking {
  absl::Time start;
  absl::Time end;
  std::string event;
};

// One line per booking that starts before an earlier one (by start), widened by `buffer`, ends;
// pure.
std::vector<std::string> FindOverlaps(std::vector<Booking> bookings, absl::Duration buffer,
                                      const std::string& member);

struct BookingCheck {
  int members = 0;                           // members read back
  int bookings = 0;                          // required participations read back
  std::vector<std::string> double_bookings;  // one line per overlapping pair; empty when none
};

absl::StatusOr<BookingCheck> CheckNoDoubleBooking(std::shared_ptr<grpc::Channel> scheduling,
                                                  const std::string& token,
                                                  const SeededOrganization& organization);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_BOOKING_CHECKER_H_
