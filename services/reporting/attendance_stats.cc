// Counting participations into AttendanceStats (see attendance_stats.h).
#include "services/reporting/attendance_stats.h"

#include <algorithm>

#include "absl/time/civil_time.h"

namespace fieldwork::reporting {
namespace {

using ::fieldwork::common::v1::AttendanceOutcome;

}  // namespace

double HoursOf(const Interval& time, absl::TimeZone zone) {
  absl::Duration total;
  absl::CivilDay day = absl::ToCivilDay(time.start, zone);
  while (absl::FromCivil(day, zone) < time.end) {
    const absl::Time day_start = std::max(absl::FromCivil(day, zone), time.start);
    const absl::Time day_end = std::min(absl::FromCivil(day + 1, zone), time.end);
    if (day_end > day_start) total += std::min(day_end - day_start, kMaxHoursPerDay);
    ++day;
  }
  return absl::ToDoubleHours(total);
}

double PointsOf(const Participation& participation, const Scoring& scoring) {
  if (participation.outcome == fieldwork::common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED) return 0;
  return scoring.PointsFor(participation.kind, participation.outcome);
}

bool Attended(AttendanceOutcome outcome) {
  return outcome == fieldwork::common::v1::ATTENDANCE_OUTCOME_PRESENT ||
         outcome == fieldwork::common::v1::ATTENDANCE_OUTCOME_LATE ||
         outcome == fieldwork::common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY;
}

void Add(const Participation& participation, const Scoring& scoring, absl::TimeZone zone,
         v1::AttendanceStats& stats) {
  switch (participation.outcome) {
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_PRESENT:
      stats.set_present(stats.present() + 1);
      break;
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_LATE:
      stats.set_late(stats.late() + 1);
      break;
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY:
      stats.set_left_early(stats.left_early() + 1);
      break;
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_EXCUSED:
      stats.set_excused(stats.excused() + 1);
      break;
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_ABSENT:
      stats.set_absent(stats.absent() + 1);
      break;
    case fieldwork::common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED:
      stats.set_not_attended(stats.not_attended() + 1);
      break;
    default:
      stats.set_pending(stats.pending() + 1);
      return;
  }
  if (Attended(participation.outcome)) {
    stats.set_hours(stats.hours() + HoursOf(participation.time, zone));
  }
  stats.set_points(stats.points() + PointsOf(participation, scoring));
}

void Merge(const v1::AttendanceStats& from, v1::AttendanceStats& into) {
  into.set_present(into.present() + from.present());
  into.set_late(into.late() + from.late());
  into.set_left_early(into.left_early() + from.left_early());
  into.set_excused(into.excused() + from.excused());
  into.set_absent(into.absent() + from.absent());
  into.set_not_attended(into.not_attended() + from.not_attended());
  into.set_pending(into.pending() + from.pending());
  into.set_hours(into.hours() + from.hours());
  into.set_points(into.points() + from.points());
}

void FinishStats(v1::AttendanceStats& stats) {
  stats.set_attended(stats.present() + stats.late() + stats.left_early());
  stats.set_invited(stats.attended() + stats.excused() + stats.absent());
  const int32_t denominator = stats.invited() - stats.excused();
  if (denominator > 0) {
    stats.set_attendance_rate(static_cast<double>(stats.attended()) / denominator);
  } else {
    stats.clear_attendance_rate();
  }
  stats.set_hours(RoundHundredths(stats.hours()));
  stats.set_points(RoundHundredths(stats.points()));
}

}  // namespace fieldwork::reporting
