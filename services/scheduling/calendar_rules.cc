// Working time of an organization's civil calendar (see calendar_rules.h).
#include "services/scheduling/calendar_rules.h"

#include <algorithm>

namespace fieldwork::scheduling {
namespace {

int WeekdayIndex(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

const std::vector<WorkingPeriod>& NoPeriods() {
  static const std::vector<WorkingPeriod>* const none = new std::vector<WorkingPeriod>();
  return *none;
}

}  // namespace

const std::vector<WorkingPeriod>& CalendarRules::PeriodsOn(absl::CivilDay day) const {
  if (holidays.contains(day)) return NoPeriods();
  const std::vector<WorkingPeriod>& regular = working_hours[WeekdayIndex(day)];
  if (!regular.empty() || !makeup_workdays.contains(day)) return regular;
  for (const auto& periods : working_hours) {
    if (!periods.empty()) return periods;
  }
  return NoPeriods();
}

CalendarRules DefaultCalendarRules() {
  CalendarRules rules;
  absl::LoadTimeZone("Asia/Shanghai", &rules.zone);
  for (int weekday = 0; weekday < 5; ++weekday) {
    rules.working_hours[weekday] = {{9 * 60, 12 * 60}, {14 * 60, 17 * 60 + 30}};
  }
  return rules;
}

std::vector<Interval> WorkingIntervals(const CalendarRules& rules, const Interval& window) {
  std::vector<Interval> result;
  if (window.end <= window.start) return result;
  const absl::CivilDay first = absl::ToCivilDay(window.start, rules.zone);
  const absl::CivilDay last = absl::ToCivilDay(window.end, rules.zone);
  for (absl::CivilDay day = first; day <= last; ++day) {
    for (const WorkingPeriod& period : rules.PeriodsOn(day)) {
      const absl::CivilMinute day_start(day);
      Interval interval{absl::FromCivil(day_start + period.start_minute, rules.zone),
                        absl::FromCivil(day_start + period.end_minute, rules.zone)};
      interval.start = std::max(interval.start, window.start);
      interval.end = std::min(interval.end, window.end);
      if (interval.start < interval.end) result.push_back(interval);
    }
  }
  return result;
}

}  // namespace fieldwork::scheduling
