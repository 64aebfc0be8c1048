// GetUnitReport over the committee year (committee_year.h) against the three real services: a row
// per member on the unit's roster (inactive ones too), sorted by score, then name, each with the
// hand-computed figures, and totals summed over the rows with the rate recomputed from the sums.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

// One expected row of a unit report.
struct Row {
  const char* member_id;
  const char* display_name;
  v1::MemberRole role;
  v1::MemberStatus status;
  const Figures* figures;
  double score;
  const char* band;
};

class UnitReportRpcTest : public CommitteeYearFixture {
 protected:
  rep::UnitReport UnitReportOrDie(absl::string_view unit_id, const rep::ReportPeriod& period) {
    rep::GetUnitReportRequest request;
    request.set_unit(Unit(unit_id));
    *request.mutable_period() = period;
    rep::UnitReport report;
    const grpc::Status status = Call(&Reporting::GetUnitReport, kStaffA, request, &report);
    EXPECT_TRUE(status.ok()) << "GetUnitReport " << unit_id << ": " << Describe(status);
    return report;
  }

  static void ExpectRows(const rep::UnitReport& report, const std::vector<Row>& rows) {
    ASSERT_EQ(report.rows_size(), static_cast<int>(rows.size())) << report.DebugString();
    for (size_t i = 0; i < rows.size(); ++i) {
      const rep::UnitReportRow& actual = report.rows(static_cast<int>(i));
      SCOPED_TRACE(absl::StrCat("row ", i, " ", rows[i].display_name));
      EXPECT_EQ(actual.member(), MemberName(rows[i].member_id));
      EXPECT_EQ(actual.display_name(), rows[i].display_name);
      EXPECT_EQ(actual.role(), rows[i].role);
      EXPECT_EQ(actual.status(), rows[i].status);
      ExpectFigures(actual.stats(), *rows[i].figures, rows[i].display_name);
      EXPECT_DOUBLE_EQ(actual.score(), rows[i].score);
      EXPECT_EQ(actual.band(), rows[i].band);
    }
  }
};

TEST_F(UnitReportRpcTest, SectorRowsSortByScoreThenNameWithHandComputedFigures) {
  const rep::UnitReport report = UnitReportOrDie(kSector, Year(2026));
  EXPECT_EQ(report.unit(), Unit(kSector));
  EXPECT_EQ(report.display_name(), "经济界");
  EXPECT_EQ(report.kind(), v1::UNIT_KIND_SECTOR);
  EXPECT_EQ(report.metadata().scoring_table_version(), ScoringTableVersion());
  EXPECT_EQ(report.metadata().organization(), OrganizationA());
  // 66, 61, then the tie at 60 by name in code point order (吴 U+5434 before 周 U+5468; the
  // inactive member keeps its row), 58, 48.
  ExpectRows(
      report,
      {{kZhang, "张伟", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kZhang2026, 66, "称职"},
       {kSun, "孙丽", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kSun2026, 61, "称职"},
       {kWu, "吴刚", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kNoEvents, 60, "称职"},
       {kZhou, "周敏", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_INACTIVE, &kNoEvents, 60, "称职"},
       {kWang, "王建国", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kWang2026, 58,
        "基本称职"},
       {kLi, "李芳", v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kLi2026,
        48, "基本称职"}});
  ExpectFigures(report.totals(), kSector2026, "经济界 totals");
}

TEST_F(UnitReportRpcTest, CommitteeReportCoversItsMembersAndUnitInvitations) {
  const rep::UnitReport report = UnitReportOrDie(kCommittee, Year(2026));
  EXPECT_EQ(report.display_name(), "提案委员会");
  EXPECT_EQ(report.kind(), v1::UNIT_KIND_COMMITTEE);
  ExpectRows(report, {{kZhang, "张伟", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE,
                       &kZhang2026, 66, "称职"},
                      {kChen, "陈静", v1::MEMBER_ROLE_VICE_CHAIR, v1::MEMBER_STATUS_ACTIVE,
                       &kChen2026, 65, "称职"},
                      {kWang, "王建国", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE,
                       &kWang2026, 58, "基本称职"}});
  ExpectFigures(report.totals(), kCommittee2026, "提案委员会 totals");
}

TEST_F(UnitReportRpcTest, PeriodWithoutEventsGivesBaseScoresAndNoRates) {
  const rep::UnitReport report = UnitReportOrDie(kCommittee, Year(2024));
  ExpectRows(
      report,
      {{kZhang, "张伟", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kNoEvents, 60, "称职"},
       {kWang, "王建国", v1::MEMBER_ROLE_MEMBER, v1::MEMBER_STATUS_ACTIVE, &kNoEvents, 60, "称职"},
       {kChen, "陈静", v1::MEMBER_ROLE_VICE_CHAIR, v1::MEMBER_STATUS_ACTIVE, &kNoEvents, 60,
        "称职"}});
  ExpectFigures(report.totals(), kNoEvents, "提案委员会 2024 totals");
}

}  // namespace
}  // namespace fieldwork::testing
