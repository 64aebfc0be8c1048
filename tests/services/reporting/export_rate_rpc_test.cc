// ExportReport's per-caller rate limit: 60 exports a minute per caller, then RESOURCE_EXHAUSTED
// with ERROR_REASON_RATE_LIMITED and RetryInfo, while other callers keep their own allowance.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/services/reporting/reporting_fixture.h"

namespace fieldwork::testing {
namespace {

class ExportRateRpcTest : public ReportingFixture {};

// Requests that are counted and then refused as malformed (no table), so no report is built.
rep::ExportReportRequest CountedButRefused(const std::string& organization) {
  rep::ExportReportRequest request;
  request.set_subject(organization);
  return request;
}

TEST_F(ExportRateRpcTest, CallerOverSixtyExportsAMinuteIsRefusedUntilTheWindowEnds) {
  const rep::ExportReportRequest request = CountedButRefused(absl::StrCat("organizations/", kOrgA));
  // Windows are aligned to the minute: a run crossing a boundary may need up to 120 calls.
  int calls = 0;
  grpc::Status status;
  do {
    status = Export(kStaffA, request).status;
    ++calls;
  } while (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT && calls <= 121);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_RATE_LIMITED");
  EXPECT_GT(calls, 60);
  // Another caller has its own allowance.
  EXPECT_EQ(Export(kOrgAdminA, request).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace fieldwork::testing
