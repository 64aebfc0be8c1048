// Unit tests of the booking conflict check: buffers, optional participants, re-booking.
#include "services/scheduling/booking.h"

#include "gtest/gtest.h"

namespace fieldwork::scheduling {
namespace {

absl::Time At(int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, 12, 3, hour, minute), absl::UTCTimeZone());
}

CalendarCheck Member(std::string name, Interval wanted, std::vector<Booking> existing,
                     bool required = true) {
  return {std::move(name), wanted, absl::Minutes(30), required, std::move(existing)};
}

TEST(CheckBookingTest, RejectsBookingThatOverlapsTravelBuffer) {
  const CalendarCheck member =
      Member("members/m1", {At(10, 20), At(11)}, {{"events/e1", {At(9), At(10)}}});
  const BookingCheck check = CheckBooking({member}, "events/new");
  ASSERT_EQ(check.conflicts.size(), 1u);
  EXPECT_EQ(check.conflicts[0].calendar, "members/m1");
  EXPECT_EQ(check.conflicts[0].booked_by, "events/e1");
  EXPECT_TRUE(check.conflicts[0].within_buffer_only);
  EXPECT_FALSE(check.ok());
}

TEST(CheckBookingTest, AcceptsBookingExactlyOneBufferAway) {
  const CalendarCheck member =
      Member("members/m1", {At(10, 30), At(11)}, {{"events/e1", {At(9), At(10)}}});
  EXPECT_TRUE(CheckBooking({member}, "events/new").ok());
}

TEST(CheckBookingTest, VenueWithoutBufferAcceptsBackToBack) {
  const CalendarCheck venue{
      "venues/v1", {At(10), At(11)}, absl::ZeroDuration(), true, {{"events/e1", {At(9), At(10)}}}};
  EXPECT_TRUE(CheckBooking({venue}, "events/new").ok());
}

TEST(CheckBookingTest, OptionalParticipantOverlapIsAWarningNotAConflict) {
  const CalendarCheck member = Member("members/m2", {At(9, 30), At(11)},
                                      {{"events/e1", {At(9), At(10)}}}, /*required=*/false);
  const BookingCheck check = CheckBooking({member}, "events/new");
  EXPECT_TRUE(check.ok());
  ASSERT_EQ(check.warnings.size(), 1u);
  EXPECT_FALSE(check.warnings[0].within_buffer_only);
}

TEST(CheckBookingTest, IgnoresTheEventsOwnOldBookingWhenMoving) {
  const CalendarCheck member =
      Member("members/m1", {At(9, 30), At(10, 30)}, {{"events/e1", {At(9), At(10)}}});
  EXPECT_TRUE(CheckBooking({member}, "events/e1").ok());
}

TEST(CheckBookingTest, MultiDayTripClashesWithEventOnItsSecondDay) {
  const absl::Time day1 = At(9);
  const absl::Time day3 = day1 + absl::Hours(48);
  const CalendarCheck member =
      Member("members/m1", {day1, day3},
             {{"events/e1", {day1 + absl::Hours(24), day1 + absl::Hours(26)}}});
  EXPECT_EQ(CheckBooking({member}, "events/new").conflicts.size(), 1u);
}

TEST(CheckBookingTest, ReportsEveryClashOfEveryCalendar) {
  std::vector<CalendarCheck> calendars;
  for (int i = 0; i < 3; ++i) {
    calendars.push_back(Member("members/m" + std::to_string(i), {At(9), At(12)},
                               {{"events/a", {At(9), At(10)}}, {"events/b", {At(11), At(12)}}}));
  }
  EXPECT_EQ(CheckBooking(calendars, "events/new").conflicts.size(), 6u);
}

}  // namespace
}  // namespace fieldwork::scheduling
