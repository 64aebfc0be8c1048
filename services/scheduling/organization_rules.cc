// Organization settings → CalendarRules (see organization_rules.h).
#include "services/scheduling/organization_rules.h"

#include "services/scheduling/organization_settings.h"

namespace fieldwork::scheduling {
namespace {

int Minutes(const fieldwork::common::v1::TimeOfDay& time) {
  return time.hours() * 60 + time.minutes();
}

}  // namespace

CalendarRules CalendarRulesOf(const v1::Organization& organization) {
  CalendarRules rules;
  const std::string& zone_name =
      organization.time_zone().empty() ? kDefaultTimeZone : organization.time_zone();
  if (!absl::LoadTimeZone(zone_name, &rules.zone)) {
    absl::LoadTimeZone(kDefaultTimeZone, &rules.zone);
  }
  for (const v1::WorkingDay& day : organization.work_calendar().working_days()) {
    const int index = static_cast<int>(day.day()) - 1;  // DayOfWeek: Monday = 1
    if (index < 0 || index >= static_cast<int>(rules.working_hours.size())) continue;
    for (const fieldwork::common::v1::TimeOfDayRange& period : day.periods()) {
      rules.working_hours[index].push_back(
          WorkingPeriod{Minutes(period.start()), Minutes(period.end())});
    }
  }
  for (const v1::CalendarException& exception : organization.work_calendar().exceptions()) {
    const absl::CivilDay date(exception.date().year(), exception.date().month(),
                              exception.date().day());
    if (exception.kind() == v1::CALENDAR_EXCEPTION_KIND_HOLIDAY) {
      rules.holidays.insert(date);
    } else if (exception.kind() == v1::CALENDAR_EXCEPTION_KIND_MAKE_UP_WORKDAY) {
      rules.makeup_workdays.insert(date);
    }
  }
  return rules;
}

}  // namespace fieldwork::scheduling
