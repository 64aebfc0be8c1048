// Who may read which report, against the three real services: a member reads and exports only its
// own report; staff, org-admin and admin read every report; a peer service reads none; callers of
// another organization get NOT_FOUND (never PERMISSION_DENIED, which would reveal that the subject
// exists); unknown tokens are refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

class AccessRpcTest : public CommitteeYearFixture {
 protected:
  grpc::Status MemberReport(absl::string_view token, absl::string_view member_id) {
    rep::GetMemberReportRequest request;
    request.set_member(Member(member_id));
    *request.mutable_period() = Year(2026);
    rep::MemberReport report;
    return Call(&Reporting::GetMemberReport, token, request, &report);
  }
  grpc::Status UnitReport(absl::string_view token) {
    rep::GetUnitReportRequest request;
    request.set_unit(Unit(kSector));
    *request.mutable_period() = Year(2026);
    rep::UnitReport report;
    return Call(&Reporting::GetUnitReport, token, request, &report);
  }
  grpc::Status EventSheet(absl::string_view token) {
    rep::GetEventSheetRequest request;
    request.set_event(Event(kTrip));
    rep::EventSheet sheet;
    return Call(&Reporting::GetEventSheet, token, request, &sheet);
  }
  grpc::Status Summary(absl::string_view token) {
    rep::GetOrganizationSummaryRequest request;
    request.set_organization(OrganizationA());
    *request.mutable_period() = Year(2026);
    rep::OrganizationSummary summary;
    return Call(&Reporting::GetOrganizationSummary, token, request, &summary);
  }
  ExportedReport ExportTable(absl::string_view token, rep::ReportTable table,
                             const std::string& subject) {
    rep::ExportReportRequest request;
    request.set_table(table);
    request.set_subject(subject);
    if (table != rep::REPORT_TABLE_EVENT_SHEET) *request.mutable_period() = Year(2026);
    return Export(token, request);
  }
};

void ExpectCode(const grpc::Status& status, grpc::StatusCode code, absl::string_view what) {
  EXPECT_EQ(status.error_code(), code) << what << ": " << Describe(status);
}

TEST_F(AccessRpcTest, MemberReadsItsOwnReportOnly) {
  const grpc::Status own = MemberReport(kMemberA1, kWang);
  ASSERT_TRUE(own.ok()) << Describe(own);
  ExpectCode(MemberReport(kMemberA1, kLi), grpc::StatusCode::PERMISSION_DENIED, "m1 reads m2");
  ExpectCode(MemberReport(kMemberA2, kLi), grpc::StatusCode::OK, "m2 reads m2");
  ExpectCode(MemberReport(kMemberA2, kWang), grpc::StatusCode::PERMISSION_DENIED, "m2 reads m1");
}

TEST_F(AccessRpcTest, MemberCannotReadUnitEventOrOrganizationReports) {
  ExpectCode(UnitReport(kMemberA1), grpc::StatusCode::PERMISSION_DENIED, "unit report");
  ExpectCode(EventSheet(kMemberA1), grpc::StatusCode::PERMISSION_DENIED, "event sheet");
  ExpectCode(Summary(kMemberA1), grpc::StatusCode::PERMISSION_DENIED, "summary");
}

TEST_F(AccessRpcTest, StaffOrgAdminAndAdminReadEveryReport) {
  for (const char* token : {kStaffA, kOrgAdminA, kAdmin}) {
    SCOPED_TRACE(token);
    ExpectCode(MemberReport(token, kLi), grpc::StatusCode::OK, "member report");
    ExpectCode(UnitReport(token), grpc::StatusCode::OK, "unit report");
    ExpectCode(EventSheet(token), grpc::StatusCode::OK, "event sheet");
    ExpectCode(Summary(token), grpc::StatusCode::OK, "summary");
    ExpectCode(ExportTable(token, rep::REPORT_TABLE_ORGANIZATION_MEMBERS, OrganizationA()).status,
               grpc::StatusCode::OK, "export");
  }
}

TEST_F(AccessRpcTest, OtherOrganizationGetsNotFound) {
  CreateOtherOrganization();
  for (const char* token : {kStaffB, kOrgAdminB}) {
    SCOPED_TRACE(token);
    ExpectCode(MemberReport(token, kWang), grpc::StatusCode::NOT_FOUND, "member report");
    ExpectCode(UnitReport(token), grpc::StatusCode::NOT_FOUND, "unit report");
    ExpectCode(EventSheet(token), grpc::StatusCode::NOT_FOUND, "event sheet");
    ExpectCode(Summary(token), grpc::StatusCode::NOT_FOUND, "summary");
    ExpectCode(ExportTable(token, rep::REPORT_TABLE_UNIT_MEMBERS, Unit(kSector)).status,
               grpc::StatusCode::NOT_FOUND, "export");
  }
  // A member of the other organization whose id is m1 too: still not kOrgA's m1.
  ExpectCode(MemberReport(kMemberB1, kWang), grpc::StatusCode::NOT_FOUND,
             "jiaoqu m1 → tongguan m1");
}

TEST_F(AccessRpcTest, MemberExportsOnlyItsOwnMemberTables) {
  const ExportedReport own = ExportTable(kMemberA1, rep::REPORT_TABLE_MEMBER_EVENTS, Member(kWang));
  EXPECT_TRUE(own.status.ok()) << Describe(own.status);
  EXPECT_FALSE(own.data.empty());
  ExpectCode(ExportTable(kMemberA1, rep::REPORT_TABLE_MEMBER_KINDS, Member(kWang)).status,
             grpc::StatusCode::OK, "own kinds");
  for (const auto& [table, subject] : std::vector<std::pair<rep::ReportTable, std::string>>{
           {rep::REPORT_TABLE_MEMBER_EVENTS, Member(kLi)},
           {rep::REPORT_TABLE_MEMBER_KINDS, Member(kLi)},
           {rep::REPORT_TABLE_UNIT_MEMBERS, Unit(kSector)},
           {rep::REPORT_TABLE_EVENT_SHEET, Event(kTrip)},
           {rep::REPORT_TABLE_ORGANIZATION_MEMBERS, OrganizationA()},
           {rep::REPORT_TABLE_ATTENTION_LIST, OrganizationA()}}) {
    const ExportedReport refused = ExportTable(kMemberA1, table, subject);
    ExpectCode(refused.status, grpc::StatusCode::PERMISSION_DENIED, rep::ReportTable_Name(table));
    EXPECT_TRUE(refused.data.empty()) << rep::ReportTable_Name(table);
  }
}

TEST_F(AccessRpcTest, UnknownTokenIsUnauthenticated) {
  ExpectCode(MemberReport("no-such-token", kWang), grpc::StatusCode::UNAUTHENTICATED, "report");
  ExpectCode(ExportTable("no-such-token", rep::REPORT_TABLE_MEMBER_EVENTS, Member(kWang)).status,
             grpc::StatusCode::UNAUTHENTICATED, "export");
}

TEST_F(AccessRpcTest, ServiceTokenCannotReadReports) {
  // Peer services read scheduling and attendance, not reports.
  ExpectCode(MemberReport(kService, kWang), grpc::StatusCode::PERMISSION_DENIED, "member report");
  ExpectCode(Summary(kService), grpc::StatusCode::PERMISSION_DENIED, "summary");
}

}  // namespace
}  // namespace fieldwork::testing
