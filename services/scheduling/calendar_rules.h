// An organization's civil calendar: its time zone, working hours per weekday, holidays and make-up
// working days (调休). Answers "when is working time" for slot finding. Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CALENDAR_RULES_H_
#define FIELDWORK_SERVICES_SCHEDULING_CALENDAR_RULES_H_

#include <array>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/interval.h"

namespace fieldwork::scheduling {

// A stretch of working time within one civil day, in minutes after local midnight: [start, end).
struct WorkingPeriod {
  int start_minute = 0;
  int end_minute = 0;
};

struct CalendarRules {
  absl::TimeZone zone = absl::UTCTimeZone();
  // Indexed by weekday, Monday = 0 … Sunday = 6. An empty list means a day off.
  std::array<std::vector<WorkingPeriod>, 7> working_hours;
  absl::flat_hash_set<absl::CivilDay> holidays;  // days off although the weekday works
  absl::flat_hash_set<absl::CivilDay>
      makeup_workdays;  // 调休: days that work although the weekday is off

  // The working periods of `day`: none on a holiday; on a make-up working day those of the first
  // weekday that has any (usually Monday), since 调休 days follow an ordinary working schedule.
  const std::vector<WorkingPeriod>& PeriodsOn(absl::CivilDay day) const;
  bool IsWorkingDay(absl::CivilDay day) const { return !PeriodsOn(day).empty(); }
};

// Monday–Friday 09:00–12:00 and 14:00–17:30 in Asia/Shanghai: the default for a new organization.
CalendarRules DefaultCalendarRules();

// The working time inside `window`, as absolute intervals in ascending order. Civil times that a
// time-zone transition skips or repeats are resolved by absl::FromCivil.
std::vector<Interval> WorkingIntervals(const CalendarRules& rules, const Interval& window);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CALENDAR_RULES_H_
