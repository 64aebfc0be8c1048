// GetMemberReport over the committee year (committee_year.h) against the three real services: the
// figures per kind and in total, the event lines, score and band equal the hand-computed ones; an
// event belongs to the period holding its start; a changed scoring table scores the next report.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

using ::testing::ElementsAre;

class MemberReportRpcTest : public CommitteeYearFixture {
 protected:
  rep::MemberReport MemberReportOrDie(absl::string_view member_id,
                                      const rep::ReportPeriod& period) {
    rep::GetMemberReportRequest request;
    request.set_member(Member(member_id));
    *request.mutable_period() = period;
    rep::MemberReport report;
    const grpc::Status status = Call(&Reporting::GetMemberReport, kStaffA, request, &report);
    EXPECT_TRUE(status.ok()) << "GetMemberReport " << member_id << ": " << Describe(status);
    return report;
  }

  static void ExpectPeriod(const common::v1::DateRange& range, absl::CivilDay first,
                           absl::CivilDay last) {
    EXPECT_EQ(range.first_date().year(), first.year());
    EXPECT_EQ(range.first_date().month(), first.month());
    EXPECT_EQ(range.first_date().day(), first.day());
    EXPECT_EQ(range.last_date().year(), last.year());
    EXPECT_EQ(range.last_date().month(), last.month());
    EXPECT_EQ(range.last_date().day(), last.day());
  }
};

// One expected line of a member report.
struct Line {
  std::string event_id;
  v1::EventKind kind;
  v1::ParticipantRole role;
  common::v1::AttendanceOutcome outcome;
  double points;
  double hours;
};

TEST_F(MemberReportRpcTest, YearReportEqualsHandComputedFigures) {
  const int64_t version = ScoringTableVersion();
  const absl::Time before = absl::Now();
  const rep::MemberReport report = MemberReportOrDie(kWang, Year(2026));
  const absl::Time after = absl::Now();

  EXPECT_EQ(report.metadata().organization(), OrganizationA());
  EXPECT_EQ(report.metadata().time_zone(), "Asia/Shanghai");
  EXPECT_EQ(report.metadata().scoring_table_version(), version);
  ExpectPeriod(report.metadata().period(), absl::CivilDay(2026, 1, 1),
               absl::CivilDay(2026, 12, 31));
  const absl::Time as_of = FromTimestamp(report.metadata().as_of_time());
  EXPECT_GE(as_of, before - absl::Seconds(1));
  EXPECT_LE(as_of, after + absl::Seconds(1));

  EXPECT_EQ(report.member(), Member(kWang));
  EXPECT_EQ(report.display_name(), "王建国");
  EXPECT_EQ(report.role(), v1::MEMBER_ROLE_MEMBER);
  EXPECT_THAT(report.units(), ElementsAre(Unit(kSector), Unit(kCommittee)));
  ExpectFigures(report.totals(), kWang2026, "totals");
  EXPECT_DOUBLE_EQ(report.base_score(), 60);
  EXPECT_DOUBLE_EQ(report.score(), 58);  // 60 − 2
  EXPECT_EQ(report.band(), "基本称职");  // 58 < 60 (称职)

  // One entry per kind with participation, in EventKind order; e5 (VISIT) is cancelled.
  struct KindFigures {
    v1::EventKind kind;
    Figures figures;
  };
  const std::vector<KindFigures> kinds = {
      {v1::EVENT_KIND_RESEARCH_TRIP, {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 3, 3}},      // e1
      {v1::EVENT_KIND_INSPECTION, {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 24, 3}},        // e2
      {v1::EVENT_KIND_CONSULTATION, {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 2.5, 2}},     // e4
      {v1::EVENT_KIND_OVERSIGHT, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0.0, 0, -5}},         // e6
      {v1::EVENT_KIND_STUDY, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0.0, 0, -5}},             // e7
      {v1::EVENT_KIND_TRAINING, {0, 0, 0, 0, 0, 0, 0, 0, 1, std::nullopt, 0, 0}},  // e8 pending
      {v1::EVENT_KIND_MEETING, {1, 0, 0, 1, 0, 0, 0, 1, 0, 1.0, 2.5, 0}},          // e3
  };
  ASSERT_EQ(report.by_kind_size(), static_cast<int>(kinds.size())) << report.DebugString();
  for (size_t i = 0; i < kinds.size(); ++i) {
    const rep::KindStats& actual = report.by_kind(static_cast<int>(i));
    EXPECT_EQ(actual.kind(), kinds[i].kind) << "by_kind[" << i << "]";
    EXPECT_EQ(actual.event_count(), 1) << "by_kind[" << i << "]";
    ExpectFigures(actual.stats(), kinds[i].figures, v1::EventKind_Name(kinds[i].kind));
  }

  const std::vector<Line> lines = {
      {kTrip, v1::EVENT_KIND_RESEARCH_TRIP, v1::PARTICIPANT_ROLE_LEAD,
       common::v1::ATTENDANCE_OUTCOME_PRESENT, 3, 3},
      {kInspection, v1::EVENT_KIND_INSPECTION, v1::PARTICIPANT_ROLE_REQUIRED,
       common::v1::ATTENDANCE_OUTCOME_PRESENT, 3, 24},  // 56 h over 3 days, 8 h a day
      {kMeeting, v1::EVENT_KIND_MEETING, v1::PARTICIPANT_ROLE_OPTIONAL,
       common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY, 0, 2.5},
      {kConsultation, v1::EVENT_KIND_CONSULTATION, v1::PARTICIPANT_ROLE_REQUIRED,
       common::v1::ATTENDANCE_OUTCOME_PRESENT, 2, 2.5},
      {kOversight, v1::EVENT_KIND_OVERSIGHT, v1::PARTICIPANT_ROLE_REQUIRED,
       common::v1::ATTENDANCE_OUTCOME_ABSENT, -5, 0},
      {kStudy, v1::EVENT_KIND_STUDY, v1::PARTICIPANT_ROLE_REQUIRED,
       common::v1::ATTENDANCE_OUTCOME_ABSENT, -5, 0},
      {kTraining, v1::EVENT_KIND_TRAINING, v1::PARTICIPANT_ROLE_REQUIRED,
       common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED, 0, 0},  // not finalized
  };
  ASSERT_EQ(report.events_size(), static_cast<int>(lines.size())) << report.DebugString();
  for (size_t i = 0; i < lines.size(); ++i) {
    const rep::MemberEventLine& actual = report.events(static_cast<int>(i));
    SCOPED_TRACE(lines[i].event_id);
    EXPECT_EQ(actual.event(), Event(lines[i].event_id));
    EXPECT_EQ(actual.kind(), lines[i].kind);
    EXPECT_EQ(actual.role(), lines[i].role);
    EXPECT_EQ(actual.outcome(), lines[i].outcome);
    EXPECT_DOUBLE_EQ(actual.points(), lines[i].points);
    EXPECT_DOUBLE_EQ(actual.hours(), lines[i].hours);
  }
  EXPECT_EQ(report.events(0).title(), "民营经济发展专题调研");
  EXPECT_EQ(FromTimestamp(report.events(0).time_range().start_time()), At(2026, 3, 10, 9));
  EXPECT_EQ(FromTimestamp(report.events(0).time_range().end_time()), At(2026, 3, 10, 12));
}

TEST_F(MemberReportRpcTest, EveryMemberScoresByTheDefaultTable) {
  struct Expected {
    const char* member_id;
    const Figures* figures;
    double score;
    const char* band;
  };
  const std::vector<Expected> members = {
      {kLi, &kLi2026, 48, "基本称职"},    // 60 − 12
      {kZhang, &kZhang2026, 66, "称职"},  // 60 + 6
      {kChen, &kChen2026, 65, "称职"},    // 60 + 5
      {kSun, &kSun2026, 61, "称职"},      // 60 + 1
      {kZhou, &kNoEvents, 60, "称职"},    // inactive, nothing
  };
  for (const Expected& expected : members) {
    const rep::MemberReport report = MemberReportOrDie(expected.member_id, Year(2026));
    ExpectFigures(report.totals(), *expected.figures, expected.member_id);
    EXPECT_DOUBLE_EQ(report.score(), expected.score) << expected.member_id;
    EXPECT_EQ(report.band(), expected.band) << expected.member_id;
  }
}

TEST_F(MemberReportRpcTest, MemberWithoutEventsHasNoRateAndTheBaseScore) {
  const rep::MemberReport report = MemberReportOrDie(kWu, Year(2026));
  ExpectFigures(report.totals(), kNoEvents, "吴刚");
  EXPECT_FALSE(report.totals().has_attendance_rate());  // invited − excused = 0
  EXPECT_TRUE(report.by_kind().empty());
  EXPECT_TRUE(report.events().empty());
  EXPECT_DOUBLE_EQ(report.score(), 60);
  EXPECT_EQ(report.band(), "称职");
}

TEST_F(MemberReportRpcTest, EventSpanningNewYearBelongsToTheYearItStarts) {
  // e0 runs 2025-12-31 09:00 – 2026-01-01 17:00: all of it counts in 2025, 8 h per day touched.
  const rep::MemberReport year2025 = MemberReportOrDie(kWang, Year(2025));
  ExpectPeriod(year2025.metadata().period(), absl::CivilDay(2025, 1, 1),
               absl::CivilDay(2025, 12, 31));
  ExpectFigures(year2025.totals(), {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 16, 3}, "王建国 2025");
  EXPECT_DOUBLE_EQ(year2025.score(), 63);  // 60 + 3
  ASSERT_EQ(year2025.events_size(), 1);
  EXPECT_EQ(year2025.events(0).event(), Event(kNewYearTrip));
  EXPECT_DOUBLE_EQ(year2025.events(0).hours(), 16);  // 32 h over 2 days → 2 × 8 h

  // m2 was absent: the rate's denominator is 1 − 0, the rate 0 (set, not missing).
  const rep::MemberReport li2025 = MemberReportOrDie(kLi, Year(2025));
  ExpectFigures(li2025.totals(), {1, 0, 0, 0, 0, 1, 0, 0, 0, 0.0, 0, -5}, "李芳 2025");
  EXPECT_DOUBLE_EQ(li2025.score(), 55);

  // 2025-12-01 … 2026-12-31 holds both years' events of m1: kWang2026 plus e0.
  // invited 6 + 1 = 7, present 3 + 1 = 4, attended 5, rate 5 / 7, hours 32 + 16 = 48,
  // points −2 + 3 = 1, score 61 → 称职.
  const rep::MemberReport both =
      MemberReportOrDie(kWang, Days(absl::CivilDay(2025, 12, 1), absl::CivilDay(2026, 12, 31)));
  ExpectPeriod(both.metadata().period(), absl::CivilDay(2025, 12, 1), absl::CivilDay(2026, 12, 31));
  ExpectFigures(both.totals(), {7, 4, 0, 1, 0, 2, 0, 5, 1, 5.0 / 7.0, 48, 1}, "王建国 both");
  EXPECT_DOUBLE_EQ(both.score(), 61);
  EXPECT_EQ(both.band(), "称职");
  ASSERT_FALSE(both.by_kind().empty());
  EXPECT_EQ(both.by_kind(0).kind(), v1::EVENT_KIND_RESEARCH_TRIP);
  EXPECT_EQ(both.by_kind(0).event_count(), 2);  // e0 and e1
  ASSERT_EQ(both.events_size(), 8);
  EXPECT_EQ(both.events(0).event(), Event(kNewYearTrip));
}

TEST_F(MemberReportRpcTest, ChangedScoringTableScoresTheNextReport) {
  const int64_t before = ScoringTableVersion();
  ASSERT_EQ(MemberReportOrDie(kWang, Year(2026)).metadata().scoring_table_version(), before);

  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(OrganizationA());
  v1::ScoringTable& table =
      *request.mutable_organization()->mutable_reporting_settings()->mutable_scoring_table();
  table.set_base_score(50);
  const auto add_rule = [&table](v1::EventKind kind, common::v1::AttendanceOutcome outcome,
                                 double points) {
    v1::ScoringRule& rule = *table.add_rules();
    rule.set_event_kind(kind);
    rule.set_outcome(outcome);
    rule.set_points(points);
  };
  add_rule(v1::EVENT_KIND_RESEARCH_TRIP, common::v1::ATTENDANCE_OUTCOME_PRESENT, 10);
  add_rule(v1::EVENT_KIND_INSPECTION, common::v1::ATTENDANCE_OUTCOME_PRESENT, 5);
  add_rule(v1::EVENT_KIND_CONSULTATION, common::v1::ATTENDANCE_OUTCOME_PRESENT, 1.25);
  add_rule(v1::EVENT_KIND_OVERSIGHT, common::v1::ATTENDANCE_OUTCOME_ABSENT, -2.5);
  add_rule(v1::EVENT_KIND_STUDY, common::v1::ATTENDANCE_OUTCOME_ABSENT, -2.5);
  v1::ScoreBand* band = table.add_bands();
  band->set_label("待改进");
  band->set_min_score(0);
  band = table.add_bands();
  band->set_label("合格");
  band->set_min_score(61.25);
  request.mutable_update_mask()->add_paths("reporting_settings.scoring_table");
  v1::Organization updated;
  const grpc::Status status = Call(&Scheduling::UpdateOrganization, kOrgAdminA, request, &updated);
  ASSERT_TRUE(status.ok()) << "UpdateOrganization: " << Describe(status);
  ASSERT_EQ(updated.reporting_settings().scoring_table().version(), before + 1);

  // m1 under the new table: e1 PRESENT +10, e2 PRESENT +5, e3 LEFT_EARLY (no rule) 0, e4 PRESENT
  // +1.25, e6 ABSENT −2.5, e7 ABSENT −2.5 → 11.25; score 50 + 11.25 = 61.25, exactly 合格's floor.
  const rep::MemberReport report = MemberReportOrDie(kWang, Year(2026));
  EXPECT_EQ(report.metadata().scoring_table_version(), before + 1);
  EXPECT_DOUBLE_EQ(report.base_score(), 50);
  EXPECT_DOUBLE_EQ(report.totals().points(), 11.25);
  EXPECT_DOUBLE_EQ(report.score(), 61.25);
  EXPECT_EQ(report.band(), "合格");
  ASSERT_EQ(report.events_size(), 7);
  EXPECT_DOUBLE_EQ(report.events(3).points(), 1.25);  // e4
  EXPECT_DOUBLE_EQ(report.events(4).points(), -2.5);  // e6

  // m2 falls below every band but 待改进: e1 LATE (no rule) 0, three ABSENT of which one scored
  // (e6 −2.5), e7 PRESENT (no rule) 0 → −2.5; score 47.5.
  const rep::MemberReport li = MemberReportOrDie(kLi, Year(2026));
  EXPECT_DOUBLE_EQ(li.score(), 47.5);
  EXPECT_EQ(li.band(), "待改进");
  ExpectFigures(li.totals(), {5, 1, 1, 0, 0, 3, 1, 2, 1, 0.4, 5, -2.5}, "李芳, new table");
}

TEST_F(MemberReportRpcTest, CorrectedOutcomeChangesTheNextReport) {
  att::CorrectOutcomeRequest request;
  request.set_name(RecordName(Event(kInspection), kLi));
  request.set_outcome(common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  request.set_reason("补交请假条");
  att::AttendanceRecord record;
  const grpc::Status status = Call(&Attendance::CorrectOutcome, kStaffA, request, &record);
  ASSERT_TRUE(status.ok()) << "CorrectOutcome: " << Describe(status);

  // m2 with e2 EXCUSED instead of ABSENT: invited 5, excused 1, absent 2, attended 2, rate
  // 2 / (5 − 1) = 0.5; points 2 − 5 − 5 + 1 = −7; score 53.
  const rep::MemberReport report = MemberReportOrDie(kLi, Year(2026));
  ExpectFigures(report.totals(), {5, 1, 1, 0, 1, 2, 1, 2, 1, 0.5, 5, -7}, "李芳 corrected");
  EXPECT_DOUBLE_EQ(report.score(), 53);
  ASSERT_GE(report.events_size(), 2);
  EXPECT_EQ(report.events(1).event(), Event(kInspection));
  EXPECT_EQ(report.events(1).outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  EXPECT_DOUBLE_EQ(report.events(1).points(), 0);
}

TEST_F(MemberReportRpcTest, HoursAreRoundedToTwoDecimals) {
  // 吴刚 attends an 80-minute lecture: 80 / 60 = 1.333… h → 1.33; STUDY PRESENT +1 → 61.
  BookEvent({"lecture",
             v1::EVENT_KIND_STUDY,
             "读书活动",
             {"理论学习"},
             At(2026, 8, 5, 9),
             At(2026, 8, 5, 10, 20),
             {{kWu, v1::PARTICIPANT_ROLE_REQUIRED}},
             ""});
  CheckIn("lecture", kWu, At(2026, 8, 5, 8, 58));
  Finalize("lecture");
  ASSERT_FALSE(HasFailure());

  const rep::MemberReport report = MemberReportOrDie(kWu, Year(2026));
  ExpectFigures(report.totals(), {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 1.33, 1}, "吴刚");
  ASSERT_EQ(report.events_size(), 1);
  EXPECT_DOUBLE_EQ(report.events(0).hours(), 1.33);
  EXPECT_DOUBLE_EQ(report.score(), 61);
}

}  // namespace
}  // namespace fieldwork::testing
