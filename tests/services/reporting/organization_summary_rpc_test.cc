// GetOrganizationSummary over the committee year (committee_year.h) against the three real
// services: events by month and kind, topics, overall figures, the attention list (threshold from
// the settings) and the annual reports due of standing committee members, all equal to the
// hand-computed ones.
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

using ::testing::ElementsAre;

class OrganizationSummaryRpcTest : public CommitteeYearFixture {
 protected:
  rep::OrganizationSummary SummaryOrDie(const rep::ReportPeriod& period) {
    rep::GetOrganizationSummaryRequest request;
    request.set_organization(OrganizationA());
    *request.mutable_period() = period;
    rep::OrganizationSummary summary;
    const grpc::Status status =
        Call(&Reporting::GetOrganizationSummary, kStaffA, request, &summary);
    EXPECT_TRUE(status.ok()) << "GetOrganizationSummary: " << Describe(status);
    return summary;
  }

  void UpdateReportingSettings(const v1::ReportingSettings& settings,
                               const std::vector<std::string>& paths) {
    v1::UpdateOrganizationRequest request;
    request.mutable_organization()->set_name(OrganizationA());
    *request.mutable_organization()->mutable_reporting_settings() = settings;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Organization organization;
    const grpc::Status status =
        Call(&Scheduling::UpdateOrganization, kOrgAdminA, request, &organization);
    ASSERT_TRUE(status.ok()) << "UpdateOrganization: " << Describe(status);
  }
};

void ExpectDate(const common::v1::CivilDate& date, absl::CivilDay day) {
  EXPECT_EQ(date.year(), day.year());
  EXPECT_EQ(date.month(), day.month());
  EXPECT_EQ(date.day(), day.day());
}

// The months of 2026; each month's figures are those of the one event starting in it.
struct MonthFigures {
  int event_count;
  Figures figures;
};
const Figures kNothing = {0, 0, 0, 0, 0, 0, 0, 0, 0, std::nullopt, 0, 0};
// e1 (RESEARCH_TRIP): m1 PRESENT +3, m2 LATE +2, m3 EXCUSED, m4 NOT_ATTENDED; 2 × 3 h.
const Figures kTripFigures = {3, 1, 1, 0, 1, 0, 1, 2, 0, 1.0, 6, 5};
// e2 (INSPECTION): m1, m4 PRESENT +3 each, m3 LEFT_EARLY +2, m2 ABSENT −5; 3 × 24 h; rate 3 / 4.
const Figures kInspectionFigures = {4, 2, 0, 1, 0, 1, 0, 3, 0, 0.75, 72, 3};
// e3 (MEETING): m4 PRESENT +1, m1 LEFT_EARLY 0, m2 ABSENT −5; 2 × 2.5 h; rate 2 / 3.
const Figures kMeetingFigures = {3, 1, 0, 1, 0, 1, 0, 2, 0, 2.0 / 3.0, 5, -4};
// e4 (CONSULTATION): m1, m3 PRESENT +2 each, m4 EXCUSED, m2 NOT_ATTENDED; 2 × 2.5 h; rate 2 / 2.
const Figures kConsultationFigures = {3, 2, 0, 0, 1, 0, 1, 2, 0, 1.0, 5, 4};
// e6 (OVERSIGHT): m3 PRESENT +2, m1, m2 ABSENT −5 each; 3 h; rate 1 / 3.
const Figures kOversightFigures = {3, 1, 0, 0, 0, 2, 0, 1, 0, 1.0 / 3.0, 3, -8};
// e7 (STUDY): m2, m4, m6 PRESENT +1 each, m3 LATE 0, m1 ABSENT −5; 4 × 2 h; rate 4 / 5.
const Figures kStudyFigures = {5, 3, 1, 0, 0, 1, 0, 4, 0, 0.8, 8, -2};
// e8 (TRAINING): not finalized, three participations pending.
const Figures kTrainingFigures = {0, 0, 0, 0, 0, 0, 0, 0, 3, std::nullopt, 0, 0};

TEST_F(OrganizationSummaryRpcTest, YearSummaryEqualsHandComputedFigures) {
  const rep::OrganizationSummary summary = SummaryOrDie(Year(2026));
  EXPECT_EQ(summary.metadata().organization(), OrganizationA());
  EXPECT_EQ(summary.metadata().scoring_table_version(), ScoringTableVersion());
  // e1, e2, e3, e4, e6, e7, e8; e0 starts in 2025; e5 is cancelled.
  EXPECT_EQ(summary.event_count(), 7);
  EXPECT_EQ(summary.cancelled_event_count(), 1);

  const std::vector<MonthFigures> months = {
      {0, kNothing},          {0, kNothing},
      {1, kTripFigures},      {1, kInspectionFigures},
      {1, kMeetingFigures},   {1, kConsultationFigures},
      {0, kNothing},          {0, kNothing},
      {1, kOversightFigures}, {1, kStudyFigures},
      {1, kTrainingFigures},  {0, kNothing},  // December: only the cancelled e5
  };
  ASSERT_EQ(summary.by_month_size(), 12) << summary.DebugString();
  for (int i = 0; i < 12; ++i) {
    const rep::MonthStats& month = summary.by_month(i);
    EXPECT_EQ(month.year(), 2026);
    EXPECT_EQ(month.month(), i + 1);
    EXPECT_EQ(month.event_count(), months[i].event_count) << "month " << i + 1;
    ExpectFigures(month.stats(), months[i].figures, absl::StrCat("month ", i + 1));
  }

  struct KindFigures {
    v1::EventKind kind;
    const Figures* figures;
  };
  // EventKind order; VISIT has only the cancelled e5, so no entry.
  const std::vector<KindFigures> kinds = {
      {v1::EVENT_KIND_RESEARCH_TRIP, &kTripFigures},
      {v1::EVENT_KIND_INSPECTION, &kInspectionFigures},
      {v1::EVENT_KIND_CONSULTATION, &kConsultationFigures},
      {v1::EVENT_KIND_OVERSIGHT, &kOversightFigures},
      {v1::EVENT_KIND_STUDY, &kStudyFigures},
      {v1::EVENT_KIND_TRAINING, &kTrainingFigures},
      {v1::EVENT_KIND_MEETING, &kMeetingFigures},
  };
  ASSERT_EQ(summary.by_kind_size(), static_cast<int>(kinds.size())) << summary.DebugString();
  for (size_t i = 0; i < kinds.size(); ++i) {
    const rep::KindStats& kind = summary.by_kind(static_cast<int>(i));
    EXPECT_EQ(kind.kind(), kinds[i].kind) << "by_kind[" << i << "]";
    EXPECT_EQ(kind.event_count(), 1) << "by_kind[" << i << "]";
    ExpectFigures(kind.stats(), *kinds[i].figures, v1::EventKind_Name(kinds[i].kind));
  }

  // 营商环境 (e1, e4) and 民营经济 (e1, e6) twice, 民 (U+6C11) before 营 (U+8425); then once each
  // in code point order: 履 U+5C65, 年 U+5E74, 理 U+7406, 生 U+751F. 乡村振兴 is only on e5.
  std::vector<std::pair<std::string, int>> topics;
  for (const rep::TopicCount& topic : summary.topics()) {
    topics.emplace_back(topic.topic(), topic.event_count());
  }
  using Topic = std::pair<std::string, int>;
  EXPECT_THAT(topics,
              ElementsAre(Topic("民营经济", 2), Topic("营商环境", 2), Topic("履职能力", 1),
                          Topic("年度工作", 1), Topic("理论学习", 1), Topic("生态环境", 1)));

  ExpectFigures(summary.totals(), kOrganization2026, "organization totals");

  // Default threshold 2: m2 absent from e2, e3, e6 (3); m1 from e6, e7 (2).
  EXPECT_EQ(summary.attention_threshold(), 2);
  ASSERT_EQ(summary.attention_list_size(), 2) << summary.DebugString();
  EXPECT_EQ(summary.attention_list(0).member(), Member(kLi));
  EXPECT_EQ(summary.attention_list(0).display_name(), "李芳");
  EXPECT_EQ(summary.attention_list(0).absences(), 3);
  EXPECT_THAT(summary.attention_list(0).events(),
              ElementsAre(Event(kInspection), Event(kMeeting), Event(kOversight)));
  EXPECT_EQ(summary.attention_list(1).member(), Member(kWang));
  EXPECT_EQ(summary.attention_list(1).display_name(), "王建国");
  EXPECT_EQ(summary.attention_list(1).absences(), 2);
  EXPECT_THAT(summary.attention_list(1).events(), ElementsAre(Event(kOversight), Event(kStudy)));

  // Standing committee members (m2 常委, m4 副主席) owe the 2026 report by 2026-12-31 + 31 days;
  // by name: 李 (U+674E) before 陈 (U+9648).
  ASSERT_EQ(summary.annual_reports_due_size(), 2) << summary.DebugString();
  const rep::AnnualReportDue& li = summary.annual_reports_due(0);
  EXPECT_EQ(li.member(), Member(kLi));
  EXPECT_EQ(li.display_name(), "李芳");
  EXPECT_EQ(li.role(), v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER);
  EXPECT_EQ(li.year(), 2026);
  ExpectDate(li.due_date(), absl::CivilDay(2027, 1, 31));
  ExpectFigures(li.stats(), kLi2026, "李芳 annual");
  EXPECT_DOUBLE_EQ(li.score(), 48);
  EXPECT_EQ(li.band(), "基本称职");
  const rep::AnnualReportDue& chen = summary.annual_reports_due(1);
  EXPECT_EQ(chen.member(), Member(kChen));
  EXPECT_EQ(chen.display_name(), "陈静");
  EXPECT_EQ(chen.role(), v1::MEMBER_ROLE_VICE_CHAIR);
  EXPECT_EQ(chen.year(), 2026);
  ExpectDate(chen.due_date(), absl::CivilDay(2027, 1, 31));
  ExpectFigures(chen.stats(), kChen2026, "陈静 annual");
  EXPECT_DOUBLE_EQ(chen.score(), 65);
  EXPECT_EQ(chen.band(), "称职");
}

TEST_F(OrganizationSummaryRpcTest, AttentionThresholdAndDueDaysComeFromTheSettings) {
  v1::ReportingSettings settings;
  settings.set_attention_absence_threshold(3);
  settings.set_annual_report_due_days(60);
  UpdateReportingSettings(settings, {"reporting_settings.attention_absence_threshold",
                                     "reporting_settings.annual_report_due_days"});

  const rep::OrganizationSummary summary = SummaryOrDie(Year(2026));
  EXPECT_EQ(summary.attention_threshold(), 3);
  ASSERT_EQ(summary.attention_list_size(), 1) << summary.DebugString();
  EXPECT_EQ(summary.attention_list(0).member(), Member(kLi));
  ASSERT_EQ(summary.annual_reports_due_size(), 2);
  // 2026-12-31 + 60 days = 2027-03-01 (31 days of January, 28 of February, 1 of March).
  ExpectDate(summary.annual_reports_due(0).due_date(), absl::CivilDay(2027, 3, 1));
}

TEST_F(OrganizationSummaryRpcTest, AnnualReportsAreDueForEveryYearEndingInThePeriod) {
  const rep::OrganizationSummary two_years =
      SummaryOrDie(Days(absl::CivilDay(2025, 1, 1), absl::CivilDay(2026, 12, 31)));
  // By year, then name. 2025: m2 absent from e0 (−5 → 55), m4 without events (60).
  ASSERT_EQ(two_years.annual_reports_due_size(), 4) << two_years.DebugString();
  std::vector<std::pair<int, std::string>> due;
  for (const rep::AnnualReportDue& entry : two_years.annual_reports_due()) {
    due.emplace_back(entry.year(), entry.display_name());
  }
  using Due = std::pair<int, std::string>;
  EXPECT_THAT(
      due, ElementsAre(Due(2025, "李芳"), Due(2025, "陈静"), Due(2026, "李芳"), Due(2026, "陈静")));
  ExpectDate(two_years.annual_reports_due(0).due_date(), absl::CivilDay(2026, 1, 31));
  ExpectFigures(two_years.annual_reports_due(0).stats(), {1, 0, 0, 0, 0, 1, 0, 0, 0, 0.0, 0, -5},
                "李芳 2025");
  EXPECT_DOUBLE_EQ(two_years.annual_reports_due(0).score(), 55);
  ExpectFigures(two_years.annual_reports_due(1).stats(), kNoEvents, "陈静 2025");
  EXPECT_DOUBLE_EQ(two_years.annual_reports_due(1).score(), 60);
  ExpectFigures(two_years.annual_reports_due(2).stats(), kLi2026, "李芳 2026");
  // e0 belongs to December 2025 of this period: 8 events, 24 months.
  EXPECT_EQ(two_years.event_count(), 8);
  EXPECT_EQ(two_years.by_month_size(), 24);

  // No calendar year ends inside January – November 2026.
  const rep::OrganizationSummary to_november =
      SummaryOrDie(Days(absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 11, 30)));
  EXPECT_TRUE(to_november.annual_reports_due().empty()) << to_november.DebugString();
  EXPECT_EQ(to_november.by_month_size(), 11);
}

TEST_F(OrganizationSummaryRpcTest, PeriodsAndMonthsFollowTheOrganizationTimeZone) {
  // 2026-01-01 07:00 in Shanghai is 2025-12-31 23:00 UTC: the event belongs to January 2026.
  BookEvent({"dawn",
             v1::EVENT_KIND_VISIT,
             "新年走访",
             {"走访"},
             At(2026, 1, 1, 7),
             At(2026, 1, 1, 9),
             {{kWu, v1::PARTICIPANT_ROLE_REQUIRED}},
             ""});
  CheckIn("dawn", kWu, At(2026, 1, 1, 7));
  Finalize("dawn");
  ASSERT_FALSE(HasFailure());

  const rep::OrganizationSummary year2026 = SummaryOrDie(Year(2026));
  ASSERT_EQ(year2026.by_month_size(), 12);
  EXPECT_EQ(year2026.by_month(0).event_count(), 1);
  // VISIT PRESENT +2, 2 h.
  ExpectFigures(year2026.by_month(0).stats(), {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 2, 2}, "January");
  EXPECT_EQ(year2026.event_count(), 8);

  const rep::OrganizationSummary december2025 =
      SummaryOrDie(Days(absl::CivilDay(2025, 12, 1), absl::CivilDay(2025, 12, 31)));
  EXPECT_EQ(december2025.event_count(), 1);  // e0 only
  ASSERT_EQ(december2025.by_month_size(), 1);
  EXPECT_EQ(december2025.by_month(0).month(), 12);

  rep::GetMemberReportRequest request;
  request.set_member(Member(kWu));
  *request.mutable_period() = Year(2025);
  rep::MemberReport report;
  const grpc::Status status = Call(&Reporting::GetMemberReport, kStaffA, request, &report);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(report.events().empty()) << report.DebugString();
  *request.mutable_period() = Year(2026);
  const grpc::Status status2026 = Call(&Reporting::GetMemberReport, kStaffA, request, &report);
  ASSERT_TRUE(status2026.ok()) << Describe(status2026);
  ASSERT_EQ(report.events_size(), 1);
  EXPECT_EQ(report.events(0).event(), Event("dawn"));
}

TEST_F(OrganizationSummaryRpcTest, SummaryReadsEveryPageOfRosterEventsAndAttendance) {
  // 1200 more members, invited as OPTIONAL to two lectures of 600 each: more records than one
  // page of ListAttendance (at most 1000) and more members than one page of the roster.
  constexpr int kExtraMembers = 1200;
  v1::ImportMembersRequest import;
  import.set_parent(OrganizationA());
  for (int i = 0; i < kExtraMembers; ++i) {
    v1::Member& member = *import.add_members();
    member.set_name(Member(absl::StrFormat("bulk-%04d", i)));
    member.set_display_name(absl::StrFormat("委员%04d", i));
    member.set_role(v1::MEMBER_ROLE_MEMBER);
  }
  v1::ImportMembersResponse imported;
  const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, import, &imported);
  ASSERT_TRUE(status.ok()) << "ImportMembers: " << Describe(status);
  for (int lecture = 0; lecture < 2; ++lecture) {
    std::vector<Invitee> invitees;
    for (int i = lecture * 600; i < (lecture + 1) * 600; ++i) {
      invitees.push_back({absl::StrFormat("bulk-%04d", i), v1::PARTICIPANT_ROLE_OPTIONAL});
    }
    BookEvent({absl::StrCat("lecture-", lecture),
               v1::EVENT_KIND_STUDY,
               "政协大讲堂（扩大）",
               {"理论学习"},
               At(2026, 8, 10 + lecture, 14),
               At(2026, 8, 10 + lecture, 16),
               invitees,
               ""});
  }
  CheckIn("lecture-1", "bulk-1199", At(2026, 8, 11, 14));
  Finalize("lecture-0");
  Finalize("lecture-1");
  ASSERT_FALSE(HasFailure());

  const rep::OrganizationSummary summary = SummaryOrDie(Year(2026));
  EXPECT_EQ(summary.event_count(), 9);
  ASSERT_EQ(summary.by_month_size(), 12);
  // August: bulk-1199 PRESENT (STUDY +1, 2 h), the other 1199 NOT_ATTENDED.
  EXPECT_EQ(summary.by_month(7).event_count(), 2);
  ExpectFigures(summary.by_month(7).stats(), {1, 1, 0, 0, 0, 0, 1199, 1, 0, 1.0, 2, 1}, "August");
  // kOrganization2026 plus August: invited 22, present 11, not attended 2 + 1199, attended 15,
  // rate 15 / (22 − 2) = 0.75, hours 99 + 2, points −2 + 1.
  ExpectFigures(summary.totals(), {22, 11, 2, 2, 2, 5, 1201, 15, 3, 0.75, 101, -1}, "totals");
  using Topic = std::pair<std::string, int>;
  ASSERT_FALSE(summary.topics().empty());
  EXPECT_EQ(Topic(summary.topics(0).topic(), summary.topics(0).event_count()),
            Topic("理论学习", 3));
}

}  // namespace
}  // namespace fieldwork::testing
