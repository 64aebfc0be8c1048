// Unit tests of reporting's pure parts on hand-computed fixtures: periods, hours, scoring and
// bands, the attendance rate's denominator, and the member, unit, event-sheet and summary builders
// (every outcome, a member with no events, an event spanning the year boundary, cancelled events).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "services/reporting/attendance_stats.h"
#include "services/reporting/csv_export.h"
#include "services/reporting/report_builder.h"
#include "services/reporting/report_period.h"
#include "services/reporting/scoring.h"

namespace fieldwork::reporting {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace sv1 = ::fieldwork::scheduling::v1;
using ::fieldwork::common::v1::AttendanceOutcome;

constexpr char kOrg[] = "organizations/tongguan";

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time At(int y, int m, int d, int h, int min = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, h, min), Shanghai());
}

// The default table of organization.proto: base 60; PRESENT +3 research trip / inspection, +1
// meeting; LATE and LEFT_EARLY one less; ABSENT −5; bands 优秀 ≥ 90, 良好 ≥ 80, 称职 ≥ 60,
// 基本称职 ≥ −1000.
sv1::ScoringTable DefaultTable() {
  sv1::ScoringTable table;
  table.set_version(3);
  table.set_base_score(60);
  auto rule = [&](sv1::EventKind kind, AttendanceOutcome outcome, double points) {
    sv1::ScoringRule& added = *table.add_rules();
    added.set_event_kind(kind);
    added.set_outcome(outcome);
    added.set_points(points);
  };
  for (sv1::EventKind kind : {sv1::EVENT_KIND_RESEARCH_TRIP, sv1::EVENT_KIND_INSPECTION}) {
    rule(kind, common::v1::ATTENDANCE_OUTCOME_PRESENT, 3);
    rule(kind, common::v1::ATTENDANCE_OUTCOME_LATE, 2);
    rule(kind, common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY, 2);
    rule(kind, common::v1::ATTENDANCE_OUTCOME_ABSENT, -5);
  }
  rule(sv1::EVENT_KIND_MEETING, common::v1::ATTENDANCE_OUTCOME_PRESENT, 1);
  rule(sv1::EVENT_KIND_MEETING, common::v1::ATTENDANCE_OUTCOME_ABSENT, -5);
  for (const auto& [label, min] : std::vector<std::pair<std::string, double>>{
           {"称职", 60}, {"优秀", 90}, {"基本称职", -1000}, {"良好", 80}}) {
    sv1::ScoreBand& band = *table.add_bands();
    band.set_label(label);
    band.set_min_score(min);
  }
  return table;
}

TEST(ReportPeriodTest, YearIsReadInTheOrganizationsZone) {
  v1::ReportPeriod period;
  period.set_year(2026);
  absl::StatusOr<ResolvedPeriod> resolved = ResolvePeriod("period", period, Shanghai());
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->instants.start, At(2026, 1, 1, 0));
  EXPECT_EQ(resolved->instants.end, At(2027, 1, 1, 0));
}

TEST(ReportPeriodTest, RefusesReversedLongAndMissingPeriodsNamingTheField) {
  v1::ReportPeriod reversed;
  auto* range = reversed.mutable_date_range();
  range->mutable_first_date()->set_year(2026);
  range->mutable_first_date()->set_month(6);
  range->mutable_first_date()->set_day(1);
  *range->mutable_last_date() = range->first_date();
  range->mutable_last_date()->set_month(5);
  absl::Status status = ResolvePeriod("period", reversed, Shanghai()).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_NE(status.message().find("last_date"), std::string::npos) << status;

  v1::ReportPeriod long_range = reversed;
  long_range.mutable_date_range()->mutable_first_date()->set_year(2020);
  long_range.mutable_date_range()->mutable_last_date()->set_year(2026);
  EXPECT_TRUE(absl::IsInvalidArgument(ResolvePeriod("period", long_range, Shanghai()).status()));

  v1::ReportPeriod bad_day = reversed;
  bad_day.mutable_date_range()->mutable_last_date()->set_month(2);
  bad_day.mutable_date_range()->mutable_last_date()->set_day(30);
  EXPECT_TRUE(absl::IsInvalidArgument(ResolvePeriod("period", bad_day, Shanghai()).status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(ResolvePeriod("period", v1::ReportPeriod(), Shanghai()).status()));
}

TEST(HoursTest, CountsAtMostEightHoursPerCivilDay) {
  EXPECT_DOUBLE_EQ(HoursOf({At(2026, 3, 2, 9), At(2026, 3, 2, 11, 30)}, Shanghai()), 2.5);
  EXPECT_DOUBLE_EQ(HoursOf({At(2026, 3, 2, 8), At(2026, 3, 2, 20)}, Shanghai()), 8);
  // Two days, 09:00 to 17:00 the next day: 15 h on day one (capped at 8) + 17 h (capped at 8).
  EXPECT_DOUBLE_EQ(HoursOf({At(2026, 3, 2, 9), At(2026, 3, 3, 17)}, Shanghai()), 16);
}

TEST(ScoringTest, PointsAndBands) {
  const Scoring scoring(DefaultTable());
  EXPECT_EQ(scoring.PointsFor(sv1::EVENT_KIND_RESEARCH_TRIP, common::v1::ATTENDANCE_OUTCOME_LATE),
            2);
  EXPECT_EQ(scoring.PointsFor(sv1::EVENT_KIND_STUDY, common::v1::ATTENDANCE_OUTCOME_PRESENT), 0);
  EXPECT_EQ(scoring.BandOf(90), "优秀");
  EXPECT_EQ(scoring.BandOf(89.99), "良好");
  EXPECT_EQ(scoring.BandOf(60), "称职");
  EXPECT_EQ(scoring.BandOf(-5), "基本称职");
  EXPECT_EQ(Scoring(sv1::ScoringTable()).BandOf(100), "");
}

TEST(AttendanceStatsTest, RateLeavesExcusedOutOfTheDenominatorAndPendingOutOfEverything) {
  const Scoring scoring(DefaultTable());
  v1::AttendanceStats stats;
  const Interval morning{At(2026, 3, 2, 9), At(2026, 3, 2, 12)};
  for (AttendanceOutcome outcome :
       {common::v1::ATTENDANCE_OUTCOME_PRESENT, common::v1::ATTENDANCE_OUTCOME_LATE,
        common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY, common::v1::ATTENDANCE_OUTCOME_EXCUSED,
        common::v1::ATTENDANCE_OUTCOME_ABSENT, common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED,
        common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED}) {
    Add({sv1::EVENT_KIND_RESEARCH_TRIP, outcome, morning}, scoring, Shanghai(), stats);
  }
  FinishStats(stats);
  EXPECT_EQ(stats.invited(), 5);  // present + late + left early + excused + absent
  EXPECT_EQ(stats.attended(), 3);
  EXPECT_EQ(stats.not_attended(), 1);
  EXPECT_EQ(stats.pending(), 1);
  // attended ÷ (invited − excused) = 3 ÷ 4.
  ASSERT_TRUE(stats.has_attendance_rate());
  EXPECT_DOUBLE_EQ(stats.attendance_rate(), 0.75);
  EXPECT_DOUBLE_EQ(stats.hours(), 9);  // three attended mornings of 3 h
  EXPECT_DOUBLE_EQ(stats.points(), 3 + 2 + 2 + 0 - 5);
}

TEST(AttendanceStatsTest, NoInvitationsLeavesTheRateUnset) {
  v1::AttendanceStats stats;
  Add({sv1::EVENT_KIND_MEETING, common::v1::ATTENDANCE_OUTCOME_EXCUSED, {}},
      Scoring(DefaultTable()), Shanghai(), stats);
  FinishStats(stats);
  EXPECT_FALSE(stats.has_attendance_rate());
}

// A small organization: two members, four events of 2026 plus one starting on 31 December 2025
// and one cancelled.
class ReportBuilderTest : public ::testing::Test {
 protected:
  ReportBuilderTest() {
    data_.organization.set_name(kOrg);
    data_.organization.set_time_zone("Asia/Shanghai");
    *data_.organization.mutable_reporting_settings()->mutable_scoring_table() = DefaultTable();
    data_.zone = Shanghai();
    data_.as_of = At(2026, 11, 26, 10);
    AddMember("li", "李明", sv1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER);
    AddMember("wang", "王芳", sv1::MEMBER_ROLE_MEMBER);
    AddMember("zhao", "赵强", sv1::MEMBER_ROLE_MEMBER);  // takes part in nothing
    // Spans the year boundary: belongs to 2025, where it starts.
    AddEvent("e0", sv1::EVENT_KIND_RESEARCH_TRIP, At(2025, 12, 31, 20), At(2026, 1, 1, 2),
             {{"li", common::v1::ATTENDANCE_OUTCOME_PRESENT}});
    AddEvent("e1", sv1::EVENT_KIND_RESEARCH_TRIP, At(2026, 3, 2, 9), At(2026, 3, 2, 12),
             {{"li", common::v1::ATTENDANCE_OUTCOME_PRESENT},
              {"wang", common::v1::ATTENDANCE_OUTCOME_ABSENT}});
    AddEvent("e2", sv1::EVENT_KIND_INSPECTION, At(2026, 4, 8, 14), At(2026, 4, 8, 17),
             {{"li", common::v1::ATTENDANCE_OUTCOME_LATE},
              {"wang", common::v1::ATTENDANCE_OUTCOME_EXCUSED}});
    AddEvent("e3", sv1::EVENT_KIND_MEETING, At(2026, 4, 20, 9), At(2026, 4, 20, 10),
             {{"li", common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED},
              {"wang", common::v1::ATTENDANCE_OUTCOME_ABSENT}});
    // Not finalized yet: pending.
    AddEvent("e4", sv1::EVENT_KIND_INSPECTION, At(2026, 11, 20, 9), At(2026, 11, 20, 12),
             {{"li", common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED}});
    AddEvent("e5", sv1::EVENT_KIND_MEETING, At(2026, 5, 1, 9), At(2026, 5, 1, 10), {},
             sv1::EVENT_STATE_CANCELLED);
    period_.set_year(2026);
  }

  void AddMember(const std::string& id, const std::string& display_name, sv1::MemberRole role) {
    sv1::Member& member = data_.members[Member(id)];
    member.set_name(Member(id));
    member.set_display_name(display_name);
    member.set_role(role);
    member.set_status(sv1::MEMBER_STATUS_ACTIVE);
  }

  void AddEvent(const std::string& id, sv1::EventKind kind, absl::Time start, absl::Time end,
                const std::vector<std::pair<std::string, AttendanceOutcome>>& outcomes,
                sv1::EventState state = sv1::EVENT_STATE_COMPLETED) {
    sv1::Event& event = data_.events.emplace_back();
    event.set_name(absl::StrCat(kOrg, "/events/", id));
    event.set_kind(kind);
    event.set_title(absl::StrCat("活动 ", id));
    event.add_topics(kind == sv1::EVENT_KIND_MEETING ? "营商环境" : "乡村振兴");
    event.set_state(state);
    *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
    *event.mutable_time_range()->mutable_end_time() = ToTimestamp(end);
    for (const auto& [member, outcome] : outcomes) {
      av1::AttendanceRecord& record = data_.records[event.name()][Member(member)];
      record.set_event(event.name());
      record.set_member(Member(member));
      record.set_participant_role(outcome == common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED
                                      ? sv1::PARTICIPANT_ROLE_OPTIONAL
                                      : sv1::PARTICIPANT_ROLE_REQUIRED);
      record.set_finalized(outcome != common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);
      record.set_outcome(outcome);
    }
  }

  static std::string Member(const std::string& id) { return absl::StrCat(kOrg, "/members/", id); }

  ResolvedPeriod Period() const { return *ResolvePeriod("period", period_, Shanghai()); }

  ReportData data_;
  v1::ReportPeriod period_;
};

TEST_F(ReportBuilderTest, MemberReportCountsThePeriodsEventsByKind) {
  const v1::MemberReport report = BuildMemberReport(data_, Period(), Member("li"));
  // 2026: e1 PRESENT research trip (+3, 3 h), e2 LATE inspection (+2, 3 h), e3 NOT_ATTENDED
  // meeting (0), e4 pending; e0 (2025) and the cancelled e5 are left out.
  EXPECT_EQ(report.display_name(), "李明");
  EXPECT_EQ(report.totals().invited(), 2);
  EXPECT_EQ(report.totals().attended(), 2);
  EXPECT_EQ(report.totals().not_attended(), 1);
  EXPECT_EQ(report.totals().pending(), 1);
  EXPECT_DOUBLE_EQ(report.totals().attendance_rate(), 1.0);
  EXPECT_DOUBLE_EQ(report.totals().hours(), 6);
  EXPECT_DOUBLE_EQ(report.totals().points(), 5);
  EXPECT_DOUBLE_EQ(report.score(), 65);
  EXPECT_EQ(report.band(), "称职");
  ASSERT_EQ(report.by_kind_size(), 3);
  EXPECT_EQ(report.by_kind(0).kind(), sv1::EVENT_KIND_RESEARCH_TRIP);
  EXPECT_EQ(report.by_kind(1).kind(), sv1::EVENT_KIND_INSPECTION);
  EXPECT_EQ(report.by_kind(1).event_count(), 2);
  EXPECT_EQ(report.by_kind(1).stats().pending(), 1);
  ASSERT_EQ(report.events_size(), 4);
  EXPECT_EQ(report.events(0).event(), absl::StrCat(kOrg, "/events/e1"));
  EXPECT_DOUBLE_EQ(report.events(1).points(), 2);
  EXPECT_EQ(report.metadata().scoring_table_version(), 3);
}

TEST_F(ReportBuilderTest, EventSpanningTheYearBoundaryBelongsToTheYearItStarts) {
  period_.set_year(2025);
  const v1::MemberReport report = BuildMemberReport(data_, Period(), Member("li"));
  ASSERT_EQ(report.events_size(), 1);
  // 20:00–24:00 on 31 December and 00:00–02:00 on 1 January: 4 h + 2 h.
  EXPECT_DOUBLE_EQ(report.totals().hours(), 6);
}

TEST_F(ReportBuilderTest, MemberWithNoEventsHasZeroesAndTheBaseScore) {
  const v1::MemberReport report = BuildMemberReport(data_, Period(), Member("zhao"));
  EXPECT_EQ(report.totals().invited(), 0);
  EXPECT_FALSE(report.totals().has_attendance_rate());
  EXPECT_EQ(report.events_size(), 0);
  EXPECT_DOUBLE_EQ(report.score(), 60);
  EXPECT_EQ(report.band(), "称职");
}

TEST_F(ReportBuilderTest, UnitReportSortsByScoreAndSumsTotals) {
  sv1::Unit unit;
  unit.set_name(absl::StrCat(kOrg, "/units/jingji"));
  unit.set_display_name("经济界");
  const v1::UnitReport report = BuildUnitReport(data_, Period(), unit);
  ASSERT_EQ(report.rows_size(), 3);
  // li 65; zhao 60 (no events); wang: e1 ABSENT −5, e2 EXCUSED 0, e3 ABSENT −5 → 50.
  EXPECT_EQ(report.rows(0).member(), Member("li"));
  EXPECT_EQ(report.rows(1).member(), Member("zhao"));
  EXPECT_EQ(report.rows(2).member(), Member("wang"));
  EXPECT_DOUBLE_EQ(report.rows(2).score(), 50);
  EXPECT_EQ(report.rows(2).band(), "基本称职");
  // wang's rate: 0 attended ÷ (3 invited − 1 excused) = 0.
  EXPECT_DOUBLE_EQ(report.rows(2).stats().attendance_rate(), 0);
  EXPECT_EQ(report.totals().invited(), 5);
  EXPECT_EQ(report.totals().excused(), 1);
  // 2 attended ÷ (5 − 1).
  EXPECT_DOUBLE_EQ(report.totals().attendance_rate(), 0.5);
}

TEST_F(ReportBuilderTest, OrganizationSummaryCountsMonthsKindsTopicsAttentionAndAnnualReports) {
  const v1::OrganizationSummary summary = BuildOrganizationSummary(data_, Period());
  EXPECT_EQ(summary.event_count(), 4);
  EXPECT_EQ(summary.cancelled_event_count(), 1);
  ASSERT_EQ(summary.by_month_size(), 12);
  EXPECT_EQ(summary.by_month(3).month(), 4);
  EXPECT_EQ(summary.by_month(3).event_count(), 2);
  ASSERT_EQ(summary.topics_size(), 2);
  EXPECT_EQ(summary.topics(0).topic(), "乡村振兴");
  EXPECT_EQ(summary.topics(0).event_count(), 3);
  EXPECT_EQ(summary.attention_threshold(), 2);
  ASSERT_EQ(summary.attention_list_size(), 1);
  EXPECT_EQ(summary.attention_list(0).member(), Member("wang"));
  EXPECT_EQ(summary.attention_list(0).absences(), 2);
  ASSERT_EQ(summary.annual_reports_due_size(), 1);
  EXPECT_EQ(summary.annual_reports_due(0).member(), Member("li"));
  EXPECT_EQ(summary.annual_reports_due(0).due_date().year(), 2027);
  EXPECT_EQ(summary.annual_reports_due(0).due_date().month(), 1);
  EXPECT_EQ(summary.annual_reports_due(0).due_date().day(), 31);
  EXPECT_DOUBLE_EQ(summary.annual_reports_due(0).score(), 65);
}

TEST_F(ReportBuilderTest, EventSheetOrdersByOutcomeThenName) {
  ReportData sheet_data = data_;
  sheet_data.events = {data_.events[2]};  // e2: li LATE, wang EXCUSED
  const v1::EventSheet sheet = BuildEventSheet(sheet_data);
  EXPECT_TRUE(sheet.finalized());
  ASSERT_EQ(sheet.lines_size(), 2);
  EXPECT_EQ(sheet.lines(0).outcome(), common::v1::ATTENDANCE_OUTCOME_LATE);
  EXPECT_EQ(sheet.lines(1).outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  EXPECT_EQ(sheet.totals().late(), 1);
}

TEST(CsvExportTest, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvLine({"a", "b,c", "say \"hi\"", "two\nlines"}),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST(CsvExportTest, FirstChunkHoldsTheByteOrderMarkAndHeaderThenWholeRows) {
  CsvTable table{{"member", "points"}, {{"m1", "3"}, {"m2", "4"}, {"m3", "5"}}};
  const std::vector<std::string> chunks = CsvChunks(table, true, 12);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0], "\xEF\xBB\xBFmember,points\r\n");
  EXPECT_EQ(chunks[1], "m1,3\r\nm2,4\r\n");
  EXPECT_EQ(chunks[2], "m3,5\r\n");
  EXPECT_EQ(CsvChunks(table, false, 1 << 16)[0], "member,points\r\n");
}

TEST_F(ReportBuilderTest, MemberKindsTableEndsWithATotalRow) {
  const CsvTable table = MemberKindsTable(BuildMemberReport(data_, Period(), Member("li")));
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.rows.back()[0], "TOTAL");
  EXPECT_EQ(table.rows[0][0], "RESEARCH_TRIP");
  EXPECT_EQ(table.header.back(), "points");
  EXPECT_EQ(table.rows.back().back(), "5");
}

}  // namespace
}  // namespace fieldwork::reporting
