// Unit tests of the organization's settings: documented defaults, field rules, update masks,
// scoring-table change detection, and the conversion to CalendarRules (organization_settings.h,
// organization_rules.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/scheduling/organization_rules.h"
#include "services/scheduling/organization_settings.h"

namespace fieldwork::scheduling {
namespace {

std::vector<std::string> Violations(const v1::Organization& organization) {
  FieldErrors errors;
  ValidateOrganization(organization, "organization", errors);
  std::vector<std::string> fields;
  const auto violations = GetFieldViolations(errors.ToStatus());
  if (!violations.has_value()) return fields;
  for (const auto& violation : violations->violations()) fields.push_back(violation.field());
  return fields;
}

v1::Organization Named() {
  v1::Organization organization;
  organization.set_display_name("铜官区政协");
  return organization;
}

fieldwork::common::v1::TimeOfDayRange Period(int start_hours, int start_minutes, int end_hours,
                                             int end_minutes) {
  fieldwork::common::v1::TimeOfDayRange range;
  range.mutable_start()->set_hours(start_hours);
  range.mutable_start()->set_minutes(start_minutes);
  range.mutable_end()->set_hours(end_hours);
  range.mutable_end()->set_minutes(end_minutes);
  return range;
}

TEST(OrganizationSettingsTest, DefaultsFillEveryUnsetSetting) {
  v1::Organization organization = Named();
  ApplyOrganizationDefaults(organization);
  EXPECT_EQ(organization.time_zone(), "Asia/Shanghai");
  ASSERT_EQ(organization.work_calendar().working_days_size(), 5);
  EXPECT_EQ(organization.work_calendar().working_days(0).day(),
            fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
  EXPECT_EQ(organization.work_calendar().working_days(0).periods(0).start().hours(), 8);
  EXPECT_EQ(organization.work_calendar().working_days(0).periods(0).start().minutes(), 30);
  EXPECT_EQ(organization.work_calendar().working_days(4).periods(0).end().hours(), 17);
  EXPECT_EQ(organization.travel_buffer().seconds(), 30 * 60);
  EXPECT_EQ(organization.attendance_settings().check_in_opens_before().seconds(), 3600);
  EXPECT_EQ(organization.attendance_settings().grace().seconds(), 600);
  EXPECT_EQ(organization.attendance_settings().check_out_closes_after().seconds(), 3600);
  EXPECT_EQ(organization.attendance_settings().auto_finalize_after().seconds(), 24 * 3600);
  EXPECT_EQ(organization.reporting_settings().attention_absence_threshold(), 2);
  EXPECT_EQ(organization.reporting_settings().annual_report_due_days(), 31);
  const v1::ScoringTable& table = organization.reporting_settings().scoring_table();
  EXPECT_EQ(table.base_score(), 60);
  EXPECT_EQ(table.rules_size(), 48);
  ASSERT_EQ(table.bands_size(), 4);
  EXPECT_EQ(table.bands(0).label(), "优秀");
  EXPECT_EQ(table.bands(3).min_score(), -1000);
  EXPECT_TRUE(Violations(organization).empty());
}

TEST(OrganizationSettingsTest, DefaultTableScoresLateOnePointBelowPresent) {
  const v1::ScoringTable table = DefaultScoringTable();
  double present = 0, late = 0, absent = 0;
  for (const v1::ScoringRule& rule : table.rules()) {
    if (rule.event_kind() != v1::EVENT_KIND_RESEARCH_TRIP) continue;
    if (rule.outcome() == fieldwork::common::v1::ATTENDANCE_OUTCOME_PRESENT)
      present = rule.points();
    if (rule.outcome() == fieldwork::common::v1::ATTENDANCE_OUTCOME_LATE) late = rule.points();
    if (rule.outcome() == fieldwork::common::v1::ATTENDANCE_OUTCOME_ABSENT) absent = rule.points();
  }
  EXPECT_EQ(present, 3);
  EXPECT_EQ(late, 2);
  EXPECT_EQ(absent, -5);
}

TEST(OrganizationSettingsTest, ExplicitZeroTravelBufferIsKept) {
  v1::Organization organization = Named();
  organization.mutable_travel_buffer()->set_seconds(0);
  ApplyOrganizationDefaults(organization);
  EXPECT_EQ(organization.travel_buffer().seconds(), 0);
}

TEST(OrganizationSettingsTest, BandsAreOrderedHighestFirst) {
  v1::Organization organization = Named();
  v1::ScoringTable* table = organization.mutable_reporting_settings()->mutable_scoring_table();
  for (const double min_score : {10.0, 90.0, 50.0}) {
    v1::ScoreBand* band = table->add_bands();
    band->set_label("x");
    band->set_min_score(min_score);
  }
  ApplyOrganizationDefaults(organization);
  EXPECT_EQ(organization.reporting_settings().scoring_table().bands(0).min_score(), 90);
  EXPECT_EQ(organization.reporting_settings().scoring_table().bands(2).min_score(), 10);
}

TEST(OrganizationSettingsTest, RejectsOverlappingWorkingPeriods) {
  v1::Organization organization = Named();
  v1::WorkingDay* day = organization.mutable_work_calendar()->add_working_days();
  day->set_day(fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
  *day->add_periods() = Period(8, 30, 12, 0);
  *day->add_periods() = Period(11, 0, 17, 30);
  EXPECT_EQ(Violations(organization),
            std::vector<std::string>{"organization.work_calendar.working_days[0].periods[1]"});
}

TEST(OrganizationSettingsTest, AllowsMidnightOnlyAsAnEnd) {
  v1::Organization organization = Named();
  v1::WorkingDay* day = organization.mutable_work_calendar()->add_working_days();
  day->set_day(fieldwork::common::v1::DAY_OF_WEEK_SATURDAY);
  *day->add_periods() = Period(20, 0, 24, 0);
  EXPECT_TRUE(Violations(organization).empty());
  *day->mutable_periods(0) = Period(24, 0, 24, 0);
  EXPECT_EQ(Violations(organization),
            std::vector<std::string>{
                "organization.work_calendar.working_days[0].periods[0].start.hours"});
}

TEST(OrganizationSettingsTest, RejectsDateThatDoesNotExist) {
  v1::Organization organization = Named();
  v1::CalendarException* exception = organization.mutable_work_calendar()->add_exceptions();
  exception->mutable_date()->set_year(2026);
  exception->mutable_date()->set_month(2);
  exception->mutable_date()->set_day(30);
  exception->set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
  EXPECT_EQ(Violations(organization),
            std::vector<std::string>{"organization.work_calendar.exceptions[0].date.day"});
}

TEST(OrganizationSettingsTest, RejectsScoresWithMoreThanTwoDecimals) {
  v1::Organization organization = Named();
  organization.mutable_reporting_settings()->mutable_scoring_table()->set_base_score(60.125);
  EXPECT_EQ(Violations(organization),
            std::vector<std::string>{"organization.reporting_settings.scoring_table.base_score"});
  organization.mutable_reporting_settings()->mutable_scoring_table()->set_base_score(60.12);
  EXPECT_TRUE(Violations(organization).empty());
}

TEST(OrganizationSettingsTest, MaskReplacesNamedFieldsOnly) {
  v1::Organization stored = Named();
  ApplyOrganizationDefaults(stored);
  v1::Organization request;
  request.set_display_name("ignored");
  request.mutable_travel_buffer()->set_seconds(3600);
  google::protobuf::FieldMask mask;
  mask.add_paths("travel_buffer");
  FieldErrors errors;
  CheckOrganizationMask(mask, errors);
  EXPECT_TRUE(errors.empty());
  ApplyOrganizationMask(mask, request, stored);
  EXPECT_EQ(stored.travel_buffer().seconds(), 3600);
  EXPECT_EQ(stored.display_name(), "铜官区政协");
}

TEST(OrganizationSettingsTest, MaskRefusesOutputOnlyAndUnknownPaths) {
  for (const char* path : {"etag", "name", "create_time", "no_such_field"}) {
    google::protobuf::FieldMask mask;
    mask.add_paths(path);
    FieldErrors errors;
    CheckOrganizationMask(mask, errors);
    EXPECT_FALSE(errors.empty()) << path;
  }
  FieldErrors errors;
  CheckOrganizationMask(google::protobuf::FieldMask(), errors);
  EXPECT_FALSE(errors.empty());
}

TEST(OrganizationSettingsTest, ScoringTableChangeIgnoresVersionAndBandOrder) {
  v1::ScoringTable before = DefaultScoringTable();
  v1::ScoringTable after = before;
  after.set_version(7);
  std::reverse(after.mutable_bands()->begin(), after.mutable_bands()->end());
  EXPECT_FALSE(ScoringTableChanged(before, after));
  after.set_base_score(50);
  EXPECT_TRUE(ScoringTableChanged(before, after));
}

TEST(OrganizationSettingsTest, EtagFollowsContent) {
  v1::Organization organization = Named();
  const std::string etag = OrganizationEtag(organization);
  organization.set_etag(etag);
  EXPECT_EQ(OrganizationEtag(organization), etag);
  organization.set_display_name("郊区政协");
  EXPECT_NE(OrganizationEtag(organization), etag);
}

TEST(OrganizationRulesTest, ConvertsWorkingDaysHolidaysAndMakeUpDays) {
  v1::Organization organization = Named();
  v1::CalendarException* holiday = organization.mutable_work_calendar()->add_exceptions();
  holiday->mutable_date()->set_year(2026);
  holiday->mutable_date()->set_month(10);
  holiday->mutable_date()->set_day(1);
  holiday->set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
  v1::CalendarException* makeup = organization.mutable_work_calendar()->add_exceptions();
  makeup->mutable_date()->set_year(2026);
  makeup->mutable_date()->set_month(10);
  makeup->mutable_date()->set_day(10);  // a Saturday
  makeup->set_kind(v1::CALENDAR_EXCEPTION_KIND_MAKE_UP_WORKDAY);
  ApplyOrganizationDefaults(organization);

  const CalendarRules rules = CalendarRulesOf(organization);
  EXPECT_EQ(rules.zone.name(), "Asia/Shanghai");
  ASSERT_EQ(rules.working_hours[0].size(), 1u);
  EXPECT_EQ(rules.working_hours[0][0].start_minute, 8 * 60 + 30);
  EXPECT_EQ(rules.working_hours[0][0].end_minute, 17 * 60 + 30);
  EXPECT_TRUE(rules.working_hours[5].empty());
  EXPECT_FALSE(rules.IsWorkingDay(absl::CivilDay(2026, 10, 1)));   // 国庆节, a Thursday
  EXPECT_TRUE(rules.IsWorkingDay(absl::CivilDay(2026, 10, 10)));   // 调休 Saturday
  EXPECT_FALSE(rules.IsWorkingDay(absl::CivilDay(2026, 10, 11)));  // an ordinary Sunday

  const absl::Time start = absl::FromCivil(absl::CivilDay(2026, 10, 10), rules.zone);
  const std::vector<Interval> working = WorkingIntervals(rules, {start, start + absl::Hours(24)});
  ASSERT_EQ(working.size(), 1u);
  EXPECT_EQ(working[0].start, start + absl::Minutes(8 * 60 + 30));
}

TEST(OrganizationRulesTest, UsesTheOrganizationsZone) {
  v1::Organization organization = Named();
  organization.set_time_zone("Asia/Urumqi");
  ApplyOrganizationDefaults(organization);
  EXPECT_EQ(CalendarRulesOf(organization).zone.name(), "Asia/Urumqi");
}

}  // namespace
}  // namespace fieldwork::scheduling
