// The role × RPC matrix of ReportingService (see matrix_fixture.h): one row per RPC, each report
// valid apart from who asks, about subjects of kOrgA. Reporting reads scheduling and attendance on
// the caller's behalf, so these rows also prove that a caller cannot read through reporting what
// it could not read directly. The expected codes follow reporting_service.proto and
// services/reporting/permissions.cc (peer services read scheduling and attendance, not reports).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

class ReportingMatrixTest : public MatrixFixture {
 protected:
  std::vector<MatrixRow> Rows() {
    return {
        {"GetMemberReport", kStaffOrSelf,
         [this] {
           rep::GetMemberReportRequest request;
           request.set_member(SelfMember());
           *request.mutable_period() = Year(2026);
           return Calling(&Reporting::GetMemberReport, request);
         }},
        {"GetUnitReport", kStaffOnly,
         [this] {
           rep::GetUnitReportRequest request;
           request.set_unit(CreateUnit(FreshId()));
           *request.mutable_period() = Year(2026);
           return Calling(&Reporting::GetUnitReport, request);
         }},
        {"GetEventSheet", kStaffOnly,
         [this] {
           rep::GetEventSheetRequest request;
           request.set_event(EndedEventOfSelf());
           return Calling(&Reporting::GetEventSheet, request);
         }},
        {"GetOrganizationSummary", kStaffOnly,
         [this] {
           rep::GetOrganizationSummaryRequest request;
           request.set_organization(OrganizationA());
           *request.mutable_period() = Year(2026);
           return Calling(&Reporting::GetOrganizationSummary, request);
         }},
        // A member exports its own MEMBER_* tables.
        {"ExportReport", kStaffOrSelf,
         [this] {
           rep::ExportReportRequest request;
           request.set_table(rep::REPORT_TABLE_MEMBER_EVENTS);
           request.set_subject(SelfMember());
           *request.mutable_period() = Year(2026);
           return Exporting(request);
         }},
    };
  }
};

TEST_F(ReportingMatrixTest, EveryRpcAnswersEveryCallerAsTheTableSays) {
  RunMatrix("fieldwork.reporting.v1.ReportingService", Rows());
}

}  // namespace
}  // namespace fieldwork::testing
