// Organization settings: defaults, field rules, update masks, etag (see organization_settings.h).
#include "services/scheduling/organization_settings.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/field_checks.h"
#include "common/api/request_record.h"
#include "common/token_store.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/update_masks.h"

namespace fieldwork::scheduling {
namespace {

using ::fieldwork::common::v1::AttendanceOutcome;
using ::google::protobuf::FieldMask;

constexpr int kMaxWorkingDays = 7;
constexpr int kMaxExceptions = 1000;
constexpr int kMaxRules = 48;
constexpr int kMaxBands = 10;

const UpdateMaskRules& OrganizationMask() {
  static const UpdateMaskRules* const rules =
      new UpdateMaskRules{{
                              "display_name",
                              "time_zone",
                              "work_calendar",
                              "work_calendar.working_days",
                              "work_calendar.exceptions",
                              "travel_buffer",
                              "attendance_settings",
                              "attendance_settings.check_in_opens_before",
                              "attendance_settings.grace",
                              "attendance_settings.check_out_closes_after",
                              "attendance_settings.auto_finalize_after",
                              "attendance_settings.auto_finalize_disabled",
                              "reporting_settings",
                              "reporting_settings.attention_absence_threshold",
                              "reporting_settings.scoring_table",
                              "reporting_settings.scoring_table.base_score",
                              "reporting_settings.scoring_table.rules",
                              "reporting_settings.scoring_table.bands",
                              "reporting_settings.annual_report_due_days",
                          },
                          {"display_name", "time_zone", "work_calendar", "travel_buffer",
                           "attendance_settings", "reporting_settings"}};
  return *rules;
}

void SortBands(v1::ScoringTable& table) {
  std::stable_sort(
      table.mutable_bands()->begin(), table.mutable_bands()->end(),
      [](const v1::ScoreBand& a, const v1::ScoreBand& b) { return a.min_score() > b.min_score(); });
}

void ValidateWorkCalendar(const v1::WorkCalendar& calendar, const std::string& path,
                          FieldErrors& errors) {
  const std::string days_path = absl::StrCat(path, ".working_days");
  if (calendar.working_days_size() > kMaxWorkingDays) {
    errors.Add(days_path, "must hold at most 7 days");
  }
  absl::flat_hash_set<int> days;
  for (int i = 0; i < calendar.working_days_size(); ++i) {
    const v1::WorkingDay& day = calendar.working_days(i);
    const std::string day_path = absl::StrCat(days_path, "[", i, "]");
    CheckRequiredEnum(absl::StrCat(day_path, ".day"), day.day(),
                      fieldwork::common::v1::DayOfWeek_IsValid, errors);
    if (day.day() != 0 && !days.insert(day.day()).second) {
      errors.Add(absl::StrCat(day_path, ".day"), "is listed twice");
    }
    CheckTimeOfDayRanges(absl::StrCat(day_path, ".periods"), day.periods(), 1, 4, errors);
  }
  const std::string exceptions_path = absl::StrCat(path, ".exceptions");
  if (calendar.exceptions_size() > kMaxExceptions) {
    errors.Add(exceptions_path, "must hold at most 1000 dates");
  }
  absl::flat_hash_set<absl::CivilDay> dates;
  for (int i = 0; i < calendar.exceptions_size(); ++i) {
    const v1::CalendarException& exception = calendar.exceptions(i);
    const std::string item = absl::StrCat(exceptions_path, "[", i, "]");
    if (!exception.has_date()) {
      errors.Add(absl::StrCat(item, ".date"), "is required");
    } else if (const std::optional<absl::CivilDay> date =
                   CheckCivilDate(absl::StrCat(item, ".date"), exception.date(), errors);
               date.has_value() && !dates.insert(*date).second) {
      errors.Add(absl::StrCat(item, ".date"), "is listed twice");
    }
    CheckRequiredEnum(absl::StrCat(item, ".kind"), exception.kind(),
                      v1::CalendarExceptionKind_IsValid, errors);
    CheckText(absl::StrCat(item, ".description"), exception.description(), 0, 50, errors);
    if (exception.kind() == v1::CALENDAR_EXCEPTION_KIND_HOLIDAY) {
      if (exception.periods_size() > 0) {
        errors.Add(absl::StrCat(item, ".periods"), "must be empty on a holiday");
      }
    } else {
      CheckTimeOfDayRanges(absl::StrCat(item, ".periods"), exception.periods(), 0, 4, errors);
    }
  }
}

void ValidateAttendance(const v1::AttendanceSettings& settings, const std::string& path,
                        FieldErrors& errors) {
  if (settings.has_check_in_opens_before()) {
    CheckWholeMinutes(absl::StrCat(path, ".check_in_opens_before"),
                      settings.check_in_opens_before(), absl::ZeroDuration(), absl::Hours(24),
                      errors);
  }
  if (settings.has_grace()) {
    CheckWholeMinutes(absl::StrCat(path, ".grace"), settings.grace(), absl::ZeroDuration(),
                      absl::Hours(2), errors);
  }
  if (settings.has_check_out_closes_after()) {
    CheckWholeMinutes(absl::StrCat(path, ".check_out_closes_after"),
                      settings.check_out_closes_after(), absl::ZeroDuration(), absl::Hours(24),
                      errors);
  }
  if (settings.has_auto_finalize_after()) {
    CheckWholeMinutes(absl::StrCat(path, ".auto_finalize_after"), settings.auto_finalize_after(),
                      absl::Hours(1), absl::Hours(24 * 30), errors);
  }
}

void ValidateScoringTable(const v1::ScoringTable& table, const std::string& path,
                          FieldErrors& errors) {
  CheckHundredths(absl::StrCat(path, ".base_score"), table.base_score(), -1000, 1000, errors);
  if (table.rules_size() > kMaxRules) errors.Add(absl::StrCat(path, ".rules"), "at most 48 rules");
  std::set<std::pair<int, int>> pairs;
  for (int i = 0; i < table.rules_size(); ++i) {
    const v1::ScoringRule& rule = table.rules(i);
    const std::string item = absl::StrCat(path, ".rules[", i, "]");
    CheckRequiredEnum(absl::StrCat(item, ".event_kind"), rule.event_kind(), v1::EventKind_IsValid,
                      errors);
    CheckRequiredEnum(absl::StrCat(item, ".outcome"), rule.outcome(),
                      fieldwork::common::v1::AttendanceOutcome_IsValid, errors);
    if (!pairs.emplace(rule.event_kind(), rule.outcome()).second) {
      errors.Add(item, "scores an (event_kind, outcome) pair listed before");
    }
    CheckHundredths(absl::StrCat(item, ".points"), rule.points(), -100, 100, errors);
  }
  if (table.bands_size() > kMaxBands) errors.Add(absl::StrCat(path, ".bands"), "at most 10 bands");
  std::set<double> minimums;
  for (int i = 0; i < table.bands_size(); ++i) {
    const v1::ScoreBand& band = table.bands(i);
    const std::string item = absl::StrCat(path, ".bands[", i, "]");
    CheckText(absl::StrCat(item, ".label"), band.label(), 1, 20, errors);
    CheckHundredths(absl::StrCat(item, ".min_score"), band.min_score(), -1000, 1000, errors);
    if (!minimums.insert(band.min_score()).second) {
      errors.Add(absl::StrCat(item, ".min_score"), "is the min_score of another band");
    }
  }
}

void ValidateReporting(const v1::ReportingSettings& settings, const std::string& path,
                       FieldErrors& errors) {
  if (settings.attention_absence_threshold() < 0 || settings.attention_absence_threshold() > 100) {
    errors.Add(absl::StrCat(path, ".attention_absence_threshold"), "must be 1-100 (0: default 2)");
  }
  if (settings.annual_report_due_days() < 0 || settings.annual_report_due_days() > 365) {
    errors.Add(absl::StrCat(path, ".annual_report_due_days"), "must be 1-365 (0: default 31)");
  }
  if (settings.has_scoring_table()) {
    ValidateScoringTable(settings.scoring_table(), absl::StrCat(path, ".scoring_table"), errors);
  }
}

}  // namespace

v1::ScoringTable DefaultScoringTable() {
  struct KindPoints {
    v1::EventKind kind;
    double present;
  };
  static constexpr KindPoints kPresentPoints[] = {
      {v1::EVENT_KIND_RESEARCH_TRIP, 3}, {v1::EVENT_KIND_INSPECTION, 3},
      {v1::EVENT_KIND_CONSULTATION, 2},  {v1::EVENT_KIND_OVERSIGHT, 2},
      {v1::EVENT_KIND_VISIT, 2},         {v1::EVENT_KIND_STUDY, 1},
      {v1::EVENT_KIND_TRAINING, 1},      {v1::EVENT_KIND_MEETING, 1},
  };
  v1::ScoringTable table;
  table.set_base_score(60);
  for (const KindPoints& entry : kPresentPoints) {
    const std::pair<AttendanceOutcome, double> outcomes[] = {
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_PRESENT, entry.present},
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_LATE, entry.present - 1},
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY, entry.present - 1},
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_EXCUSED, 0},
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_ABSENT, -5},
        {fieldwork::common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED, 0},
    };
    for (const auto& [outcome, points] : outcomes) {
      v1::ScoringRule* rule = table.add_rules();
      rule->set_event_kind(entry.kind);
      rule->set_outcome(outcome);
      rule->set_points(points);
    }
  }
  const std::pair<const char*, double> bands[] = {
      {"优秀", 90}, {"良好", 80}, {"称职", 60}, {"基本称职", -1000}};
  for (const auto& [label, min_score] : bands) {
    v1::ScoreBand* band = table.add_bands();
    band->set_label(label);
    band->set_min_score(min_score);
  }
  return table;
}

void ApplyOrganizationDefaults(v1::Organization& organization) {
  if (organization.time_zone().empty()) organization.set_time_zone(kDefaultTimeZone);
  v1::WorkCalendar& calendar = *organization.mutable_work_calendar();
  if (calendar.working_days().empty()) {
    for (int day = fieldwork::common::v1::DAY_OF_WEEK_MONDAY;
         day <= fieldwork::common::v1::DAY_OF_WEEK_FRIDAY; ++day) {
      v1::WorkingDay* working_day = calendar.add_working_days();
      working_day->set_day(static_cast<fieldwork::common::v1::DayOfWeek>(day));
      fieldwork::common::v1::TimeOfDayRange* period = working_day->add_periods();
      period->mutable_start()->set_hours(8);
      period->mutable_start()->set_minutes(30);
      period->mutable_end()->set_hours(17);
      period->mutable_end()->set_minutes(30);
    }
  }
  if (!organization.has_travel_buffer()) {
    *organization.mutable_travel_buffer() = ToProtoDuration(absl::Minutes(30));
  }
  v1::AttendanceSettings& attendance = *organization.mutable_attendance_settings();
  if (!attendance.has_check_in_opens_before()) {
    *attendance.mutable_check_in_opens_before() = ToProtoDuration(absl::Minutes(60));
  }
  if (!attendance.has_grace()) *attendance.mutable_grace() = ToProtoDuration(absl::Minutes(10));
  if (!attendance.has_check_out_closes_after()) {
    *attendance.mutable_check_out_closes_after() = ToProtoDuration(absl::Minutes(60));
  }
  if (!attendance.has_auto_finalize_after()) {
    *attendance.mutable_auto_finalize_after() = ToProtoDuration(absl::Hours(24));
  }
  v1::ReportingSettings& reporting = *organization.mutable_reporting_settings();
  if (reporting.attention_absence_threshold() == 0) reporting.set_attention_absence_threshold(2);
  if (reporting.annual_report_due_days() == 0) reporting.set_annual_report_due_days(31);
  if (!reporting.has_scoring_table()) *reporting.mutable_scoring_table() = DefaultScoringTable();
  SortBands(*reporting.mutable_scoring_table());
}

void ValidateOrganization(const v1::Organization& organization, absl::string_view prefix,
                          FieldErrors& errors) {
  const std::string path(prefix);
  const std::string display_name = absl::StrCat(path, ".display_name");
  CheckText(display_name, organization.display_name(), 1, 100, errors);
  if (!organization.display_name().empty() &&
      absl::StripAsciiWhitespace(organization.display_name()).empty()) {
    errors.Add(display_name, "must not be blank");
  }
  if (!organization.time_zone().empty()) {
    absl::TimeZone zone;
    if (organization.time_zone() == "localtime" ||
        !absl::LoadTimeZone(organization.time_zone(), &zone)) {
      errors.Add(absl::StrCat(path, ".time_zone"), "must be an IANA time zone the server knows");
    }
  }
  ValidateWorkCalendar(organization.work_calendar(), absl::StrCat(path, ".work_calendar"), errors);
  if (organization.has_travel_buffer()) {
    CheckWholeMinutes(absl::StrCat(path, ".travel_buffer"), organization.travel_buffer(),
                      absl::ZeroDuration(), kLongestTravelBuffer, errors);
  }
  ValidateAttendance(organization.attendance_settings(), absl::StrCat(path, ".attendance_settings"),
                     errors);
  ValidateReporting(organization.reporting_settings(), absl::StrCat(path, ".reporting_settings"),
                    errors);
}

void CheckOrganizationMask(const FieldMask& mask, FieldErrors& errors) {
  CheckUpdateMask(mask, OrganizationMask(), errors);
}

void ApplyOrganizationMask(const FieldMask& mask, const v1::Organization& source,
                           v1::Organization& target) {
  ApplyUpdateMask(mask, OrganizationMask(), source, target);
}

bool ScoringTableChanged(const v1::ScoringTable& before, const v1::ScoringTable& after) {
  v1::ScoringTable a = before;
  v1::ScoringTable b = after;
  for (v1::ScoringTable* table : {&a, &b}) {
    table->clear_version();
    table->clear_update_time();
    SortBands(*table);
  }
  return !google::protobuf::util::MessageDifferencer::Equals(a, b);
}

std::string OrganizationEtag(const v1::Organization& organization) {
  v1::Organization copy = organization;
  copy.clear_etag();
  return Sha256Hex(DeterministicBytes(copy)).substr(0, 16);
}

}  // namespace fieldwork::scheduling
