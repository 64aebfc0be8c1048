// The server runner over real gRPC calls: authentication and authorization as handlers see them,
// the guard against handlers that skip authorization, error details on the wire, unknown methods,
// health and readiness, metrics, logging, token reload, the permission check and draining.
#include "common/server_runner.h"

#include <grpcpp/client_context.h>

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/metrics.h"
#include "common/token_store.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"
#include "tests/harness/service_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::CallEcho;
using ::fieldwork::testing::kAdminToken;
using ::fieldwork::testing::kMemberM7;
using ::fieldwork::testing::kMemberM7Token;
using ::fieldwork::testing::kStaffO1Token;
using ::fieldwork::testing::ProbeRequestFor;
using ::fieldwork::testing::ProbeServer;
using ::fieldwork::testing::v1::ProbeRequest;
using ::fieldwork::testing::v1::ProbeResponse;
using ::fieldwork::testing::v1::ProbeService;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

grpc::StatusCode EchoCode(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                          const ProbeRequest& request) {
  ProbeResponse response;
  return CallEcho(channel, token, request, &response).error_code();
}

// The server's overall health: SERVING, NOT_SERVING, or UNKNOWN when the call fails.
HealthCheckResponse::ServingStatus ServingStatus(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  HealthCheckResponse response;
  const grpc::Status status =
      Health::NewStub(channel)->Check(&context, HealthCheckRequest(), &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

// The value of `series` (name and labels) in Prometheus text, 0 when absent.
double SeriesValue(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, series + " ")) {
      double value = 0;
      return absl::SimpleAtod(line, &value) ? value : -1;
    }
  }
  return 0;
}

class ServerRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("runner-test"); }

  void StartServer(ServerConfig config, std::function<bool()> ready = nullptr) {
    absl::StatusOr<std::unique_ptr<ProbeServer>> server =
        ProbeServer::Start(std::move(config), testing::ProbePermissions(), std::move(ready));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void StartServer() { StartServer(testing::ProbeConfig(dir_)); }

  std::string dir_;
  std::unique_ptr<ProbeServer> server_;
};

TEST_F(ServerRunnerTest, HealthAnswersWithoutToken) {
  StartServer();
  EXPECT_EQ(ServingStatus(server_->channel()), HealthCheckResponse::SERVING);
}

TEST_F(ServerRunnerTest, ReflectionListsTheServedServices) {
  StartServer();
  const absl::StatusOr<std::vector<std::string>> services =
      testing::ListServicesByReflection(server_->channel());
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services,
              ::testing::IsSupersetOf({"fieldwork.testing.v1.ProbeService", "grpc.health.v1.Health",
                                       "grpc.reflection.v1alpha.ServerReflection"}));
}

TEST_F(ServerRunnerTest, CallWithoutTokenIsUnauthenticated) {
  StartServer();
  EXPECT_EQ(EchoCode(server_->channel(), "", ProbeRequestFor("o1")),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(EchoCode(server_->channel(), "made-up-token", ProbeRequestFor("o1")),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerRunnerTest, HandlerSeesTheAuthenticatedPrincipal) {
  StartServer();
  ProbeResponse response;
  const grpc::Status status =
      CallEcho(server_->channel(), kStaffO1Token, ProbeRequestFor("o1"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.subject(), "clerk-o1");
  EXPECT_EQ(response.role(), "staff");
  EXPECT_EQ(response.text(), "hello");
}

TEST_F(ServerRunnerTest, OtherOrganizationIsNotFound) {
  StartServer();
  EXPECT_EQ(EchoCode(server_->channel(), kStaffO1Token, ProbeRequestFor("o2")),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(EchoCode(server_->channel(), kAdminToken, ProbeRequestFor("o2")), grpc::StatusCode::OK);
}

TEST_F(ServerRunnerTest, MemberMayCallOnlyForItself) {
  StartServer();
  EXPECT_EQ(EchoCode(server_->channel(), kMemberM7Token, ProbeRequestFor("o1", kMemberM7)),
            grpc::StatusCode::OK);
  EXPECT_EQ(EchoCode(server_->channel(), kMemberM7Token,
                     ProbeRequestFor("o1", "organizations/o1/members/m8")),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ServerRunnerTest, HandlerThatSkipsAuthorizationFailsWithInternal) {
  StartServer();
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
  ProbeResponse response;
  const grpc::Status status = ProbeService::NewStub(server_->channel())
                                  ->SkipAuthorization(&context, ProbeRequestFor("o1"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
}

TEST_F(ServerRunnerTest, InvalidArgumentReachesClientWithFieldViolations) {
  StartServer();
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kStaffO1Token));
  ProbeRequest request = ProbeRequestFor("o1");
  request.clear_text();
  ProbeResponse response;
  const grpc::Status status =
      ProbeService::NewStub(server_->channel())->Validate(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::optional<common::v1::FieldViolations> violations =
      GetFieldViolations(FromGrpcStatus(status));
  ASSERT_TRUE(violations.has_value());
  ASSERT_EQ(violations->violations_size(), 2);
  EXPECT_EQ(violations->violations(0).field(), "text");
  EXPECT_EQ(violations->violations(1).field(), "member");
  // The standard trailer carries it, so clients that do not use fieldwork's helpers see it too.
  const auto& trailers = context.GetServerTrailingMetadata();
  EXPECT_EQ(trailers.count("grpc-status-details-bin"), 1u);
}

TEST_F(ServerRunnerTest, UnknownMethodNeedsATokenBeforeItIsUnimplemented) {
  StartServer();
  const std::string method = "/fieldwork.testing.v1.ProbeService/NoSuchMethod";
  EXPECT_EQ(testing::CallUnaryRaw(server_->channel(), method, "", {}, nullptr).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      testing::CallUnaryRaw(server_->channel(), method, "",
                            {{"authorization", absl::StrCat("Bearer ", kAdminToken)}}, nullptr)
          .error_code(),
      grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ServerRunnerTest, HealthFollowsTheReadinessCheck) {
  std::atomic<bool> ready{true};
  StartServer(testing::ProbeConfig(dir_), [&ready] { return ready.load(); });
  EXPECT_EQ(ServingStatus(server_->channel()), HealthCheckResponse::SERVING);
  ready = false;
  EXPECT_TRUE(
      testing::WaitFor(
          [&] { return ServingStatus(server_->channel()) == HealthCheckResponse::NOT_SERVING; },
          absl::Seconds(20), "NOT_SERVING")
          .ok());
  ready = true;
  EXPECT_TRUE(testing::WaitFor(
                  [&] { return ServingStatus(server_->channel()) == HealthCheckResponse::SERVING; },
                  absl::Seconds(20), "SERVING")
                  .ok());
}

TEST_F(ServerRunnerTest, NotReadyAtStartAnswersNotServing) {
  StartServer(testing::ProbeConfig(dir_), [] { return false; });
  EXPECT_EQ(ServingStatus(server_->channel()), HealthCheckResponse::NOT_SERVING);
}

TEST_F(ServerRunnerTest, CountsRpcsByMethodAndCodeOnTheMetricsPort) {
  ServerConfig config = testing::ProbeConfig(dir_);
  config.metrics_port = testing::PickFreePort();
  StartServer(config);
  httplib::Client client("127.0.0.1", config.metrics_port);
  const auto scrape = [&client]() -> std::string {
    const httplib::Result metrics = client.Get("/metrics");
    EXPECT_TRUE(metrics) << httplib::to_string(metrics.error());
    return metrics ? metrics->body : "";
  };
  const std::string echo = "method=\"/fieldwork.testing.v1.ProbeService/Echo\"";
  const std::string unauthenticated =
      absl::StrCat("fieldwork_rpc_requests_total{code=\"UNAUTHENTICATED\",", echo, "}");
  const std::string ok = absl::StrCat("fieldwork_rpc_requests_total{code=\"OK\",", echo, "}");
  const std::string latency_count =
      absl::StrCat("fieldwork_rpc_duration_seconds_count{code=\"OK\",", echo, "}");
  const std::string before = scrape();

  ASSERT_EQ(EchoCode(server_->channel(), "", ProbeRequestFor("o1")),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(EchoCode(server_->channel(), kStaffO1Token, ProbeRequestFor("o1")),
            grpc::StatusCode::OK);

  const std::string after = scrape();
  for (const std::string& series : {unauthenticated, ok, latency_count}) {
    EXPECT_EQ(SeriesValue(after, series), SeriesValue(before, series) + 1) << series << "\n"
                                                                           << after;
  }
}

TEST_F(ServerRunnerTest, UnknownMethodsShareOneMetricLabel) {
  StartServer();
  testing::CallUnaryRaw(server_->channel(), "/x.Y/Random1", "", {}, nullptr);
  const std::string text = Metrics::Global().RenderPrometheus();
  EXPECT_TRUE(absl::StrContains(text, "method=\"unknown\"")) << text;
  EXPECT_FALSE(absl::StrContains(text, "Random1")) << text;
}

TEST_F(ServerRunnerTest, LogsOneJsonLinePerRpcWithoutTheToken) {
  StartServer();
  ProbeRequest request = ProbeRequestFor("o1");
  request.set_request_id("req-42");
  ::testing::internal::CaptureStderr();
  ProbeResponse response;
  const grpc::Status status = CallEcho(server_->channel(), kStaffO1Token, request, &response);
  // The interceptor logs before the status leaves the server, so the line is already written.
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::string line;
  for (absl::string_view candidate : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(candidate, "\"event\":\"rpc\"")) line = std::string(candidate);
  }
  ASSERT_FALSE(line.empty()) << log;
  for (const char* field :
       {"\"method\":\"/fieldwork.testing.v1.ProbeService/Echo\"", "\"organization\":\"o1\"",
        "\"request_id\":\"req-42\"", "\"subject\":\"clerk-o1\"", "\"code\":\"OK\"",
        "\"latency_ms\":", "\"peer\":\"ipv4:127.0.0.1:", "\"service\":\"probe\""}) {
    EXPECT_TRUE(absl::StrContains(line, field)) << field << "\n" << line;
  }
  EXPECT_FALSE(absl::StrContains(log, kStaffO1Token)) << log;
}

TEST_F(ServerRunnerTest, PicksUpRotatedTokensWithoutRestart) {
  ServerConfig config = testing::ProbeConfig(dir_);
  const std::string tokens_file = config.tokens_file;
  StartServer(config);
  const std::string rotated = "rotated-staff-token";
  testing::WriteTestFile(
      tokens_file,
      absl::StrCat("tokens:\n  - sha256: ", Sha256Hex(rotated),
                   "\n    subject: clerk-o1\n    role: staff\n    organization: o1\n"),
      0600);
  EXPECT_TRUE(testing::WaitFor(
                  [&] {
                    return EchoCode(server_->channel(), rotated, ProbeRequestFor("o1")) ==
                           grpc::StatusCode::OK;
                  },
                  absl::Seconds(20), "rotated token accepted")
                  .ok());
  EXPECT_EQ(EchoCode(server_->channel(), kStaffO1Token, ProbeRequestFor("o1")),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerRunnerTest, RefusesToStartWhenAMethodHasNoPermission) {
  PermissionTable incomplete = testing::ProbePermissions();
  incomplete.erase("/fieldwork.testing.v1.ProbeService/Hold");
  const absl::StatusOr<std::unique_ptr<ProbeServer>> server =
      ProbeServer::Start(testing::ProbeConfig(dir_), incomplete);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      absl::StrContains(server.status().message(), "/fieldwork.testing.v1.ProbeService/Hold"))
      << server.status();
}

TEST_F(ServerRunnerTest, ShutdownDrainsTheCallInFlight) {
  StartServer();
  grpc::Status held_status;
  std::thread held_call([&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kStaffO1Token));
    ProbeResponse response;
    held_status =
        ProbeService::NewStub(server_->channel())->Hold(&context, ProbeRequestFor("o1"), &response);
  });
  server_->handlers().hold_started().WaitForNotification();
  server_->runner().RequestShutdown();
  // Health stops answering SERVING once shutdown has begun, while the held call still runs.
  EXPECT_TRUE(testing::WaitFor(
                  [&] { return ServingStatus(server_->channel()) != HealthCheckResponse::SERVING; },
                  absl::Seconds(20), "shutdown begun")
                  .ok());
  server_->handlers().Release();
  held_call.join();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_TRUE(server_->Stop().ok());
}

}  // namespace
}  // namespace fieldwork
