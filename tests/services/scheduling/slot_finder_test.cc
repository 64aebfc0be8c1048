// Unit tests of slot finding: ranking, buffers, holidays, multi-day trips, explanations.
#include "services/scheduling/slot_finder.h"

#include <random>

#include "gtest/gtest.h"

namespace fieldwork::scheduling {
namespace {

class SlotFinderTest : public ::testing::Test {
 protected:
  SlotFinderTest() {
    query_.rules = DefaultCalendarRules();
    query_.duration = absl::Hours(2);
    query_.buffer = absl::Minutes(30);
    // Thursday 2026-12-03 and Friday 2026-12-04.
    query_.window = {Local(2026, 12, 3, 0), Local(2026, 12, 5, 0)};
  }

  absl::Time Local(int y, int m, int d, int hh, int mm = 0) const {
    return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), query_.rules.zone);
  }

  SlotQuery query_;
};

TEST_F(SlotFinderTest, EarliestWorkingSlotWhenEveryoneIsFree) {
  query_.required = {{"m1", {}}};
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 3, 9));
  // Morning slots end by 12:00 and afternoon slots by 17:30: none crosses the lunch break.
  for (const SlotCandidate& c : result.candidates) {
    const absl::CivilMinute end = absl::ToCivilMinute(c.slot.end, query_.rules.zone);
    EXPECT_TRUE(end.hour() <= 12 || end.hour() >= 14) << absl::FormatCivilTime(end);
  }
}

TEST_F(SlotFinderTest, RequiredBookingAndItsTravelBufferAreAvoided) {
  query_.required = {{"m1", {{Local(2026, 12, 3, 9), Local(2026, 12, 3, 10)}}}};
  query_.max_results = 1;
  const SlotResult result = FindSlots(query_);
  ASSERT_EQ(result.candidates.size(), 1u);
  // 10:00 + 30 min buffer = 10:30, but 10:30–12:30 crosses lunch; the afternoon opens at 14:00.
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 3, 14));
}

TEST_F(SlotFinderTest, RanksByShareOfOptionalAttendeesThenEarliest) {
  query_.required = {{"m1", {}}};
  query_.optional = {{"o1", {{Local(2026, 12, 3, 9), Local(2026, 12, 3, 18)}}}, {"o2", {}}};
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 4, 9));
  EXPECT_DOUBLE_EQ(result.candidates[0].share_available, 1.0);
  const SlotCandidate& worst = result.candidates.back();
  EXPECT_LT(worst.share_available, 1.0);
  EXPECT_EQ(worst.unavailable, std::vector<std::string>{"o1"});
}

TEST_F(SlotFinderTest, MinimumOptionalShareFiltersCandidates) {
  query_.optional = {{"o1", {{Local(2026, 12, 3, 0), Local(2026, 12, 5, 0)}}}, {"o2", {}}};
  query_.min_optional_share = 0.75;
  const SlotResult result = FindSlots(query_);
  EXPECT_TRUE(result.candidates.empty());
  ASSERT_EQ(result.why_empty.size(), 1u);
  EXPECT_EQ(result.why_empty[0].reason, EmptyReason::kOptionalShareTooLow);
}

TEST_F(SlotFinderTest, HolidayIsSkipped) {
  query_.rules.holidays.insert(absl::CivilDay(2026, 12, 3));
  query_.required = {{"m1", {}}};
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 4, 9));
}

TEST_F(SlotFinderTest, MakeUpWorkdayOffersWeekendSlots) {
  query_.window = {Local(2026, 12, 5, 0), Local(2026, 12, 6, 0)};  // Saturday
  EXPECT_TRUE(FindSlots(query_).candidates.empty());
  query_.rules.makeup_workdays.insert(absl::CivilDay(2026, 12, 5));
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 5, 9));
}

TEST_F(SlotFinderTest, MultiDayTripSpansOnlyWorkingDays) {
  query_.duration = absl::Hours(24) + absl::Hours(8);  // Thursday 09:00 → Friday 17:00
  query_.window = {Local(2026, 12, 3, 0), Local(2026, 12, 8, 0)};
  query_.granularity = absl::Hours(1);
  query_.max_results = 100;
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 3, 9));
  for (const SlotCandidate& c : result.candidates) {
    const absl::CivilDay start_day = absl::ToCivilDay(c.slot.start, query_.rules.zone);
    EXPECT_NE(start_day, absl::CivilDay(2026, 12, 4)) << "Friday trip would end on Saturday";
  }
}

TEST_F(SlotFinderTest, ExplainsRequiredMemberBusyThroughout) {
  query_.required = {{"m1", {}}, {"m2", {{Local(2026, 12, 1, 0), Local(2026, 12, 9, 0)}}}};
  const SlotResult result = FindSlots(query_);
  EXPECT_TRUE(result.candidates.empty());
  ASSERT_EQ(result.why_empty.size(), 1u);
  EXPECT_EQ(result.why_empty[0].reason, EmptyReason::kRequiredBusy);
  EXPECT_EQ(result.why_empty[0].subject, "m2");
}

TEST_F(SlotFinderTest, ExplainsVenueBusyAndNoWorkingTime) {
  query_.venue = Attendee{"v1", {{Local(2026, 12, 1, 0), Local(2026, 12, 9, 0)}}};
  SlotResult result = FindSlots(query_);
  ASSERT_EQ(result.why_empty.size(), 1u);
  EXPECT_EQ(result.why_empty[0].reason, EmptyReason::kVenueBusy);

  query_.venue.reset();
  query_.window = {Local(2026, 12, 5, 0), Local(2026, 12, 7, 0)};  // a weekend
  result = FindSlots(query_);
  ASSERT_EQ(result.why_empty.size(), 1u);
  EXPECT_EQ(result.why_empty[0].reason, EmptyReason::kNoWorkingTime);
}

TEST_F(SlotFinderTest, ExplainsWhenRequiredMembersNeverShareFreeTime) {
  query_.required = {{"m1", {{Local(2026, 12, 3, 0), Local(2026, 12, 4, 0)}}},
                     {"m2", {{Local(2026, 12, 4, 0), Local(2026, 12, 5, 0)}}}};
  const SlotResult result = FindSlots(query_);
  ASSERT_EQ(result.why_empty.size(), 1u);
  EXPECT_EQ(result.why_empty[0].reason, EmptyReason::kNoCommonTime);
}

TEST_F(SlotFinderTest, IgnoringWorkingHoursOffersEveningsOnTheGrid) {
  query_.respect_working_hours = false;
  query_.window = {Local(2026, 12, 5, 19, 10), Local(2026, 12, 6, 0)};
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 5, 19, 30));
  EXPECT_EQ(result.candidates.back().slot.end <= Local(2026, 12, 6, 0), true);
}

TEST_F(SlotFinderTest, GridStartsAtTheGridOriginWhenGiven) {
  query_.respect_working_hours = false;
  query_.window = {Local(2026, 12, 5, 19, 10), Local(2026, 12, 6, 0)};
  query_.grid_origin = query_.window.start;
  const SlotResult result = FindSlots(query_);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 5, 19, 10));
  for (const SlotCandidate& c : result.candidates) {
    EXPECT_EQ((c.slot.start - query_.window.start) % query_.granularity, absl::ZeroDuration());
  }
}

TEST_F(SlotFinderTest, DisjointCandidatesNeverOverlapAndKeepTheRanking) {
  query_.required = {{"m1", {}}};
  query_.optional = {{"o1", {{Local(2026, 12, 3, 9), Local(2026, 12, 3, 18)}}}};
  query_.disjoint = true;
  query_.max_results = 100;
  const SlotResult result = FindSlots(query_);
  // Thursday morning 09:00–12:00 and afternoon 14:00–17:30 fit one 2-hour slot each; Friday too.
  ASSERT_EQ(result.candidates.size(), 4u);
  EXPECT_EQ(result.candidates[0].slot.start, Local(2026, 12, 4, 9));  // o1 free: ranked first
  EXPECT_EQ(result.candidates[1].slot.start, Local(2026, 12, 4, 14));
  EXPECT_EQ(result.candidates[2].slot.start, Local(2026, 12, 3, 9));
  for (size_t i = 0; i < result.candidates.size(); ++i) {
    for (size_t j = i + 1; j < result.candidates.size(); ++j) {
      EXPECT_FALSE(
          Overlaps(result.candidates[i].slot, result.candidates[j].slot, absl::ZeroDuration()))
          << i << " and " << j;
    }
  }
}

TEST_F(SlotFinderTest, AgreesWithBruteForceOnRandomCalendars) {
  std::mt19937 random(2026);
  std::uniform_int_distribution<int> minute(0, 3 * 24 * 60);
  std::uniform_int_distribution<int> length(15, 240);
  const auto random_busy = [&] {
    std::vector<Interval> busy;
    for (int i = 0; i < 6; ++i) {
      const absl::Time start = query_.window.start + absl::Minutes(minute(random));
      busy.push_back({start, start + absl::Minutes(length(random))});
    }
    return busy;
  };
  query_.respect_working_hours = false;
  query_.window = {Local(2026, 12, 3, 0), Local(2026, 12, 6, 0)};
  query_.max_results = 1000;
  for (int round = 0; round < 20; ++round) {
    query_.required = {{"r1", random_busy()}, {"r2", random_busy()}};
    query_.optional = {{"o1", random_busy()}, {"o2", random_busy()}, {"o3", random_busy()}};
    const SlotResult result = FindSlots(query_);
    size_t expected_count = 0;
    for (absl::Time s = query_.window.start; s + query_.duration <= query_.window.end;
         s += query_.granularity) {
      const Interval slot{s, s + query_.duration};
      const auto busy = [&](const Attendee& a) {
        return std::any_of(a.busy.begin(), a.busy.end(),
                           [&](const Interval& b) { return Overlaps(slot, b, query_.buffer); });
      };
      if (std::any_of(query_.required.begin(), query_.required.end(), busy)) continue;
      ++expected_count;
      std::vector<std::string> unavailable;
      for (const Attendee& a : query_.optional) {
        if (busy(a)) unavailable.push_back(a.name);
      }
      const auto found = std::find_if(result.candidates.begin(), result.candidates.end(),
                                      [&](const SlotCandidate& c) { return c.slot == slot; });
      ASSERT_NE(found, result.candidates.end()) << "missing slot at " << s;
      EXPECT_EQ(found->unavailable, unavailable);
    }
    EXPECT_EQ(result.candidates.size(), expected_count);
  }
}

}  // namespace
}  // namespace fieldwork::scheduling
