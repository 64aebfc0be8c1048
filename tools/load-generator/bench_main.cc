// fieldwork-bench: the load generator. Runs one scenario with a fixed number of outstanding calls
// for a warm-up and a measured duration, prints throughput and latency percentiles, and writes
// them as JSON. Scenarios: empty (the baseline: an empty unary handler, fieldwork-bench-empty),
// get-event (SchedulingService.GetEvent), check-in (AttendanceService.CheckIn by staff, every call
// a first check-in of a seeded member at a seeded event in progress), reports (seeds an
// organization of 300 members, 400 events and 20,000 attendance records, then measures
// ReportingService.GetMemberReport, GetUnitReport of a 60-member unit and GetOrganizationSummary
// of the year one after another).
//   fieldwork-bench --scenario check-in --target 127.0.0.1:50052 --scheduling 127.0.0.1:50051
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/load-generator/load_loop.h"
#include "tools/load-generator/report_seed.h"
#include "tools/load-generator/seed.h"

namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace rv1 = ::fieldwork::reporting::v1;
namespace sv1 = ::fieldwork::scheduling::v1;
using ::fieldwork::bench::LoadOptions;
using ::fieldwork::bench::LoadResult;
using ::fieldwork::bench::StartCall;

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

// Each call owns its request and response until it completes.
template <typename Request, typename Response, typename Invoke>
StartCall Unary(Invoke invoke, std::function<Request(int64_t)> make_request) {
  return [invoke, make_request](grpc::ClientContext* context, int64_t index,
                                std::function<void(grpc::Status)> done) {
    auto request = std::make_shared<Request>(make_request(index));
    auto response = std::make_shared<Response>();
    invoke(context, request.get(), response.get(),
           [request, response, done = std::move(done)](grpc::Status status) { done(status); });
  };
}

std::string Json(const std::string& label, const LoadOptions& options, const LoadResult& result) {
  std::string errors;
  for (const auto& [code, count] : result.errors_by_code) {
    absl::StrAppend(&errors, errors.empty() ? "" : ",", "\"", code, "\":", count);
  }
  return absl::StrFormat(
      "{\"label\":\"%s\",\"outstanding\":%d,\"seconds\":%.3f,\"calls\":%d,\"errors\":%d,"
      "\"errors_by_code\":{%s},\"throughput\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
      "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f}",
      label, options.outstanding, result.seconds, result.calls, result.errors, errors,
      result.throughput, result.p50_ms, result.p90_ms, result.p99_ms, result.p999_ms,
      result.max_ms);
}

// The three report calls of the reports scenario, each over the seeded year.
std::vector<std::pair<std::string, StartCall>> ReportRuns(
    const std::string& target, const fieldwork::bench::ReportOrganization& seeded) {
  auto stub = std::shared_ptr(rv1::ReportingService::NewStub(Channel(target)));
  rv1::ReportPeriod period;
  period.set_year(seeded.year);
  std::vector<std::pair<std::string, StartCall>> runs;
  runs.emplace_back("member-report",
                    Unary<rv1::GetMemberReportRequest, rv1::MemberReport>(
                        [stub](auto* context, auto* request, auto* response, auto done) {
                          stub->async()->GetMemberReport(context, request, response, done);
                        },
                        [seeded, period](int64_t) {
                          rv1::GetMemberReportRequest request;
                          request.set_member(seeded.member);
                          *request.mutable_period() = period;
                          return request;
                        }));
  runs.emplace_back("unit-report",
                    Unary<rv1::GetUnitReportRequest, rv1::UnitReport>(
                        [stub](auto* context, auto* request, auto* response, auto done) {
                          stub->async()->GetUnitReport(context, request, response, done);
                        },
                        [seeded, period](int64_t) {
                          rv1::GetUnitReportRequest request;
                          request.set_unit(seeded.unit);
                          *request.mutable_period() = period;
                          return request;
                        }));
  runs.emplace_back(
      "organization-summary",
      Unary<rv1::GetOrganizationSummaryRequest, rv1::OrganizationSummary>(
          [stub](auto* context, auto* request, auto* response, auto done) {
            stub->async()->GetOrganizationSummary(context, request, response, done);
          },
          [seeded, period](int64_t) {
            rv1::GetOrganizationSummaryRequest request;
            request.set_organization(absl::StrCat("organizations/", seeded.organization));
            *request.mutable_period() = period;
            return request;
          }));
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario;
  std::string target;
  std::string scheduling_target;
  std::string json_file;
  std::string json_dir;
  std::string attendance_target;
  std::string label;
  LoadOptions options;
  double warmup_seconds = 2, duration_seconds = 10;
  int members = 300, events = 100;
  CLI::App app{"fieldwork load generator", "fieldwork-bench"};
  app.add_option("--scenario", scenario, "empty, get-event, check-in or reports")
      ->required()
      ->check(CLI::IsMember({"empty", "get-event", "check-in", "reports"}));
  app.add_option("--target", target, "Server under load (host:port)")->required();
  app.add_option("--scheduling", scheduling_target,
                 "Scheduling service to seed through (get-event, check-in)");
  app.add_option("--outstanding", options.outstanding, "Calls in flight at once")
      ->capture_default_str();
  app.add_option("--warmup", warmup_seconds, "Seconds before measuring")->capture_default_str();
  app.add_option("--duration", duration_seconds, "Seconds measured")->capture_default_str();
  app.add_option("--token", options.token, "Bearer token (none in dev mode)");
  app.add_option("--members", members, "Members to seed")->capture_default_str();
  app.add_option("--events", events, "Events in progress to seed (check-in)")
      ->capture_default_str();
  app.add_option("--attendance", attendance_target, "Attendance service to seed through (reports)");
  app.add_option("--json", json_file, "Also write the result as JSON here");
  app.add_option("--json-dir", json_dir, "Also write each result as JSON to DIR/<label>.json");
  app.add_option("--label", label, "Name of the result (default: the scenario)");
  CLI11_PARSE(app, argc, argv);
  if (label.empty()) label = scenario;
  options.warmup = absl::Seconds(warmup_seconds);
  options.duration = absl::Seconds(duration_seconds);

  std::vector<std::pair<std::string, StartCall>> runs;
  StartCall start;
  if (scenario == "reports") {
    if (scheduling_target.empty() || attendance_target.empty()) {
      std::cerr << "--scheduling and --attendance are required for reports\n";
      return 1;
    }
    auto seeded = fieldwork::bench::SeedReportOrganization(
        Channel(scheduling_target), Channel(attendance_target), options.token, {});
    if (!seeded.ok()) {
      std::cerr << "seeding failed: " << seeded.status() << "\n";
      return 1;
    }
    std::cout << "seeded " << seeded->organization << " with " << seeded->records
              << " attendance records\n";
    runs = ReportRuns(target, *seeded);
  } else if (scenario == "empty") {
    auto stub = std::shared_ptr(grpc::health::v1::Health::NewStub(Channel(target)));
    start = Unary<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>(
        [stub](auto* context, auto* request, auto* response, auto done) {
          stub->async()->Check(context, request, response, std::move(done));
        },
        [](int64_t) { return grpc::health::v1::HealthCheckRequest(); });
  } else {
    if (scheduling_target.empty()) {
      std::cerr << "--scheduling is required for " << scenario << "\n";
      return 1;
    }
    auto seeded = fieldwork::bench::SeedOrganization(Channel(scheduling_target), options.token,
                                                     members, scenario == "check-in" ? events : 1);
    if (!seeded.ok()) {
      std::cerr << "seeding failed: " << seeded.status() << "\n";
      return 1;
    }
    if (scenario == "get-event") {
      auto stub = std::shared_ptr(sv1::SchedulingService::NewStub(Channel(target)));
      const std::string event = seeded->events.front();
      start = Unary<sv1::GetEventRequest, sv1::Event>(
          [stub](auto* context, auto* request, auto* response, auto done) {
            stub->async()->GetEvent(context, request, response, std::move(done));
          },
          [event](int64_t) {
            sv1::GetEventRequest request;
            request.set_name(event);
            return request;
          });
    } else {
      auto stub = std::shared_ptr(av1::AttendanceService::NewStub(Channel(target)));
      const auto seeded_copy = *seeded;
      start = Unary<av1::CheckInRequest, av1::CheckInResponse>(
          [stub](auto* context, auto* request, auto* response, auto done) {
            stub->async()->CheckIn(context, request, response, std::move(done));
          },
          [seeded_copy](int64_t index) {
            const size_t members = seeded_copy.members.size();
            const size_t pairs = members * seeded_copy.events.size();
            const size_t pair = static_cast<size_t>(index) % pairs;
            av1::CheckInRequest request;
            request.set_name(absl::StrCat(seeded_copy.events[pair / members], "/attendance/",
                                          seeded_copy.members[pair % members]));
            return request;
          });
    }
  }
  if (start) runs.emplace_back(label, start);
  int64_t errors = 0;
  for (const auto& [name, call] : runs) {
    const LoadResult result = fieldwork::bench::RunLoad(options, call);
    const std::string json = Json(name, options, result);
    std::cout << absl::StrFormat(
        "%-20s %8.1f calls/s  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  errors %d\n",
        name, result.throughput, result.p50_ms, result.p90_ms, result.p99_ms, result.p999_ms,
        result.errors);
    if (!json_file.empty() && runs.size() == 1) std::ofstream(json_file) << json << "\n";
    if (!json_dir.empty())
      std::ofstream(absl::StrCat(json_dir, "/", name, ".json")) << json << "\n";
    errors += result.errors;
  }
  return errors > 0 ? 2 : 0;
}
