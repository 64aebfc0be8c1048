// The period of a report, pure: a calendar year or an inclusive range of days (at most 5 years)
// read in the organization's time zone, resolved to civil days and to the instants that bound
// event starts. No I/O.
#ifndef FIELDWORK_SERVICES_REPORTING_REPORT_PERIOD_H_
#define FIELDWORK_SERVICES_REPORTING_REPORT_PERIOD_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "fieldwork/common/v1/civil_time.pb.h"
#include "fieldwork/reporting/v1/report.pb.h"

namespace fieldwork::reporting {

struct ResolvedPeriod {
  absl::CivilDay first_day;
  absl::CivilDay last_day;  // inclusive
  // [start of first_day, start of the day after last_day) in the organization's zone: an event
  // belongs to the period when its start lies here.
  Interval instants;
};

inline constexpr int kMaxPeriodDays = 1827;

// INVALID_ARGUMENT naming the field under `field` ("period", "period.year",
// "period.date_range.last_date", …) when the period is unset, out of range or reversed.
absl::StatusOr<ResolvedPeriod> ResolvePeriod(absl::string_view field,
                                             const v1::ReportPeriod& period, absl::TimeZone zone);

// The instants bounding [first_day, last_day] in `zone`.
Interval DaysToInstants(absl::CivilDay first_day, absl::CivilDay last_day, absl::TimeZone zone);

fieldwork::common::v1::CivilDate ToCivilDate(absl::CivilDay day);
fieldwork::common::v1::DateRange ToDateRange(const ResolvedPeriod& period);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_REPORT_PERIOD_H_
