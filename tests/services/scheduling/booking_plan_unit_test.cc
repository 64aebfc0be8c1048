// Unit tests of booking plans: which calendars an event or hold claims, which locks a booking
// takes, and which existing entries clash with a claim (no Redis).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "gtest/gtest.h"
#include "services/scheduling/booking_plan.h"

namespace fieldwork::scheduling {
namespace {

constexpr char kOrg[] = "tongguan";

absl::Time PlanAt(int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2030, 1, 7, hour, minute), absl::UTCTimeZone());
}

CalendarClaim Member(std::string id, Interval interval, bool required = true,
                     std::string booked_by = "organizations/tongguan/events/new") {
  return {CalendarClaim::Calendar::kMember, std::move(id),
          CalendarEntry{std::move(booked_by), interval, required}};
}

BookingPlan Plan(std::vector<CalendarClaim> claims) {
  BookingPlan plan;
  plan.organization = kOrg;
  plan.claims = std::move(claims);
  plan.travel_buffer = absl::Minutes(30);
  plan.ignored.insert("organizations/tongguan/events/new");
  return plan;
}

v1::Event Scheduled() {
  v1::Event event;
  event.set_name("organizations/tongguan/events/e1");
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range() = ToTimeRange({PlanAt(9), PlanAt(17)});
  for (auto [member, role] : {std::pair{"m1", v1::PARTICIPANT_ROLE_LEAD},
                              std::pair{"m2", v1::PARTICIPANT_ROLE_OPTIONAL}}) {
    v1::Participant* participant = event.add_resolved_participants();
    participant->set_member(absl::StrCat("organizations/tongguan/members/", member));
    participant->set_role(role);
  }
  for (const char* venue : {"plant", "park"}) {
    v1::ItineraryStop* stop = event.add_itinerary();
    stop->set_venue(absl::StrCat("organizations/tongguan/venues/", venue));
    *stop->mutable_time_range() =
        ToTimeRange({PlanAt(venue[1] == 'l' ? 9 : 13), PlanAt(venue[1] == 'l' ? 11 : 15)});
  }
  return event;
}

TEST(EventClaimsTest, ScheduledEventClaimsItsPeopleAndExclusiveStopsForTheirOwnTimes) {
  const std::vector<CalendarClaim> claims =
      EventClaims(Scheduled(), [](absl::string_view venue) { return venue == "plant"; });
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].CalendarKey(), "member:m1");
  EXPECT_TRUE(claims[0].entry.required);
  EXPECT_EQ(claims[1].CalendarKey(), "member:m2");
  EXPECT_FALSE(claims[1].entry.required);
  EXPECT_EQ(claims[2].CalendarKey(), "venue:plant");
  EXPECT_EQ(claims[2].entry.interval, (Interval{PlanAt(9), PlanAt(11)}));
}

TEST(EventClaimsTest, DraftsAndCancelledEventsClaimNothing) {
  for (v1::EventState state : {v1::EVENT_STATE_DRAFT, v1::EVENT_STATE_CANCELLED}) {
    v1::Event event = Scheduled();
    event.set_state(state);
    EXPECT_TRUE(EventClaims(event, [](absl::string_view) { return true; }).empty());
  }
}

TEST(LockKeysTest, LocksRequiredMembersAndVenuesButNotOptionalMembers) {
  BookingPlan plan =
      Plan({Member("m2", {PlanAt(9), PlanAt(10)}), Member("m1", {PlanAt(9), PlanAt(10)}, false)});
  plan.claims.push_back(
      {CalendarClaim::Calendar::kVenue, "hall", CalendarEntry{"e", {PlanAt(9), PlanAt(10)}}});
  plan.releases.push_back(Member("m3", {PlanAt(12), PlanAt(13)}));
  EXPECT_EQ(LockKeys(plan), (std::vector<std::string>{"fw:{tongguan}:lock:member:m2",
                                                      "fw:{tongguan}:lock:member:m3",
                                                      "fw:{tongguan}:lock:venue:hall"}));
}

TEST(CheckPlanTest, RequiredClaimClashesOnlyWithRequiredEntriesOfOthers) {
  const BookingPlan plan = Plan({Member("m1", {PlanAt(10), PlanAt(11)})});
  const absl::flat_hash_map<std::string, std::vector<CalendarEntry>> existing = {
      {"member:m1",
       {CalendarEntry{"organizations/tongguan/events/optional", {PlanAt(10), PlanAt(11)}, false},
        CalendarEntry{"organizations/tongguan/events/new", {PlanAt(10), PlanAt(11)}, true},
        CalendarEntry{"organizations/tongguan/events/near", {PlanAt(11, 20), PlanAt(12)}, true}}}};
  const BookingCheck check = CheckPlan(plan, existing);
  ASSERT_EQ(check.conflicts.size(), 1u);
  EXPECT_EQ(check.conflicts[0].booked_by, "organizations/tongguan/events/near");
  EXPECT_TRUE(check.conflicts[0].within_buffer_only);
  const auto conflicts = ToConflicts(plan, check.conflicts);
  EXPECT_EQ(conflicts.conflicts(0).calendar(), "organizations/tongguan/members/m1");
  EXPECT_TRUE(absl::StrContains(conflicts.conflicts(0).reason(), "travel buffer 30 min"));
}

TEST(CheckPlanTest, OptionalClaimOverlapIsAWarning) {
  const BookingPlan plan = Plan({Member("m2", {PlanAt(10), PlanAt(11)}, /*required=*/false)});
  const BookingCheck check = CheckPlan(
      plan, {{"member:m2",
              {CalendarEntry{"organizations/tongguan/events/e1", {PlanAt(10), PlanAt(12)}}}}});
  EXPECT_TRUE(check.ok());
  ASSERT_EQ(check.warnings.size(), 1u);
  const std::vector<v1::BookingWarning> warnings = ToWarnings(check.warnings);
  EXPECT_EQ(warnings[0].kind(), v1::BOOKING_WARNING_KIND_OPTIONAL_PARTICIPANT_BUSY);
  EXPECT_EQ(warnings[0].subject(), "organizations/tongguan/members/m2");
}

TEST(CheckPlanTest, BusyBlockClashesWithBookingsButNotWithOtherBusyBlocks) {
  BookingPlan plan = Plan({Member("m1", {PlanAt(10), PlanAt(11)}, true,
                                  "organizations/tongguan/members/m1/busyBlocks/b2")});
  plan.busy_block = true;
  const BookingCheck check = CheckPlan(
      plan,
      {{"member:m1",
        {CalendarEntry{"organizations/tongguan/members/m1/busyBlocks/b1", {PlanAt(9), PlanAt(12)}},
         CalendarEntry{"organizations/tongguan/holds/h1", {PlanAt(10), PlanAt(11)}}}}});
  ASSERT_EQ(check.conflicts.size(), 1u);
  EXPECT_EQ(check.conflicts[0].booked_by, "organizations/tongguan/holds/h1");
}

TEST(CheckPlanTest, VenueTakesNoTravelBuffer) {
  BookingPlan plan = Plan({});
  plan.claims.push_back(
      {CalendarClaim::Calendar::kVenue, "hall", CalendarEntry{"e", {PlanAt(11), PlanAt(12)}}});
  EXPECT_TRUE(
      CheckPlan(plan,
                {{"venue:hall",
                  {CalendarEntry{"organizations/tongguan/events/x", {PlanAt(10), PlanAt(11)}}}}})
          .ok());
  EXPECT_FALSE(
      CheckPlan(plan,
                {{"venue:hall",
                  {CalendarEntry{"organizations/tongguan/events/x", {PlanAt(10), PlanAt(11, 1)}}}}})
          .ok());
}

TEST(ReadWindowsTest, CoversEveryClaimOfACalendar) {
  BookingPlan plan = Plan({});
  for (int hour : {9, 14}) {
    plan.claims.push_back({CalendarClaim::Calendar::kVenue, "plant",
                           CalendarEntry{"e", {PlanAt(hour), PlanAt(hour + 1)}}});
  }
  EXPECT_EQ(ReadWindows(plan).at("venue:plant"), (Interval{PlanAt(9), PlanAt(15)}));
}

// What a booking locked and read ahead of its plan: the locks and read windows of `guess`.
struct Ahead {
  std::vector<std::string> keys;
  absl::flat_hash_map<std::string, Interval> windows;
};

Ahead AheadOf(const BookingPlan& guess) { return {LockKeys(guess), ReadWindows(guess)}; }

TEST(CoveredByTest, APlanAsGuessedIsCovered) {
  const BookingPlan plan = Plan({Member("m1", {PlanAt(9), PlanAt(11)})});
  const Ahead ahead = AheadOf(plan);
  EXPECT_TRUE(CoveredBy(plan, ahead.keys, ahead.windows, absl::Hours(4)));
}

TEST(CoveredByTest, ALockNotTakenAheadIsNotCovered) {
  const Ahead ahead = AheadOf(Plan({Member("m1", {PlanAt(9), PlanAt(11)})}));
  const BookingPlan plan =
      Plan({Member("m1", {PlanAt(9), PlanAt(11)}), Member("m2", {PlanAt(9), PlanAt(11)})});
  EXPECT_FALSE(CoveredBy(plan, ahead.keys, ahead.windows, absl::Hours(4)));
  // An optional participant takes no lock, but its calendar must still have been read.
  const BookingPlan optional =
      Plan({Member("m1", {PlanAt(9), PlanAt(11)}), Member("m2", {PlanAt(9), PlanAt(11)}, false)});
  EXPECT_FALSE(CoveredBy(optional, ahead.keys, ahead.windows, absl::Hours(4)));
}

TEST(CoveredByTest, ExtraLocksTakenAheadStillCover) {
  const Ahead ahead =
      AheadOf(Plan({Member("m1", {PlanAt(9), PlanAt(11)}), Member("m2", {PlanAt(9), PlanAt(11)})}));
  const BookingPlan plan = Plan({Member("m1", {PlanAt(9), PlanAt(11)})});
  EXPECT_TRUE(CoveredBy(plan, ahead.keys, ahead.windows, absl::Hours(4)));
}

TEST(CoveredByTest, AClaimOutsideTheWindowReadIsNotCovered) {
  const Ahead ahead = AheadOf(Plan({Member("m1", {PlanAt(9), PlanAt(11)})}));
  const BookingPlan later = Plan({Member("m1", {PlanAt(10), PlanAt(12)})});
  EXPECT_FALSE(CoveredBy(later, ahead.keys, ahead.windows, absl::Hours(4)));
  const BookingPlan inside = Plan({Member("m1", {PlanAt(9, 30), PlanAt(11)})});
  EXPECT_TRUE(CoveredBy(inside, ahead.keys, ahead.windows, absl::Hours(4)));
}

TEST(CoveredByTest, ATravelBufferWiderThanTheReadIsNotCovered) {
  BookingPlan plan = Plan({Member("m1", {PlanAt(9), PlanAt(11)})});
  const Ahead ahead = AheadOf(plan);
  plan.travel_buffer = absl::Minutes(30);
  EXPECT_TRUE(CoveredBy(plan, ahead.keys, ahead.windows, absl::Minutes(30)));
  EXPECT_FALSE(CoveredBy(plan, ahead.keys, ahead.windows, absl::Minutes(29)));
}

}  // namespace
}  // namespace fieldwork::scheduling
