// The role × RPC matrix of AuditService (see matrix_fixture.h), which every server serves over
// its own audit stream: one matrix per server. Admin and org-admin of kOrgA read kOrgA's trail;
// staff, members and services on their own account are refused; kOrgB's callers get NOT_FOUND.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

class AuditMatrixTest : public MatrixFixture {
 protected:
  std::vector<MatrixRow> Rows(ServiceProcess& process) {
    return {
        {"ListAuditEntries", kOrgAdminOnly,
         [this, &process] {
           common::v1::ListAuditEntriesRequest request;
           request.set_parent(OrganizationA());
           return ListingAudit(process, request);
         }},
    };
  }
};

constexpr char kAuditService[] = "fieldwork.common.v1.AuditService";

TEST_F(AuditMatrixTest, SchedulingAnswersEveryCallerAsTheTableSays) {
  RunMatrix(kAuditService, Rows(service()));
}

TEST_F(AuditMatrixTest, AttendanceAnswersEveryCallerAsTheTableSays) {
  RunMatrix(kAuditService, Rows(attendance_service()));
}

TEST_F(AuditMatrixTest, ReportingAnswersEveryCallerAsTheTableSays) {
  RunMatrix(kAuditService, Rows(reporting_service()));
}

}  // namespace
}  // namespace fieldwork::testing
