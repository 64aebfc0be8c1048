// The reporting integration test fixture (see reporting_fixture.h).
#include "tests/services/reporting/reporting_fixture.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"

#ifndef FIELDWORK_REPORTING_BINARY
#error "FIELDWORK_REPORTING_BINARY must name the fieldwork-reporting executable"
#endif
#ifndef FIELDWORK_CSV_ROWS_SCRIPT
#error "FIELDWORK_CSV_ROWS_SCRIPT must name csv_rows.py"
#endif

namespace fieldwork::testing {
namespace {

// The reporting process shared by the tests of this test binary and the peers it was started
// against; (re)started when missing, dead, or when a peer moved to another port.
struct SharedReporting {
  std::unique_ptr<ServiceProcess> process;
  std::string scheduling_target;
  std::string attendance_target;
};

SharedReporting* const shared_reporting = new SharedReporting();

// The shared process outlives every test but must not outlive the test binary: it would keep
// running after the binary's Redis and peers are gone (ctest runs left one per binary behind).
class StopSharedReportingAtExit : public ::testing::Environment {
 public:
  void TearDown() override { shared_reporting->process.reset(); }
};
::testing::Environment* const stop_shared_reporting =
    ::testing::AddGlobalTestEnvironment(new StopSharedReportingAtExit());

absl::StatusOr<ServiceProcess*> SharedReportingService(const std::string& redis_url,
                                                       const std::string& scheduling_target,
                                                       const std::string& attendance_target) {
  SharedReporting* const shared = shared_reporting;
  if (shared->process != nullptr && shared->scheduling_target == scheduling_target &&
      shared->attendance_target == attendance_target &&
      !shared->process->process().Wait(absl::ZeroDuration()).ok()) {
    return shared->process.get();
  }
  shared->process.reset();
  ReportingReplicaOptions options;
  options.redis_url = redis_url;
  options.scheduling_target = scheduling_target;
  options.attendance_target = attendance_target;
  absl::StatusOr<std::unique_ptr<ServiceProcess>> started = StartReportingReplica(options);
  if (!started.ok()) return started.status();
  shared->process = *std::move(started);
  shared->scheduling_target = scheduling_target;
  shared->attendance_target = attendance_target;
  return shared->process.get();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> StartReportingReplica(
    const ReportingReplicaOptions& options) {
  absl::StatusOr<std::string> tokens = SchedulingTokensFile();
  if (!tokens.ok()) return tokens.status();
  absl::StatusOr<std::string> service_token = ServiceTokenFile();
  if (!service_token.ok()) return service_token.status();
  ServiceOptions service;
  service.binary = FIELDWORK_REPORTING_BINARY;
  service.flags = {absl::StrCat("--redis-url=", options.redis_url),
                   absl::StrCat("--tokens-file=", *tokens),
                   absl::StrCat("--scheduling-target=", options.scheduling_target),
                   absl::StrCat("--attendance-target=", options.attendance_target),
                   absl::StrCat("--service-token-file=", *service_token),
                   "--log-level=warn"};
  service.flags.insert(service.flags.end(), options.extra_flags.begin(), options.extra_flags.end());
  return ServiceProcess::Start(service);
}

ExportedReport ReadExport(Reporting& stub, absl::string_view token,
                          const rep::ExportReportRequest& request, absl::Duration timeout) {
  ExportedReport exported;
  grpc::ClientContext context;
  PrepareContext(context, token, timeout);
  std::unique_ptr<grpc::ClientReader<rep::ExportReportResponse>> reader =
      stub.ExportReport(&context, request);
  rep::ExportReportResponse message;
  while (reader->Read(&message)) {
    exported.data += message.data();
    exported.messages.push_back(std::move(message));
    message.Clear();
  }
  exported.status = reader->Finish();
  return exported;
}

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvWithPython(const std::string& csv) {
  const std::string dir = MakeTempDir("reporting-csv");
  const std::string csv_path = absl::StrCat(dir, "/report.csv");
  const std::string json_path = absl::StrCat(dir, "/rows.json");
  {
    std::ofstream out(csv_path, std::ios::binary);
    out << csv;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", csv_path));
  }
  absl::StatusOr<ProcessResult> run =
      RunToExit("/usr/bin/python3", {FIELDWORK_CSV_ROWS_SCRIPT, csv_path, json_path});
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InvalidArgumentError(absl::StrCat("python csv module refused the CSV (exit ",
                                                   run->exit_code, "): ", run->output));
  }
  absl::StatusOr<std::string> json = ReadWholeFile(json_path);
  if (!json.ok()) return json.status();
  google::protobuf::ListValue rows;
  const auto parsed = google::protobuf::util::JsonStringToMessage(*json, &rows);
  if (!parsed.ok()) return absl::InternalError(absl::StrCat("bad JSON from python: ", *json));
  std::vector<std::vector<std::string>> table;
  for (const google::protobuf::Value& row : rows.values()) {
    std::vector<std::string>& cells = table.emplace_back();
    for (const google::protobuf::Value& cell : row.list_value().values()) {
      cells.push_back(cell.string_value());
    }
  }
  return table;
}

void ReportingFixture::SetUp() {
  AttendanceFixture::SetUp();
  if (HasFatalFailure()) return;
  absl::StatusOr<ServiceProcess*> started =
      SharedReportingService(redis().url(), service().address(), attendance_service().address());
  ASSERT_TRUE(started.ok()) << started.status();
  reporting_service_ = *started;
  reporting_ = rep::ReportingService::NewStub(reporting_service_->channel());
}

rep::ReportPeriod ReportingFixture::Year(int year) {
  rep::ReportPeriod period;
  period.set_year(year);
  return period;
}

rep::ReportPeriod ReportingFixture::Days(absl::CivilDay first, absl::CivilDay last) {
  rep::ReportPeriod period;
  common::v1::DateRange& range = *period.mutable_date_range();
  range.mutable_first_date()->set_year(static_cast<int32_t>(first.year()));
  range.mutable_first_date()->set_month(first.month());
  range.mutable_first_date()->set_day(first.day());
  range.mutable_last_date()->set_year(static_cast<int32_t>(last.year()));
  range.mutable_last_date()->set_month(last.month());
  range.mutable_last_date()->set_day(last.day());
  return period;
}

}  // namespace fieldwork::testing
