// Unit tests of FindSlots without I/O: request defaults and rules, which calendar entries make a
// member busy, blocked_by, counts, and the reasons decided before the search.
#include "common/api/field_checks.h"
#include "gtest/gtest.h"
#include "services/scheduling/slot_request.h"

namespace fieldwork::scheduling {
namespace {

absl::Time ThursdayAt(int hh, int mm = 0) {
  // Thursday 2026-12-03 in Asia/Shanghai (the default rules' zone).
  return absl::FromCivil(absl::CivilMinute(2026, 12, 3, hh, mm), DefaultCalendarRules().zone);
}

CalendarEntry Entry(const std::string& by, absl::Time start, absl::Time end, bool required = true) {
  return {by, {start, end}, required};
}

class SearchSlotsTest : public ::testing::Test {
 protected:
  SearchSlotsTest() {
    search_.window = {ThursdayAt(0), ThursdayAt(24)};
    search_.duration = absl::Hours(1);
    search_.granularity = absl::Minutes(30);
    search_.rules = DefaultCalendarRules();  // 09:00–12:00, 14:00–17:30
    search_.travel_buffer = absl::Minutes(30);
    search_.max_results = 100;
  }

  SlotSearch search_;
};

TEST_F(SearchSlotsTest, OptionalParticipationAndIgnoredBookingsDoNotMakeAMemberBusy) {
  search_.required = {{"m1",
                       {Entry("events/optional", ThursdayAt(9), ThursdayAt(12), /*required=*/false),
                        Entry("events/moved", ThursdayAt(9), ThursdayAt(17, 30))}}};
  search_.ignored_bookings = {"events/moved"};
  const v1::FindSlotsResponse response = SearchSlots(search_);
  ASSERT_FALSE(response.candidates().empty());
  EXPECT_EQ(ToTime(response.candidates(0).time_range().start_time()), ThursdayAt(9));
}

TEST_F(SearchSlotsTest, UnavailableOptionalMembersNameWhatBlocksThem) {
  search_.required = {{"m1", {}}};
  search_.optional = {{"o2", {Entry("events/e1", ThursdayAt(13, 30), ThursdayAt(18))}},
                      {"o1",
                       {Entry("holds/h1", ThursdayAt(8), ThursdayAt(9, 45)),
                        Entry("busy/b1", ThursdayAt(10, 40), ThursdayAt(11)),
                        Entry("events/far", ThursdayAt(15), ThursdayAt(16))}}};
  const v1::FindSlotsResponse response = SearchSlots(search_);
  // No slot has everyone free (o1 misses the morning, o2 the afternoon): the best share is 2/3.
  ASSERT_FALSE(response.candidates().empty());
  const v1::SlotCandidate& first = response.candidates(0);
  EXPECT_EQ(first.attendee_count(), 3);
  EXPECT_EQ(first.available_count(), 2);
  EXPECT_DOUBLE_EQ(first.available_share(), 2.0 / 3);
  EXPECT_EQ(ToTime(first.time_range().start_time()), ThursdayAt(9));
  ASSERT_EQ(first.unavailable_size(), 1);
  EXPECT_EQ(first.unavailable(0).member(), "o1");
  // 09:00–10:00 clashes with the hold (buffer) and the block starting 10:40 (10:00 + 30 min
  // buffer is 10:30 < 10:40: no clash).
  ASSERT_EQ(first.unavailable(0).blocked_by_size(), 1);
  EXPECT_EQ(first.unavailable(0).blocked_by(0), "holds/h1");
}

TEST_F(SearchSlotsTest, UnavailableMembersAreOrderedByName) {
  search_.optional = {{"o2", {Entry("events/a", ThursdayAt(0), ThursdayAt(24))}},
                      {"o1", {Entry("events/b", ThursdayAt(0), ThursdayAt(24))}}};
  const v1::FindSlotsResponse response = SearchSlots(search_);
  ASSERT_FALSE(response.candidates().empty());
  ASSERT_EQ(response.candidates(0).unavailable_size(), 2);
  EXPECT_EQ(response.candidates(0).unavailable(0).member(), "o1");
  EXPECT_EQ(response.candidates(0).unavailable(1).member(), "o2");
}

TEST_F(SearchSlotsTest, WindowShorterThanTheDurationIsExplained) {
  search_.window = {ThursdayAt(9), ThursdayAt(9, 30)};
  const v1::FindSlotsResponse response = SearchSlots(search_);
  ASSERT_EQ(response.no_slot_reasons_size(), 1);
  EXPECT_EQ(response.no_slot_reasons(0).kind(), v1::NO_SLOT_REASON_KIND_WINDOW_TOO_SHORT);
}

TEST_F(SearchSlotsTest, VenueSmallerThanTheRequiredMembersIsExplained) {
  search_.required = {{"m1", {}}, {"m2", {}}, {"m3", {}}};
  search_.venue_name = "venues/room";
  search_.venue_capacity = 2;
  const v1::FindSlotsResponse response = SearchSlots(search_);
  EXPECT_TRUE(response.candidates().empty());
  ASSERT_EQ(response.no_slot_reasons_size(), 1);
  EXPECT_EQ(response.no_slot_reasons(0).kind(), v1::NO_SLOT_REASON_KIND_VENUE_TOO_SMALL);
  EXPECT_EQ(response.no_slot_reasons(0).subject(), "venues/room");
}

TEST_F(SearchSlotsTest, VenueBookingsBlockWithoutATravelBuffer) {
  search_.venue = SlotCalendar{"venues/room", {Entry("events/e", ThursdayAt(9), ThursdayAt(10))}};
  const v1::FindSlotsResponse response = SearchSlots(search_);
  ASSERT_FALSE(response.candidates().empty());
  EXPECT_EQ(ToTime(response.candidates(0).time_range().start_time()), ThursdayAt(10));
}

TEST(CheckFindSlotsRequestTest, AppliesDefaultsAndKeepsFieldPaths) {
  v1::FindSlotsRequest request;
  request.add_required_members("organizations/o1/members/m1");
  request.add_optional_members("organizations/o1/members/m2");
  request.add_required_units("organizations/o1/units/u1");
  request.add_ignore_bookings("organizations/o1/holds/h1");
  request.mutable_duration()->set_seconds(3600);
  *request.mutable_search_window() = ToTimeRange({ThursdayAt(0), ThursdayAt(24)});
  FieldErrors errors;
  const SlotRequest checked = CheckFindSlotsRequest(request, "o1", errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(checked.granularity, absl::Minutes(30));
  EXPECT_EQ(checked.max_results, 10);
  ASSERT_EQ(checked.members.size(), 2u);
  EXPECT_EQ(checked.required_member_count, 1u);
  EXPECT_EQ(checked.members[1].field, "optional_members[0]");
  EXPECT_EQ(checked.units[0].id, "u1");
  ASSERT_EQ(checked.ignored_bookings.size(), 1u);
  EXPECT_TRUE(checked.ignored_bookings[0].hold);
}

TEST(CheckFindSlotsRequestTest, DurationMustBeWholeFiveMinutes) {
  v1::FindSlotsRequest request;
  request.mutable_duration()->set_seconds(62 * 60);
  *request.mutable_search_window() = ToTimeRange({ThursdayAt(0), ThursdayAt(24)});
  FieldErrors errors;
  CheckFindSlotsRequest(request, "o1", errors);
  const auto violations = GetFieldViolations(errors.ToStatus());
  ASSERT_TRUE(violations.has_value());
  ASSERT_EQ(violations->violations_size(), 1);
  EXPECT_EQ(violations->violations(0).field(), "duration");
}

}  // namespace
}  // namespace fieldwork::scheduling
