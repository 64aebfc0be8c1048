// The load generator's pure parts: the booking scenarios book distinct members at one time when
// uncontended and make bookings race when contended; the checker's overlap finder counts the
// travel buffer.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tools/load-generator/booking_checker.h"
#include "tools/load-generator/booking_load.h"

namespace fieldwork::bench {
namespace {

const absl::Time kNine = absl::FromUnixSeconds(1800000000);

SeededOrganization Organization(const std::string& id, int members) {
  SeededOrganization organization{id, {}, {}};
  for (int i = 0; i < members; ++i) organization.members.push_back(absl::StrFormat("m%04d", i));
  return organization;
}

// (member, start) of every required participant of bookings [0, count).
std::vector<std::pair<std::string, int64_t>> Calendars(const BookingLayout& layout, int count) {
  std::vector<std::pair<std::string, int64_t>> calendars;
  for (int i = 0; i < count; ++i) {
    const auto request = BookingRequest(layout, i);
    for (const auto& participant : request.event().participants()) {
      calendars.emplace_back(participant.member(),
                             request.event().time_range().start_time().seconds());
    }
  }
  return calendars;
}

TEST(BookingRequestTest, UncontendedBookingsNeverShareAMemberAtOneTime) {
  BookingLayout layout;
  layout.organizations = {Organization("a", 300), Organization("b", 300)};
  layout.group = UncontendedGroup(300, layout.members_per_event);
  layout.first_start = kNine;
  const auto calendars = Calendars(layout, 2000);
  const std::set<std::pair<std::string, int64_t>> distinct(calendars.begin(), calendars.end());
  EXPECT_EQ(distinct.size(), calendars.size());
}

TEST(BookingRequestTest, ContendedBookingsWantTheSameMemberAtOneTime) {
  BookingLayout layout;
  layout.organizations = {Organization("a", 6)};
  layout.group = 4;
  layout.first_start = kNine;
  const auto calendars = Calendars(layout, 4);
  const std::set<std::pair<std::string, int64_t>> distinct(calendars.begin(), calendars.end());
  EXPECT_EQ(calendars.size(), 8u);
  EXPECT_EQ(distinct.size(), 6u);
}

TEST(BookingRequestTest, SpreadsBookingsRoundRobinOverOrganizations) {
  BookingLayout layout;
  layout.organizations = {Organization("a", 50), Organization("b", 50), Organization("c", 50)};
  layout.group = UncontendedGroup(50, layout.members_per_event);
  layout.first_start = kNine;
  EXPECT_EQ(BookingRequest(layout, 0).parent(), "organizations/a");
  EXPECT_EQ(BookingRequest(layout, 4).parent(), "organizations/b");
  EXPECT_EQ(BookingRequest(layout, 8).parent(), "organizations/c");
}

TEST(FindOverlapsTest, FindsABookingInsideTheTravelBuffer) {
  const std::vector<Booking> bookings = {
      {kNine + absl::Hours(2) + absl::Minutes(20), kNine + absl::Hours(3), "events/b"},
      {kNine, kNine + absl::Hours(2), "events/a"}};
  const auto found = FindOverlaps(bookings, absl::Minutes(30), "members/m1");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("events/a"), std::string::npos);
  EXPECT_NE(found[0].find("events/b"), std::string::npos);
}

TEST(FindOverlapsTest, AcceptsABookingRightAfterTheTravelBuffer) {
  const std::vector<Booking> bookings = {
      {kNine, kNine + absl::Hours(2), "events/a"},
      {kNine + absl::Hours(2) + absl::Minutes(30), kNine + absl::Hours(3), "events/b"}};
  EXPECT_TRUE(FindOverlaps(bookings, absl::Minutes(30), "members/m1").empty());
}

TEST(FindOverlapsTest, FindsABookingOverlappedByAnEarlierLongOne) {
  const std::vector<Booking> bookings = {
      {kNine, kNine + absl::Hours(10), "events/long"},
      {kNine + absl::Hours(1), kNine + absl::Hours(2), "events/short"},
      {kNine + absl::Hours(5), kNine + absl::Hours(6), "events/later"}};
  EXPECT_EQ(FindOverlaps(bookings, absl::ZeroDuration(), "members/m1").size(), 2u);
}

}  // namespace
}  // namespace fieldwork::bench
