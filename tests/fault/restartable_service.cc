// A service process restarted on the same address (see restartable_service.h).
#include "tests/fault/restartable_service.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/harness/process_pause.h"

namespace fieldwork::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);

// Reconnect within a fraction of a second, so a client sees a restarted replica at once.
std::shared_ptr<grpc::Channel> QuickReconnectChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

RestartableService::RestartableService(std::string binary, std::vector<std::string> flags)
    : binary_(std::move(binary)),
      flags_(std::move(flags)),
      address_(absl::StrCat("127.0.0.1:", PickFreePort())),
      log_path_(MakeTempDir("fieldwork-fault-service") + "/service.log"),
      channel_(QuickReconnectChannel(address_)) {}

absl::Status RestartableService::Start() {
  if (running()) return absl::FailedPreconditionError(absl::StrCat(address_, " already runs"));
  std::vector<std::string> argv = {binary_, "--listen=" + address_, "--metrics-port=0"};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(argv, log_path_);
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  bool exited = false;
  const absl::Status ready = WaitFor(
      [&] {
        exited = process_->Wait(absl::ZeroDuration()).ok();
        if (exited) return true;
        const absl::StatusOr<ServingStatus> health = Health();
        return health.ok() && *health == grpc::health::v1::HealthCheckResponse::SERVING;
      },
      kStartTimeout, absl::StrCat(binary_, " serving on ", address_));
  if (exited || !ready.ok()) {
    return absl::UnavailableError(absl::StrCat(
        binary_, " on ", address_, " did not start: ", ready.message(), "\n", ReadLog()));
  }
  return absl::OkStatus();
}

void RestartableService::Kill() {
  if (!running()) return;
  process_->Signal(SIGKILL);
  process_->Wait(absl::Seconds(10)).IgnoreError();
}

absl::StatusOr<int> RestartableService::Terminate(absl::Duration timeout) {
  if (!running()) return absl::FailedPreconditionError(absl::StrCat(address_, " is not running"));
  process_->Signal(SIGTERM);
  return process_->Wait(timeout);
}

void RestartableService::Resume() {
  if (running()) process_->Signal(SIGCONT);
}

bool RestartableService::stopped() const { return running() && ProcessStopped(*process_); }

absl::StatusOr<ServingStatus> RestartableService::Health() const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  context.set_wait_for_ready(true);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = grpc::health::v1::Health::NewStub(channel_)->Check(
      &context, grpc::health::v1::HealthCheckRequest(), &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response.status();
}

std::string RestartableService::ReadLog() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace fieldwork::testing
