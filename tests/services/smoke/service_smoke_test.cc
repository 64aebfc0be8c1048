// Smoke test of the three service binaries: each starts through the shared runner, answers
// grpc.health.v1 and reflection, refuses RPCs without a valid token, serves metrics, turns
// NOT_SERVING and exits 0 on SIGTERM, and follows the command-line rules.
#include <grpcpp/client_context.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/token_store.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/service_process.h"

namespace fieldwork::testing {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

constexpr char kAdminToken[] = "smoke-admin-token";
constexpr char kServiceToken[] = "smoke-service-token";

struct Binary {
  std::string name;  // scheduling, attendance, reporting
  std::string path;
  std::string real_method;  // one method of the service's API
  bool calls_peers;         // takes --service-token-file for its calls to other services
};

std::ostream& operator<<(std::ostream& out, const Binary& binary) { return out << binary.name; }

void WriteFile(const std::string& path, const std::string& contents, int mode) {
  std::ofstream(path, std::ios::trunc) << contents;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

class ServiceSmokeTest : public ::testing::TestWithParam<Binary> {
 protected:
  void SetUp() override {
    absl::StatusOr<RedisServer*> redis = SharedRedisServer();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_url_ = (*redis)->url();
    dir_ = MakeTempDir("smoke-" + GetParam().name);
    tokens_file_ = dir_ + "/tokens.yaml";
    WriteFile(
        tokens_file_,
        absl::StrCat("tokens:\n  - sha256: ", Sha256Hex(kAdminToken),
                     "\n    subject: smoke-admin\n    role: admin\n    organization: \"*\"\n"
                     "  - sha256: ",
                     Sha256Hex(kServiceToken), "\n    subject: smoke-service\n    role: service\n"),
        0600);
    service_token_file_ = dir_ + "/service.token";
    WriteFile(service_token_file_, std::string(kServiceToken) + "\n", 0600);
  }

  // Flags of a server that checks tokens.
  std::vector<std::string> TokenFlags() const {
    std::vector<std::string> flags = {"--redis-url=" + redis_url_, "--tokens-file=" + tokens_file_};
    if (GetParam().calls_peers) flags.push_back("--service-token-file=" + service_token_file_);
    return flags;
  }
  // Flags of a development server without tokens.
  std::vector<std::string> DevFlags() const {
    return {"--redis-url=" + redis_url_, "--dev-insecure-no-auth"};
  }

  absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(std::vector<std::string> flags,
                                                        int metrics_port = 0) {
    ServiceOptions options;
    options.binary = GetParam().path;
    options.flags = std::move(flags);
    options.metrics_port = metrics_port;
    return ServiceProcess::Start(options);
  }

  std::string redis_url_;
  std::string dir_;
  std::string tokens_file_;
  std::string service_token_file_;
};

TEST_P(ServiceSmokeTest, ServesHealthAndReflectionThenExitsZeroOnSigterm) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service = Start(DevFlags());
  ASSERT_TRUE(service.ok()) << service.status();
  const absl::StatusOr<HealthCheckResponse::ServingStatus> health = (*service)->CheckHealth();
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, HealthCheckResponse::SERVING);
  const absl::StatusOr<std::vector<std::string>> services = (*service)->ListServices();
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, ::testing::IsSupersetOf({"grpc.health.v1.Health",
                                                  "grpc.reflection.v1alpha.ServerReflection"}));
  const absl::StatusOr<int> exit_code = (*service)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*service)->ReadLog();
}

TEST_P(ServiceSmokeTest, RefusesCallsWithoutValidTokenWhenTokensFileIsConfigured) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service = Start(TokenFlags());
  ASSERT_TRUE(service.ok()) << service.status();
  const auto channel = (*service)->channel();
  for (const std::string& method :
       {GetParam().real_method, std::string("/fieldwork.smoke.v1.Nothing/Call")}) {
    EXPECT_EQ(CallUnaryRaw(channel, method, "", {}, nullptr).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
    EXPECT_EQ(CallUnaryRaw(channel, method, "", {{"authorization", "Bearer wrong-token"}}, nullptr)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
  }
  EXPECT_EQ(CallUnaryRaw(channel, "/fieldwork.smoke.v1.Nothing/Call", "",
                         {{"authorization", absl::StrCat("Bearer ", kAdminToken)}}, nullptr)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_FALSE(absl::StrContains((*service)->ReadLog(), kAdminToken));
}

TEST_P(ServiceSmokeTest, HealthWatchSeesNotServingBeforeTheProcessExitsOnSigterm) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service =
      Start({"--redis-url=" + redis_url_, "--dev-insecure-no-auth", "--shutdown-grace=2s"});
  ASSERT_TRUE(service.ok()) << service.status();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> watch =
      Health::NewStub((*service)->channel())->Watch(&context, HealthCheckRequest());
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  ASSERT_EQ(update.status(), HealthCheckResponse::SERVING);

  (*service)->process().Signal(SIGTERM);
  std::vector<HealthCheckResponse::ServingStatus> after_sigterm;
  while (watch->Read(&update)) after_sigterm.push_back(update.status());
  EXPECT_THAT(after_sigterm, ::testing::Contains(HealthCheckResponse::NOT_SERVING));
  const absl::StatusOr<int> exit_code = (*service)->process().Wait(absl::Seconds(60));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*service)->ReadLog();
}

TEST_P(ServiceSmokeTest, MetricsPortCountsRpcs) {
  const int metrics_port = PickFreePort();
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service = Start(DevFlags(), metrics_port);
  ASSERT_TRUE(service.ok()) << service.status();
  ASSERT_TRUE((*service)->CheckHealth().ok());
  httplib::Client client("127.0.0.1", metrics_port);
  const httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics) << httplib::to_string(metrics.error());
  EXPECT_EQ(metrics->status, 200);
  EXPECT_TRUE(absl::StrContains(
      metrics->body,
      "fieldwork_rpc_requests_total{code=\"OK\",method=\"/grpc.health.v1.Health/Check\"}"))
      << metrics->body;
}

TEST_P(ServiceSmokeTest, BadFlagValueExitsWithCode2AndOneLineNamingIt) {
  const absl::StatusOr<ProcessResult> result =
      RunToExit(GetParam().path, {"--dev-insecure-no-auth", "--max-threads=many"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_TRUE(absl::StrContains(result->output, "--max-threads")) << result->output;
  EXPECT_EQ(std::count(result->output.begin(), result->output.end(), '\n'), 1) << result->output;
}

TEST_P(ServiceSmokeTest, HelpListsFlagsWithEnvironmentVariables) {
  const absl::StatusOr<ProcessResult> result = RunToExit(GetParam().path, {"--help"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0);
  for (const char* expected : {"--listen", "FIELDWORK_LISTEN", "FIELDWORK_TOKENS_FILE",
                               "FIELDWORK_REDIS_URL", "--check-config"}) {
    EXPECT_TRUE(absl::StrContains(result->output, expected)) << expected;
  }
}

TEST_P(ServiceSmokeTest, CheckConfigExitsZeroForValidConfigAndTwoForUnsafeTokensFile) {
  const absl::StatusOr<ProcessResult> valid = RunToExit(GetParam().path, [&] {
    std::vector<std::string> args = TokenFlags();
    args.push_back("--check-config");
    return args;
  }());
  ASSERT_TRUE(valid.ok()) << valid.status();
  EXPECT_EQ(valid->exit_code, 0) << valid->output;

  ASSERT_EQ(chmod(tokens_file_.c_str(), 0644), 0);
  std::vector<std::string> args = TokenFlags();
  args.push_back("--check-config");
  const absl::StatusOr<ProcessResult> unsafe = RunToExit(GetParam().path, args);
  ASSERT_TRUE(unsafe.ok()) << unsafe.status();
  EXPECT_EQ(unsafe->exit_code, 2);
  EXPECT_TRUE(absl::StrContains(unsafe->output, "--tokens-file")) << unsafe->output;
}

TEST_P(ServiceSmokeTest, CheckConfigRefusesAMalformedRedisUrlWithoutShowingItsPassword) {
  std::vector<std::string> args = TokenFlags();
  args[0] = "--redis-url=redis-sentinel://:s3cret@127.0.0.1:26379";  // no master name
  args.push_back("--check-config");
  const absl::StatusOr<ProcessResult> result = RunToExit(GetParam().path, args);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2) << result->output;
  EXPECT_TRUE(absl::StrContains(result->output, "redis-sentinel://")) << result->output;
  EXPECT_FALSE(absl::StrContains(result->output, "s3cret")) << result->output;
}

TEST_P(ServiceSmokeTest, EnvironmentVariablesConfigureTheBinary) {
  const absl::StatusOr<ProcessResult> result =
      RunToExit(GetParam().path, {"--check-config"},
                {"FIELDWORK_REDIS_URL=" + redis_url_, "FIELDWORK_TOKENS_FILE=" + tokens_file_,
                 "FIELDWORK_SERVICE_TOKEN_FILE=" + service_token_file_, "FIELDWORK_MAX_THREADS=0"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_TRUE(absl::StrContains(result->output, "--max-threads")) << result->output;
}

TEST_P(ServiceSmokeTest, DevModeIsRefusedOnANonLoopbackAddress) {
  const absl::StatusOr<ProcessResult> result =
      RunToExit(GetParam().path,
                {"--listen=0.0.0.0:0", "--dev-insecure-no-auth", "--redis-url=" + redis_url_});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_TRUE(absl::StrContains(result->output, "--dev-insecure-no-auth")) << result->output;
}

// Sanitizer builds keep the sanitizer's allocator (common/allocator/CMakeLists.txt).
#ifndef __SANITIZE_ADDRESS__
// The names of the threads of process `pid`.
std::vector<std::string> ThreadNames(pid_t pid) {
  std::vector<std::string> names;
  std::error_code ignored;
  for (const auto& task :
       std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/task"), ignored)) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    names.push_back(name);
  }
  return names;
}

// jemalloc is loaded, and its background purging thread runs: jemalloc starts it only when told
// to, so the binary's own settings (common/allocator/jemalloc_settings.cc) were read.
TEST_P(ServiceSmokeTest, AllocatesWithJemallocPurgingFromItsOwnThread) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service = Start(DevFlags());
  ASSERT_TRUE(service.ok()) << service.status();
  const pid_t pid = (*service)->process().pid();
  std::stringstream maps;
  maps << std::ifstream(absl::StrCat("/proc/", pid, "/maps")).rdbuf();
  EXPECT_TRUE(absl::StrContains(maps.str(), "libjemalloc"));
  // The thread names itself once running; SERVING usually comes later, but need not.
  const absl::Status named =
      WaitFor([&] { return absl::c_linear_search(ThreadNames(pid), "jemalloc_bg_thd"); },
              absl::Seconds(10), "jemalloc's background thread");
  EXPECT_TRUE(named.ok()) << named << "; threads: " << absl::StrJoin(ThreadNames(pid), ", ");
  const absl::StatusOr<int> exit_code = (*service)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*service)->ReadLog();
}
#endif

INSTANTIATE_TEST_SUITE_P(
    Binaries, ServiceSmokeTest,
    ::testing::Values(Binary{"scheduling", FIELDWORK_SCHEDULING_BINARY,
                             "/fieldwork.scheduling.v1.SchedulingService/GetOrganization", false},
                      Binary{"attendance", FIELDWORK_ATTENDANCE_BINARY,
                             "/fieldwork.attendance.v1.AttendanceService/ListAttendance", true},
                      Binary{"reporting", FIELDWORK_REPORTING_BINARY,
                             "/fieldwork.reporting.v1.ReportingService/GetOrganizationSummary",
                             true}),
    [](const ::testing::TestParamInfo<Binary>& info) { return info.param.name; });

}  // namespace
}  // namespace fieldwork::testing
