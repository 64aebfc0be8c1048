// Liveness apart from readiness in the server runner, over real gRPC and HTTP calls: the
// grpc.health.v1 service name "liveness" and GET /healthz stay SERVING / 200 while the readiness
// check fails (a Redis outage must not make the kubelet restart every pod), while the whole
// server's health and GET /readyz follow readiness; shutdown ends both.
#include <grpcpp/client_context.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server_runner.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"
#include "tests/harness/service_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::ProbeServer;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

constexpr char kReadiness[] = "";  // the whole server

// The health of `service` on the server: SERVING, NOT_SERVING, or UNKNOWN when the call fails
// (NOT_FOUND for a name the server does not know, UNAVAILABLE once it stopped listening).
HealthCheckResponse::ServingStatus Status(const std::shared_ptr<grpc::Channel>& channel,
                                          const std::string& service) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = Health::NewStub(channel)->Check(&context, request, &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

// The HTTP status of GET `path` on the metrics port, 0 when the request fails.
int HttpStatus(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  const httplib::Result result = client.Get(path);
  return result ? result->status : 0;
}

class ServerRunnerLivenessTest : public ::testing::Test {
 protected:
  // Serves the probe service with a metrics port and a readiness check that answers ready_.
  void Start() {
    ServerConfig config = testing::ProbeConfig(testing::MakeTempDir("liveness-test"));
    config.metrics_port = testing::PickFreePort();
    metrics_port_ = config.metrics_port;
    absl::StatusOr<std::unique_ptr<ProbeServer>> server = ProbeServer::Start(
        std::move(config), testing::ProbePermissions(), [this] { return ready_.load(); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // Waits until the whole server's health is `wanted` (readiness is polled every second).
  bool ReadinessBecomes(HealthCheckResponse::ServingStatus wanted) {
    return testing::WaitFor([&] { return Status(server_->channel(), kReadiness) == wanted; },
                            absl::Seconds(20), HealthCheckResponse::ServingStatus_Name(wanted))
        .ok();
  }

  std::atomic<bool> ready_{true};
  int metrics_port_ = 0;
  std::unique_ptr<ProbeServer> server_;
};

TEST_F(ServerRunnerLivenessTest, LivenessStaysServingWhileReadinessIsNotServing) {
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_EQ(Status(server_->channel(), kReadiness), HealthCheckResponse::SERVING);
  EXPECT_EQ(Status(server_->channel(), ServerRunner::kLivenessService),
            HealthCheckResponse::SERVING);

  ready_ = false;
  ASSERT_TRUE(ReadinessBecomes(HealthCheckResponse::NOT_SERVING));
  EXPECT_EQ(Status(server_->channel(), ServerRunner::kLivenessService),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(HttpStatus(metrics_port_, "/readyz"), 503);
  EXPECT_EQ(HttpStatus(metrics_port_, "/healthz"), 200);

  ready_ = true;
  ASSERT_TRUE(ReadinessBecomes(HealthCheckResponse::SERVING));
  EXPECT_EQ(Status(server_->channel(), ServerRunner::kLivenessService),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(HttpStatus(metrics_port_, "/readyz"), 200);
}

TEST_F(ServerRunnerLivenessTest, NotReadyAtStartIsStillLive) {
  ready_ = false;
  ASSERT_NO_FATAL_FAILURE(Start());
  EXPECT_EQ(Status(server_->channel(), kReadiness), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Status(server_->channel(), ServerRunner::kLivenessService),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(HttpStatus(metrics_port_, "/readyz"), 503);
}

TEST_F(ServerRunnerLivenessTest, ShutdownEndsLivenessWhileCallsDrain) {
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_EQ(Status(server_->channel(), ServerRunner::kLivenessService),
            HealthCheckResponse::SERVING);
  grpc::Status held_status;
  std::thread held_call([&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", testing::kStaffO1Token));
    testing::v1::ProbeResponse response;
    held_status = testing::v1::ProbeService::NewStub(server_->channel())
                      ->Hold(&context, testing::ProbeRequestFor("o1"), &response);
  });
  server_->handlers().hold_started().WaitForNotification();
  server_->runner().RequestShutdown();
  EXPECT_TRUE(testing::WaitFor(
                  [&] {
                    return Status(server_->channel(), ServerRunner::kLivenessService) !=
                           HealthCheckResponse::SERVING;
                  },
                  absl::Seconds(20), "liveness ended")
                  .ok());
  server_->handlers().Release();
  held_call.join();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_TRUE(server_->Stop().ok());
}

}  // namespace
}  // namespace fieldwork
