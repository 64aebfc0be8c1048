// Shared fixture of the reporting integration tests: the attendance fixture (one private Redis, one
// fieldwork-scheduling, one fieldwork-attendance, the cast of callers, organization kOrgA created)
// plus one fieldwork-reporting per test binary pointed at both (restarted when it died or a peer
// moved), a way to start more reporting replicas against other peers (peer-down tests), and the
// helpers reporting tests need: report periods, reading a whole ExportReport stream, and parsing
// CSV with Python's csv module.
//
//   class MemberReportRpcTest : public ReportingFixture {};
//   TEST_F(MemberReportRpcTest, ...) {
//     rep::GetMemberReportRequest request;  ...
//     rep::MemberReport report;
//     grpc::Status status = Call(&Reporting::GetMemberReport, kStaffA, request, &report);
//   }
#ifndef FIELDWORK_TESTS_SERVICES_REPORTING_REPORTING_FIXTURE_H_
#define FIELDWORK_TESTS_SERVICES_REPORTING_REPORTING_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/common/v1/attendance_outcome.pb.h"
#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "tests/harness/service_process.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {

namespace rep = ::fieldwork::reporting::v1;
using Reporting = rep::ReportingService::Stub;

// Attendance outcomes by their short names, as the reporting tests write them.
inline constexpr auto kPresent = common::v1::ATTENDANCE_OUTCOME_PRESENT;
inline constexpr auto kLate = common::v1::ATTENDANCE_OUTCOME_LATE;
inline constexpr auto kLeftEarly = common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY;
inline constexpr auto kExcused = common::v1::ATTENDANCE_OUTCOME_EXCUSED;
inline constexpr auto kAbsent = common::v1::ATTENDANCE_OUTCOME_ABSENT;
inline constexpr auto kNotAttended = common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED;

// How to start one fieldwork-reporting process.
struct ReportingReplicaOptions {
  std::string redis_url;          // required (accepted, not used for data)
  std::string scheduling_target;  // required, "127.0.0.1:<port>"
  std::string attendance_target;  // required, "127.0.0.1:<port>"
  std::vector<std::string> extra_flags;
};

// Starts a fieldwork-reporting process with the fixture's tokens file and service token, and waits
// until it serves.
absl::StatusOr<std::unique_ptr<ServiceProcess>> StartReportingReplica(
    const ReportingReplicaOptions& options);

// A whole ExportReport stream as the client saw it.
struct ExportedReport {
  grpc::Status status;
  std::vector<rep::ExportReportResponse> messages;
  // The data of every message, concatenated.
  std::string data;
};

// Reads the ExportReport stream of `request` on `stub` as `token` to its end.
ExportedReport ReadExport(Reporting& stub, absl::string_view token,
                          const rep::ExportReportRequest& request,
                          absl::Duration timeout = absl::Seconds(20));

// The rows of `csv` as Python's csv module reads them (/usr/bin/python3, csv.reader on the file
// opened with encoding utf-8-sig and newline=''), each row a list of cells.
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvWithPython(const std::string& csv);

class ReportingFixture : public AttendanceFixture {
 protected:
  // Attendance fixture (Redis flushed, kOrgA created), then the shared reporting process.
  void SetUp() override;

  ServiceProcess& reporting_service() { return *reporting_service_; }
  Reporting& reporting() { return *reporting_; }

  using AttendanceFixture::Call;
  // Calls a unary ReportingService RPC with `token`: Call(&Reporting::GetMemberReport, ...).
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Reporting::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    absl::string_view token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token);
    return (reporting_.get()->*rpc)(&context, request, response);
  }

  // ReadExport on the shared reporting process.
  ExportedReport Export(absl::string_view token, const rep::ExportReportRequest& request) {
    return ReadExport(*reporting_, token, request);
  }

  // Report periods: a calendar year, or the inclusive days first … last.
  static rep::ReportPeriod Year(int year);
  static rep::ReportPeriod Days(absl::CivilDay first, absl::CivilDay last);

 private:
  ServiceProcess* reporting_service_ = nullptr;
  std::unique_ptr<Reporting> reporting_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SERVICES_REPORTING_REPORTING_FIXTURE_H_
