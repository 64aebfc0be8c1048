// Reporting with a peer down, against real binaries and a real Redis: dedicated reporting
// processes talk to a scheduling or attendance that never listened, was stopped, or is paused
// (SIGSTOP). Every report and export answers UNAVAILABLE (ERROR_REASON_PEER_UNAVAILABLE) before the
// caller's deadline, never a partial report: no report body, and no export stream that ends as if
// complete. Once the peer answers again, so does reporting.
#include <csignal>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

// Far above the dedicated reporting's --call-timeout, so a reporting that waits on a peer past its
// own deadline shows up as DEADLINE_EXCEEDED instead of UNAVAILABLE.
constexpr absl::Duration kCallerDeadline = absl::Seconds(30);

class PeerUnavailableRpcTest : public CommitteeYearFixture {
 protected:
  // Starts a reporting process against these peers; its stub replaces the previous one.
  void StartIsolatedReporting(const std::string& scheduling_target,
                              const std::string& attendance_target) {
    ReportingReplicaOptions options;
    options.redis_url = redis().url();
    options.scheduling_target = scheduling_target;
    options.attendance_target = attendance_target;
    options.extra_flags = {"--call-timeout=1s"};
    absl::StatusOr<std::unique_ptr<ServiceProcess>> started = StartReportingReplica(options);
    ASSERT_TRUE(started.ok()) << started.status();
    isolated_ = *std::move(started);
    stub_ = rep::ReportingService::NewStub(isolated_->channel());
  }

  // A private attendance against the shared scheduling, so the test may stop or pause it.
  void StartPrivateAttendance() {
    AttendanceReplicaOptions options;
    options.redis_url = redis().url();
    options.scheduling_target = service().address();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> started = StartAttendanceReplica(options);
    ASSERT_TRUE(started.ok()) << started.status();
    private_attendance_ = *std::move(started);
  }

  template <typename Request, typename Response>
  grpc::Status CallIsolated(grpc::Status (Reporting::*rpc)(grpc::ClientContext*, const Request&,
                                                           Response*),
                            const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, kStaffA, kCallerDeadline);
    return (stub_.get()->*rpc)(&context, request, response);
  }

  // Every report of the year from the dedicated reporting: name → status. A failed unary call
  // carries no report at all; a failed export must not end with a message marked last.
  std::vector<std::pair<std::string, grpc::Status>> EveryReport() {
    std::vector<std::pair<std::string, grpc::Status>> results;
    {
      rep::GetMemberReportRequest request;
      request.set_member(Member(kWang));
      *request.mutable_period() = Year(2026);
      rep::MemberReport report;
      const grpc::Status status = CallIsolated(&Reporting::GetMemberReport, request, &report);
      results.emplace_back("member report", status);
    }
    {
      rep::GetUnitReportRequest request;
      request.set_unit(Unit(kSector));
      *request.mutable_period() = Year(2026);
      rep::UnitReport report;
      const grpc::Status status = CallIsolated(&Reporting::GetUnitReport, request, &report);
      results.emplace_back("unit report", status);
    }
    {
      rep::GetEventSheetRequest request;
      request.set_event(Event(kTrip));
      rep::EventSheet sheet;
      const grpc::Status status = CallIsolated(&Reporting::GetEventSheet, request, &sheet);
      results.emplace_back("event sheet", status);
    }
    {
      rep::GetOrganizationSummaryRequest request;
      request.set_organization(OrganizationA());
      *request.mutable_period() = Year(2026);
      rep::OrganizationSummary summary;
      const grpc::Status status =
          CallIsolated(&Reporting::GetOrganizationSummary, request, &summary);
      results.emplace_back("summary", status);
    }
    {
      rep::ExportReportRequest request;
      request.set_table(rep::REPORT_TABLE_UNIT_MEMBERS);
      request.set_subject(Unit(kSector));
      *request.mutable_period() = Year(2026);
      const ExportedReport exported = ReadExport(*stub_, kStaffA, request, kCallerDeadline);
      if (!exported.status.ok()) {
        for (const rep::ExportReportResponse& message : exported.messages) {
          EXPECT_FALSE(message.last()) << "a failed export claimed to be complete";
        }
      }
      results.emplace_back("export", exported.status);
    }
    return results;
  }

  void ExpectEveryReportUnavailable(absl::string_view why) {
    for (const auto& [what, status] : EveryReport()) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
          << what << " with " << why << ": " << Describe(status);
      EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_PEER_UNAVAILABLE") << what << " with " << why;
    }
  }

  void ExpectEveryReportOk(absl::string_view when) {
    for (const auto& [what, status] : EveryReport()) {
      EXPECT_TRUE(status.ok()) << what << " " << when << ": " << Describe(status);
    }
  }

  std::unique_ptr<ServiceProcess> isolated_;
  std::unique_ptr<Reporting> stub_;
  std::unique_ptr<ServiceProcess> private_attendance_;
};

TEST_F(PeerUnavailableRpcTest, SchedulingNeverListeningAnswersUnavailable) {
  StartIsolatedReporting(absl::StrCat("127.0.0.1:", PickFreePort()),
                         attendance_service().address());
  if (HasFatalFailure()) return;
  ExpectEveryReportUnavailable("scheduling unreachable");
}

TEST_F(PeerUnavailableRpcTest, AttendanceNeverListeningAnswersUnavailable) {
  StartIsolatedReporting(service().address(), absl::StrCat("127.0.0.1:", PickFreePort()));
  if (HasFatalFailure()) return;
  ExpectEveryReportUnavailable("attendance unreachable");
}

TEST_F(PeerUnavailableRpcTest, AttendanceStoppedAnswersUnavailable) {
  StartPrivateAttendance();
  if (HasFatalFailure()) return;
  StartIsolatedReporting(service().address(), private_attendance_->address());
  if (HasFatalFailure()) return;
  ExpectEveryReportOk("before attendance stops");

  const absl::StatusOr<int> exited = private_attendance_->Stop();
  ASSERT_TRUE(exited.ok()) << exited.status();
  ExpectEveryReportUnavailable("attendance stopped");
}

TEST_F(PeerUnavailableRpcTest, AttendancePausedAnswersUnavailableBeforeTheCallerDeadline) {
  StartPrivateAttendance();
  if (HasFatalFailure()) return;
  StartIsolatedReporting(service().address(), private_attendance_->address());
  if (HasFatalFailure()) return;

  private_attendance_->process().Signal(SIGSTOP);
  ExpectEveryReportUnavailable("attendance paused");
  private_attendance_->process().Signal(SIGCONT);
  ExpectEveryReportOk("after attendance resumed");
}

TEST_F(PeerUnavailableRpcTest, SchedulingPausedAnswersUnavailableBeforeTheCallerDeadline) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> scheduling =
      StartSchedulingReplica(redis().url());
  ASSERT_TRUE(scheduling.ok()) << scheduling.status();
  StartIsolatedReporting((*scheduling)->address(), attendance_service().address());
  if (HasFatalFailure()) return;
  ExpectEveryReportOk("before scheduling pauses");

  (*scheduling)->process().Signal(SIGSTOP);
  ExpectEveryReportUnavailable("scheduling paused");
  (*scheduling)->process().Signal(SIGCONT);
  ExpectEveryReportOk("after scheduling resumed");
}

}  // namespace
}  // namespace fieldwork::testing
