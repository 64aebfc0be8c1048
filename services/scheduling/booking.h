// The conflict check of a booking: which calendars (members, venues) an event or hold would
// double-book, and which optional participants merely overlap. Pure: callers read the existing
// bookings under the calendar locks and pass them in.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BOOKING_H_
#define FIELDWORK_SERVICES_SCHEDULING_BOOKING_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "common/api/interval.h"

namespace fieldwork::scheduling {

// Something already on a calendar: an event, a live hold or a member's busy block.
struct Booking {
  std::string booked_by;  // resource name, e.g. organizations/o/events/e1
  Interval interval;
};

// What a new booking wants of one calendar.
struct CalendarCheck {
  std::string calendar;   // resource name of the member or venue
  Interval wanted;        // the time the booking needs on this calendar
  absl::Duration buffer;  // gap required to other bookings (travel buffer; zero for venues)
  bool required = true;   // a clash is a conflict when required, a warning when optional
  std::vector<Booking> existing;
};

// One clash between a wanted interval and an existing booking.
struct Clash {
  std::string calendar;
  std::string booked_by;
  Interval interval;                // of the existing booking
  bool within_buffer_only = false;  // the times do not overlap; only the buffer is violated
};

struct BookingCheck {
  std::vector<Clash> conflicts;  // required calendars: the booking must be refused
  std::vector<Clash> warnings;   // optional participants who overlap: booked, but reported

  bool ok() const { return conflicts.empty(); }
};

// Checks every calendar. Existing bookings made by `self` (the event or hold being re-booked) are
// ignored, so moving an event never clashes with its own old time.
BookingCheck CheckBooking(absl::Span<const CalendarCheck> calendars, const std::string& self);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BOOKING_H_
