// Counting participations into AttendanceStats, pure: outcome counts, pending, the attendance rate
// attended ÷ (invited − excused), hours (each attended event's duration, at most 8 hours per civil
// day it touches) and points. Sums stay unrounded until FinishStats. No I/O.
#ifndef FIELDWORK_SERVICES_REPORTING_ATTENDANCE_STATS_H_
#define FIELDWORK_SERVICES_REPORTING_ATTENDANCE_STATS_H_

#include "absl/time/time.h"
#include "common/api/interval.h"
#include "fieldwork/common/v1/attendance_outcome.pb.h"
#include "fieldwork/reporting/v1/report.pb.h"
#include "fieldwork/scheduling/v1/event_kind.pb.h"
#include "services/reporting/scoring.h"

namespace fieldwork::reporting {

// One member's part in one event, as reports count it.
struct Participation {
  fieldwork::scheduling::v1::EventKind kind = fieldwork::scheduling::v1::EVENT_KIND_UNSPECIFIED;
  // UNSPECIFIED while the event is not finalized (pending).
  fieldwork::common::v1::AttendanceOutcome outcome =
      fieldwork::common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED;
  Interval time;
};

inline constexpr absl::Duration kMaxHoursPerDay = absl::Hours(8);

// Hours counted for attending an event over `time`: per civil day of `zone` it touches, its part
// of that day, at most 8 hours.
double HoursOf(const Interval& time, absl::TimeZone zone);

// Points of a participation (0 while pending).
double PointsOf(const Participation& participation, const Scoring& scoring);

// Whether the outcome counts as attended (present, late, left early).
bool Attended(fieldwork::common::v1::AttendanceOutcome outcome);

// Adds one participation to `stats` (unrounded).
void Add(const Participation& participation, const Scoring& scoring, absl::TimeZone zone,
         v1::AttendanceStats& stats);
// Adds the counts and sums of `from` to `into` (unrounded).
void Merge(const v1::AttendanceStats& from, v1::AttendanceStats& into);
// Sets attended and the rate from the counts, and rounds hours and points to 2 decimals.
void FinishStats(v1::AttendanceStats& stats);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_ATTENDANCE_STATS_H_
