// The period of a report (see report_period.h).
#include "services/reporting/report_period.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace fieldwork::reporting {
namespace {

constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2100;

// The day `date` names, or an error under `field` when it names none (e.g. 2026-02-30).
absl::StatusOr<absl::CivilDay> DayOf(absl::string_view field,
                                     const fieldwork::common::v1::CivilDate& date) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < kFirstYear || date.year() > kLastYear || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return InvalidField(field, absl::StrCat("must be a real date in ", kFirstYear, "–", kLastYear));
  }
  return day;
}

}  // namespace

Interval DaysToInstants(absl::CivilDay first_day, absl::CivilDay last_day, absl::TimeZone zone) {
  return {absl::FromCivil(first_day, zone), absl::FromCivil(last_day + 1, zone)};
}

absl::StatusOr<ResolvedPeriod> ResolvePeriod(absl::string_view field,
                                             const v1::ReportPeriod& period, absl::TimeZone zone) {
  ResolvedPeriod resolved;
  switch (period.period_case()) {
    case v1::ReportPeriod::kYear:
      if (period.year() < kFirstYear || period.year() > kLastYear) {
        return InvalidField(absl::StrCat(field, ".year"),
                            absl::StrCat("must be ", kFirstYear, "–", kLastYear));
      }
      resolved.first_day = absl::CivilDay(period.year(), 1, 1);
      resolved.last_day = absl::CivilDay(period.year(), 12, 31);
      break;
    case v1::ReportPeriod::kDateRange: {
      const std::string range = absl::StrCat(field, ".date_range");
      absl::StatusOr<absl::CivilDay> first =
          DayOf(absl::StrCat(range, ".first_date"), period.date_range().first_date());
      if (!first.ok()) return first.status();
      absl::StatusOr<absl::CivilDay> last =
          DayOf(absl::StrCat(range, ".last_date"), period.date_range().last_date());
      if (!last.ok()) return last.status();
      if (*last < *first) {
        return InvalidField(absl::StrCat(range, ".last_date"), "must not precede first_date");
      }
      if (*last - *first + 1 > kMaxPeriodDays) {
        return InvalidField(range,
                            absl::StrCat("must span at most ", kMaxPeriodDays, " days (5 years)"));
      }
      resolved.first_day = *first;
      resolved.last_day = *last;
      break;
    }
    default:
      return InvalidField(field, "required: a year or a date_range");
  }
  resolved.instants = DaysToInstants(resolved.first_day, resolved.last_day, zone);
  return resolved;
}

fieldwork::common::v1::CivilDate ToCivilDate(absl::CivilDay day) {
  fieldwork::common::v1::CivilDate date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

fieldwork::common::v1::DateRange ToDateRange(const ResolvedPeriod& period) {
  fieldwork::common::v1::DateRange range;
  *range.mutable_first_date() = ToCivilDate(period.first_day);
  *range.mutable_last_date() = ToCivilDate(period.last_day);
  return range;
}

}  // namespace fieldwork::reporting
