// A service binary that a fault scenario kills, pauses, stops and starts again on the same
// loopback address, so peers configured with that address (attendance → scheduling) and clients
// holding a channel to it find it again after a restart.
#ifndef FIELDWORK_TESTS_FAULT_RESTARTABLE_SERVICE_H_
#define FIELDWORK_TESTS_FAULT_RESTARTABLE_SERVICE_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {

using ServingStatus = ::grpc::health::v1::HealthCheckResponse::ServingStatus;

class RestartableService {
 public:
  // `flags` come after --listen=<address> (a free loopback port picked now, kept for life) and
  // --metrics-port=0 (no metrics endpoint).
  RestartableService(std::string binary, std::vector<std::string> flags);
  RestartableService(const RestartableService&) = delete;
  RestartableService& operator=(const RestartableService&) = delete;

  // Spawns the binary and waits until its health answers SERVING.
  absl::Status Start();
  // SIGKILL, as a crash; returns once the process is reaped.
  void Kill();
  // SIGTERM (a graceful stop, as Kubernetes does); returns the exit code.
  absl::StatusOr<int> Terminate(absl::Duration timeout = absl::Seconds(30));
  // SIGCONT: a replica that stopped itself (--test-only-stop-before-booking-write) goes on.
  void Resume();

  bool running() const { return process_ != nullptr && process_->running(); }
  // Stopped now (SIGSTOP, here only ever sent by the replica to itself).
  bool stopped() const;
  const std::string& address() const { return address_; }
  // One channel for the object's life: it reconnects to the same address after a restart.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // The readiness status (service name "") within one second.
  absl::StatusOr<ServingStatus> Health() const;
  std::string ReadLog() const;

 private:
  const std::string binary_;
  const std::vector<std::string> flags_;
  const std::string address_;
  const std::string log_path_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_RESTARTABLE_SERVICE_H_
