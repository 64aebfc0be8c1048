// ExportReport over the committee year (committee_year.h) against the three real services: the
// stream's framing (content type, file name, metadata, header first, whole rows, a last message),
// the UTF-8 byte-order mark by default and its omission on request, CRLF line ends and RFC 4180
// quoting; each CSV is parsed by Python's csv module and holds the figures of the matching RPC
// report, which themselves equal the hand-computed ones.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

using ::testing::ElementsAre;
using Rows = std::vector<std::vector<std::string>>;

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";

class ExportRpcTest : public CommitteeYearFixture {
 protected:
  // Exports `table` of `subject` (period unset when `period` is nullopt) and returns the rows
  // Python's csv module reads, after checking the stream's framing and the byte-order mark.
  Rows ExportRows(rep::ReportTable table, const std::string& subject,
                  const std::optional<rep::ReportPeriod>& period, bool omit_bom = false,
                  std::string* raw = nullptr) {
    rep::ExportReportRequest request;
    request.set_table(table);
    request.set_subject(subject);
    if (period.has_value()) *request.mutable_period() = *period;
    request.set_omit_byte_order_mark(omit_bom);
    const ExportedReport exported = Export(kStaffA, request);
    const std::string what = rep::ReportTable_Name(table);
    EXPECT_TRUE(exported.status.ok()) << what << ": " << Describe(exported.status);
    ExpectWellFormed(exported, what);
    EXPECT_EQ(absl::StartsWith(exported.data, kByteOrderMark), !omit_bom) << what;
    if (raw != nullptr) *raw = exported.data;
    absl::StatusOr<Rows> rows = ParseCsvWithPython(exported.data);
    EXPECT_TRUE(rows.ok()) << what << ": " << rows.status();
    return rows.value_or(Rows());
  }

  void ExpectWellFormed(const ExportedReport& exported, absl::string_view what) {
    SCOPED_TRACE(what);
    ASSERT_FALSE(exported.messages.empty());
    const rep::ExportReportResponse& first = exported.messages.front();
    EXPECT_EQ(first.content_type(), "text/csv; charset=utf-8");
    EXPECT_TRUE(absl::EndsWith(first.filename(), ".csv")) << first.filename();
    EXPECT_EQ(first.metadata().organization(), OrganizationA());
    EXPECT_EQ(first.metadata().time_zone(), "Asia/Shanghai");
    EXPECT_EQ(first.metadata().scoring_table_version(), ScoringTableVersion());
    // The first message holds the byte-order mark (if any) and the header row only.
    EXPECT_TRUE(absl::EndsWith(first.data(), "\r\n")) << first.data();
    EXPECT_EQ(first.data().find("\r\n"), first.data().size() - 2) << first.data();
    for (size_t i = 0; i < exported.messages.size(); ++i) {
      EXPECT_LE(exported.messages[i].data().size(), 64u * 1024u) << "message " << i;
      EXPECT_EQ(exported.messages[i].last(), i + 1 == exported.messages.size()) << "message " << i;
    }
    // Every line ends with CRLF (no cell of these reports holds a line break).
    EXPECT_TRUE(absl::EndsWith(exported.data, "\r\n"));
    for (size_t at = exported.data.find('\n'); at != std::string::npos;
         at = exported.data.find('\n', at + 1)) {
      ASSERT_TRUE(at > 0 && exported.data[at - 1] == '\r') << "bare LF at byte " << at;
    }
  }
};

// A number cell: unformatted (no thousands separator), parses whole, equals `expected` (to 1e-6:
// the contract fixes no number of digits for rates).
void ExpectNumber(const std::string& cell, double expected, absl::string_view what) {
  double value = 0;
  ASSERT_TRUE(absl::SimpleAtod(cell, &value)) << what << ": \"" << cell << "\" is not a number";
  EXPECT_NEAR(value, expected, 1e-6) << what << ": \"" << cell << "\"";
}

// A rate cell: a 0–1 fraction, "" when unset.
void ExpectRate(const std::string& cell, const rep::AttendanceStats& stats,
                absl::string_view what) {
  if (!stats.has_attendance_rate()) {
    EXPECT_EQ(cell, "") << what;
    return;
  }
  ExpectNumber(cell, stats.attendance_rate(), what);
}

// The cells invited,present,late,left_early,excused,absent,not_attended,pending,attendance_rate,
// hours[,points] starting at column `first` equal `stats`.
void ExpectFigureCells(const std::vector<std::string>& row, size_t first,
                       const rep::AttendanceStats& stats, bool with_points,
                       absl::string_view what) {
  SCOPED_TRACE(absl::StrCat(what, ": ", absl::StrJoin(row, ",")));
  ASSERT_GE(row.size(), first + (with_points ? 11 : 10));
  const std::vector<int> counts = {stats.invited(),      stats.present(), stats.late(),
                                   stats.left_early(),   stats.excused(), stats.absent(),
                                   stats.not_attended(), stats.pending()};
  for (size_t i = 0; i < counts.size(); ++i) {
    EXPECT_EQ(row[first + i], absl::StrCat(counts[i])) << "column " << first + i;
  }
  ExpectRate(row[first + 8], stats, "attendance_rate");
  ExpectNumber(row[first + 9], stats.hours(), "hours");
  if (with_points) ExpectNumber(row[first + 10], stats.points(), "points");
}

std::vector<std::string> Header(absl::string_view columns) { return absl::StrSplit(columns, ','); }

TEST_F(ExportRpcTest, UnitMembersCsvParsesWithPythonAndHoldsTheReportFigures) {
  rep::GetUnitReportRequest request;
  request.set_unit(Unit(kSector));
  *request.mutable_period() = Year(2026);
  rep::UnitReport report;
  const grpc::Status status = Call(&Reporting::GetUnitReport, kStaffA, request, &report);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ExpectFigures(report.totals(), kSector2026, "经济界 totals");

  const Rows rows = ExportRows(rep::REPORT_TABLE_UNIT_MEMBERS, Unit(kSector), Year(2026));
  ASSERT_EQ(rows.size(), 1u + report.rows_size() + 1u) << "header, 6 members, TOTAL";
  EXPECT_EQ(rows[0], Header("member,display_name,role,status,invited,present,late,left_early,"
                            "excused,absent,not_attended,pending,attendance_rate,hours,points,"
                            "score,band"));
  for (int i = 0; i < report.rows_size(); ++i) {
    const rep::UnitReportRow& expected = report.rows(i);
    const std::vector<std::string>& row = rows[i + 1];
    ASSERT_EQ(row.size(), 17u) << absl::StrJoin(row, ",");
    EXPECT_EQ(row[0], expected.member());
    EXPECT_EQ(row[1], expected.display_name());
    EXPECT_EQ(row[2], v1::MemberRole_Name(expected.role()).substr(strlen("MEMBER_ROLE_")));
    EXPECT_EQ(row[3], v1::MemberStatus_Name(expected.status()).substr(strlen("MEMBER_STATUS_")));
    ExpectFigureCells(row, 4, expected.stats(), /*with_points=*/true, expected.display_name());
    ExpectNumber(row[15], expected.score(), "score");
    EXPECT_EQ(row[16], expected.band());
  }
  // Spot checks against the hand-computed figures, as a spreadsheet user reads them.
  EXPECT_THAT(rows[1], ElementsAre(Member(kZhang), "张伟", "MEMBER", "ACTIVE", "5", "2", "1", "1",
                                   "1", "0", "0", "1", "1", "31.5", "6", "66", "称职"));
  EXPECT_EQ(rows[4][3], "INACTIVE");  // 周敏
  EXPECT_EQ(rows[3][12], "");         // 吴刚: no rate
  EXPECT_EQ(rows[6][2], "STANDING_COMMITTEE_MEMBER");
  const std::vector<std::string>& total = rows.back();
  EXPECT_EQ(total[0], "TOTAL");
  ExpectFigureCells(total, 4, report.totals(), /*with_points=*/true, "TOTAL");
  ExpectNumber(total[12], 0.6875, "TOTAL rate");  // 11 / (17 − 1)
  ExpectNumber(total[13], 70.5, "TOTAL hours");
}

TEST_F(ExportRpcTest, MemberEventsCsvOmitsTheByteOrderMarkOnRequest) {
  const Rows rows = ExportRows(rep::REPORT_TABLE_MEMBER_EVENTS, Member(kWang), Year(2026),
                               /*omit_bom=*/true);
  ASSERT_EQ(rows.size(), 8u) << "header and e1, e2, e3, e4, e6, e7, e8";
  EXPECT_EQ(rows[0], Header("event,title,kind,start_time,end_time,role,outcome,points,hours"));
  EXPECT_THAT(rows[1], ElementsAre(Event(kTrip), "民营经济发展专题调研", "RESEARCH_TRIP",
                                   "2026-03-10T09:00:00+08:00", "2026-03-10T12:00:00+08:00", "LEAD",
                                   "PRESENT", "3", "3"));
  EXPECT_THAT(rows[2], ElementsAre(Event(kInspection), "生态环境保护集中视察", "INSPECTION",
                                   "2026-04-14T09:00:00+08:00", "2026-04-16T17:00:00+08:00",
                                   "REQUIRED", "PRESENT", "3", "24"));
  EXPECT_EQ(rows[3][6], "LEFT_EARLY");
  ExpectNumber(rows[3][8], 2.5, "e3 hours");
  EXPECT_EQ(rows[5][6], "ABSENT");
  ExpectNumber(rows[5][7], -5, "e6 points");
  EXPECT_EQ(rows[7][0], Event(kTraining));
  // The pending e8 has no outcome yet, no points and no hours.
  EXPECT_TRUE(rows[7][6] == "" || rows[7][6] == "UNSPECIFIED") << rows[7][6];
  ExpectNumber(rows[7][7], 0, "e8 points");
  ExpectNumber(rows[7][8], 0, "e8 hours");
}

TEST_F(ExportRpcTest, MemberKindsCsvEndsWithTheTotalRow) {
  rep::GetMemberReportRequest request;
  request.set_member(Member(kWang));
  *request.mutable_period() = Year(2026);
  rep::MemberReport report;
  const grpc::Status status = Call(&Reporting::GetMemberReport, kStaffA, request, &report);
  ASSERT_TRUE(status.ok()) << Describe(status);

  const Rows rows = ExportRows(rep::REPORT_TABLE_MEMBER_KINDS, Member(kWang), Year(2026));
  ASSERT_EQ(rows.size(), 1u + report.by_kind_size() + 1u);
  EXPECT_EQ(rows[0], Header("kind,event_count,invited,present,late,left_early,excused,absent,"
                            "not_attended,pending,attendance_rate,hours,points"));
  for (int i = 0; i < report.by_kind_size(); ++i) {
    const rep::KindStats& kind = report.by_kind(i);
    const std::string name = v1::EventKind_Name(kind.kind()).substr(strlen("EVENT_KIND_"));
    EXPECT_EQ(rows[i + 1][0], name);
    EXPECT_EQ(rows[i + 1][1], absl::StrCat(kind.event_count())) << name;
    ExpectFigureCells(rows[i + 1], 2, kind.stats(), /*with_points=*/true, name);
  }
  EXPECT_EQ(rows[1][0], "RESEARCH_TRIP");
  EXPECT_EQ(rows.back()[0], "TOTAL");
  ExpectFigureCells(rows.back(), 2, report.totals(), /*with_points=*/true, "TOTAL");
  ExpectNumber(rows.back()[12], -2, "TOTAL points");  // kWang2026
}

TEST_F(ExportRpcTest, EventSheetCsvQuotesLeaveReasonsWithCommasAndQuotes) {
  std::string raw;
  const Rows rows =
      ExportRows(rep::REPORT_TABLE_EVENT_SHEET, Event(kMeeting), std::nullopt, false, &raw);
  // RFC 4180: the reason holds a comma and quotes, so it is quoted with the quotes doubled.
  EXPECT_TRUE(absl::StrContains(raw, "\"单位有事, 需\"\"请假\"\"\"")) << raw;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], Header("member,display_name,role,outcome,provisional,rsvp,check_in_time,"
                            "check_out_time,leave_state,leave_reason"));
  const std::vector<std::string>& chen = rows[1];
  ASSERT_EQ(chen.size(), 10u);
  EXPECT_EQ(chen[0], Member(kChen));
  EXPECT_EQ(chen[2], "LEAD");
  EXPECT_EQ(chen[3], "PRESENT");
  EXPECT_EQ(chen[4], "false");
  EXPECT_EQ(chen[6], "2026-05-20T14:20:00+08:00");
  EXPECT_EQ(chen[7], "2026-05-20T17:00:00+08:00");
  EXPECT_EQ(chen[9], "");
  EXPECT_EQ(rows[2][0], Member(kWang));
  EXPECT_EQ(rows[2][3], "LEFT_EARLY");
  EXPECT_EQ(rows[2][7], "2026-05-20T16:00:00+08:00");
  const std::vector<std::string>& li = rows[3];
  ASSERT_EQ(li.size(), 10u);
  EXPECT_EQ(li[0], Member(kLi));
  EXPECT_EQ(li[1], "李芳");
  EXPECT_EQ(li[3], "ABSENT");
  EXPECT_EQ(li[6], "");
  EXPECT_EQ(li[8], "REJECTED");
  EXPECT_EQ(li[9], kMeetingLeaveReason);
}

TEST_F(ExportRpcTest, OrganizationTablesCsvHoldTheSummaryFigures) {
  rep::GetOrganizationSummaryRequest request;
  request.set_organization(OrganizationA());
  *request.mutable_period() = Year(2026);
  rep::OrganizationSummary summary;
  const grpc::Status status = Call(&Reporting::GetOrganizationSummary, kStaffA, request, &summary);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ExpectFigures(summary.totals(), kOrganization2026, "organization totals");

  const Rows months =
      ExportRows(rep::REPORT_TABLE_ORGANIZATION_MONTHS, OrganizationA(), Year(2026));
  ASSERT_EQ(months.size(), 13u);
  EXPECT_EQ(months[0], Header("month,event_count,invited,present,late,left_early,excused,absent,"
                              "not_attended,pending,attendance_rate,hours"));
  ASSERT_EQ(summary.by_month_size(), 12);
  for (int i = 0; i < 12; ++i) {
    const std::vector<std::string>& row = months[i + 1];
    ASSERT_FALSE(row.empty());
    EXPECT_EQ(row[0], absl::StrFormat("2026-%02d", i + 1));
    EXPECT_EQ(row[1], absl::StrCat(summary.by_month(i).event_count())) << row[0];
    ExpectFigureCells(row, 2, summary.by_month(i).stats(), /*with_points=*/false, row[0]);
  }
  ExpectNumber(months[4][11], 72, "April hours");  // e2: 3 attended × 24 h

  const Rows kinds = ExportRows(rep::REPORT_TABLE_ORGANIZATION_KINDS, OrganizationA(), Year(2026));
  ASSERT_EQ(kinds.size(), 1u + summary.by_kind_size());
  EXPECT_EQ(kinds[0], Header("kind,event_count,invited,present,late,left_early,excused,absent,"
                             "not_attended,pending,attendance_rate,hours"));
  for (int i = 0; i < summary.by_kind_size(); ++i) {
    const rep::KindStats& kind = summary.by_kind(i);
    const std::string name = v1::EventKind_Name(kind.kind()).substr(strlen("EVENT_KIND_"));
    EXPECT_EQ(kinds[i + 1][0], name);
    ExpectFigureCells(kinds[i + 1], 2, kind.stats(), /*with_points=*/false, name);
  }

  const Rows topics =
      ExportRows(rep::REPORT_TABLE_ORGANIZATION_TOPICS, OrganizationA(), Year(2026));
  EXPECT_THAT(topics, ElementsAre(Header("topic,event_count"), Header("民营经济,2"),
                                  Header("营商环境,2"), Header("履职能力,1"), Header("年度工作,1"),
                                  Header("理论学习,1"), Header("生态环境,1")));

  const Rows attention = ExportRows(rep::REPORT_TABLE_ATTENTION_LIST, OrganizationA(), Year(2026));
  EXPECT_THAT(
      attention,
      ElementsAre(
          Header("member,display_name,absences,events"),
          std::vector<std::string>{
              Member(kLi), "李芳", "3",
              absl::StrJoin({Event(kInspection), Event(kMeeting), Event(kOversight)}, ";")},
          std::vector<std::string>{Member(kWang), "王建国", "2",
                                   absl::StrJoin({Event(kOversight), Event(kStudy)}, ";")}));

  const Rows due = ExportRows(rep::REPORT_TABLE_ANNUAL_REPORTS_DUE, OrganizationA(), Year(2026));
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0], Header("member,display_name,role,year,due_date,attendance_rate,points,score,"
                           "band"));
  ASSERT_EQ(due[1].size(), 9u);
  EXPECT_EQ(due[1][0], Member(kLi));
  EXPECT_EQ(due[1][2], "STANDING_COMMITTEE_MEMBER");
  EXPECT_EQ(due[1][3], "2026");
  EXPECT_EQ(due[1][4], "2027-01-31");
  ExpectNumber(due[1][5], 0.4, "李芳 rate");
  ExpectNumber(due[1][6], -12, "李芳 points");
  ExpectNumber(due[1][7], 48, "李芳 score");
  EXPECT_EQ(due[1][8], "基本称职");
  ASSERT_EQ(due[2].size(), 9u);
  EXPECT_EQ(due[2][0], Member(kChen));
  EXPECT_EQ(due[2][2], "VICE_CHAIR");
  ExpectNumber(due[2][5], 1, "陈静 rate");
  ExpectNumber(due[2][7], 65, "陈静 score");
}

TEST_F(ExportRpcTest, OrganizationMembersCsvListsEveryMemberThenTotal) {
  const Rows rows = ExportRows(rep::REPORT_TABLE_ORGANIZATION_MEMBERS, OrganizationA(), Year(2026));
  ASSERT_EQ(rows.size(), 9u) << "header, 7 members, TOTAL";
  EXPECT_EQ(rows[0][0], "member");
  // 66 张伟, 65 陈静, 61 孙丽, 60 吴刚 / 周敏 (by name), 58 王建国, 48 李芳.
  std::vector<std::string> order;
  for (size_t i = 1; i + 1 < rows.size(); ++i) order.push_back(rows[i][1]);
  EXPECT_THAT(order, ElementsAre("张伟", "陈静", "孙丽", "吴刚", "周敏", "王建国", "李芳"));
  ExpectNumber(rows[2][15], 65, "陈静 score");
  const std::vector<std::string>& total = rows.back();
  EXPECT_EQ(total[0], "TOTAL");
  // kOrganization2026: invited 21, …, rate 14 / 19, hours 99, points −2.
  ASSERT_GE(total.size(), 15u);
  EXPECT_EQ(total[4], "21");
  EXPECT_EQ(total[11], "3");
  ExpectNumber(total[12], 14.0 / 19.0, "TOTAL rate");
  ExpectNumber(total[13], 99, "TOTAL hours");
  ExpectNumber(total[14], -2, "TOTAL points");
}

TEST_F(ExportRpcTest, LargeExportStreamsWholeRowsInChunksOfAtMost64KiB) {
  // 1200 more members of 经济界 make a CSV of well over 64 KiB.
  constexpr int kExtraMembers = 1200;
  v1::ImportMembersRequest request;
  request.set_parent(OrganizationA());
  for (int i = 0; i < kExtraMembers; ++i) {
    v1::Member& member = *request.add_members();
    member.set_name(Member(absl::StrFormat("bulk-%04d", i)));
    member.set_display_name(absl::StrFormat("经济界委员第%04d号", i));
    member.set_role(v1::MEMBER_ROLE_MEMBER);
    member.add_units(Unit(kSector));
  }
  v1::ImportMembersResponse imported;
  const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, request, &imported);
  ASSERT_TRUE(status.ok()) << "ImportMembers: " << Describe(status);
  ASSERT_EQ(imported.created_count(), kExtraMembers);

  rep::ExportReportRequest export_request;
  export_request.set_table(rep::REPORT_TABLE_UNIT_MEMBERS);
  export_request.set_subject(Unit(kSector));
  *export_request.mutable_period() = Year(2026);
  const ExportedReport exported = Export(kStaffA, export_request);
  ASSERT_TRUE(exported.status.ok()) << Describe(exported.status);
  ExpectWellFormed(exported, "large unit export");
  ASSERT_GE(exported.messages.size(), 2u) << exported.data.size() << " bytes in one message";
  for (size_t i = 0; i < exported.messages.size(); ++i) {
    const std::string& data = exported.messages[i].data();
    // Whole rows: every message with data ends at a row end.
    EXPECT_TRUE(data.empty() || absl::EndsWith(data, "\r\n")) << "message " << i;
  }
  absl::StatusOr<Rows> rows = ParseCsvWithPython(exported.data);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u + 6u + kExtraMembers + 1u) << "header, members, TOTAL";
  EXPECT_EQ(rows->back()[0], "TOTAL");
  EXPECT_EQ(rows->back()[4], "17");  // kSector2026: the new members add nothing
  ExpectNumber(rows->back()[13], 70.5, "TOTAL hours");
}

}  // namespace
}  // namespace fieldwork::testing
