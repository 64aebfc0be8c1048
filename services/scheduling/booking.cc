// The conflict check of a booking (see booking.h).
#include "services/scheduling/booking.h"

namespace fieldwork::scheduling {

BookingCheck CheckBooking(absl::Span<const CalendarCheck> calendars, const std::string& self) {
  BookingCheck result;
  for (const CalendarCheck& calendar : calendars) {
    // Widen the wanted time once, so each existing booking costs two comparisons.
    const absl::Time earliest_end = calendar.wanted.start - calendar.buffer;
    const absl::Time latest_start = calendar.wanted.end + calendar.buffer;
    for (const Booking& booking : calendar.existing) {
      if (booking.interval.start >= latest_start || booking.interval.end <= earliest_end) continue;
      if (booking.booked_by == self) continue;
      Clash clash{calendar.calendar, booking.booked_by, booking.interval,
                  !Overlaps(calendar.wanted, booking.interval, absl::ZeroDuration())};
      (calendar.required ? result.conflicts : result.warnings).push_back(std::move(clash));
    }
  }
  return result;
}

}  // namespace fieldwork::scheduling
