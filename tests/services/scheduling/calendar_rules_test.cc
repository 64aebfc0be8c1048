// Unit tests of working time: weekdays, holidays, make-up working days, time-zone transitions.
#include "services/scheduling/calendar_rules.h"

#include "gtest/gtest.h"

namespace fieldwork::scheduling {
namespace {

absl::Time Local(const CalendarRules& rules, int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), rules.zone);
}

TEST(CalendarRulesTest, DefaultRulesWorkTwoPeriodsOnWeekdaysInShanghai) {
  const CalendarRules rules = DefaultCalendarRules();
  EXPECT_EQ(rules.zone.name(), "Asia/Shanghai");
  // 2026-12-03 is a Thursday, 2026-12-05 a Saturday.
  const auto thursday =
      WorkingIntervals(rules, {Local(rules, 2026, 12, 3), Local(rules, 2026, 12, 4)});
  ASSERT_EQ(thursday.size(), 2u);
  EXPECT_EQ(thursday[0].start, Local(rules, 2026, 12, 3, 9));
  EXPECT_EQ(thursday[1].end, Local(rules, 2026, 12, 3, 17, 30));
  EXPECT_TRUE(
      WorkingIntervals(rules, {Local(rules, 2026, 12, 5), Local(rules, 2026, 12, 6)}).empty());
}

TEST(CalendarRulesTest, HolidayOnAWeekdayHasNoWorkingTime) {
  CalendarRules rules = DefaultCalendarRules();
  rules.holidays.insert(absl::CivilDay(2026, 10, 1));  // Thursday, National Day
  EXPECT_FALSE(rules.IsWorkingDay(absl::CivilDay(2026, 10, 1)));
  EXPECT_TRUE(
      WorkingIntervals(rules, {Local(rules, 2026, 10, 1), Local(rules, 2026, 10, 2)}).empty());
}

TEST(CalendarRulesTest, MakeUpWorkdayOnASundayWorksMondayHours) {
  CalendarRules rules = DefaultCalendarRules();
  rules.makeup_workdays.insert(absl::CivilDay(2026, 9, 27));  // a Sunday 调休
  const auto sunday =
      WorkingIntervals(rules, {Local(rules, 2026, 9, 27), Local(rules, 2026, 9, 28)});
  ASSERT_EQ(sunday.size(), 2u);
  EXPECT_EQ(sunday[0].start, Local(rules, 2026, 9, 27, 9));
}

TEST(CalendarRulesTest, WindowClipsWorkingPeriods) {
  const CalendarRules rules = DefaultCalendarRules();
  const auto clipped =
      WorkingIntervals(rules, {Local(rules, 2026, 12, 3, 10), Local(rules, 2026, 12, 3, 15)});
  ASSERT_EQ(clipped.size(), 2u);
  EXPECT_EQ(clipped[0].start, Local(rules, 2026, 12, 3, 10));
  EXPECT_EQ(clipped[1].end, Local(rules, 2026, 12, 3, 15));
}

TEST(CalendarRulesTest, WorkingHoursFollowLocalTimeAcrossDaylightSavingChange) {
  CalendarRules rules = DefaultCalendarRules();
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &rules.zone));
  // DST ends on Sunday 2026-11-01: 09:00 local is 13:00 UTC on Friday and 14:00 UTC on Monday.
  const auto friday =
      WorkingIntervals(rules, {Local(rules, 2026, 10, 30), Local(rules, 2026, 10, 31)});
  const auto monday =
      WorkingIntervals(rules, {Local(rules, 2026, 11, 2), Local(rules, 2026, 11, 3)});
  ASSERT_FALSE(friday.empty());
  ASSERT_FALSE(monday.empty());
  EXPECT_EQ(absl::FormatTime("%H:%M", friday[0].start, absl::UTCTimeZone()), "13:00");
  EXPECT_EQ(absl::FormatTime("%H:%M", monday[0].start, absl::UTCTimeZone()), "14:00");
}

}  // namespace
}  // namespace fieldwork::scheduling
