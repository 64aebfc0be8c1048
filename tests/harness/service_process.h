// Starting a fieldwork service binary for a test: on a free loopback port, waiting until its
// grpc.health.v1 check answers SERVING, talking to it (health, reflection, raw calls to any
// method), and stopping it with SIGTERM to check that it exits cleanly.
#ifndef FIELDWORK_TESTS_HARNESS_SERVICE_PROCESS_H_
#define FIELDWORK_TESTS_HARNESS_SERVICE_PROCESS_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {

struct ServiceOptions {
  std::string binary;              // path of the service executable
  std::vector<std::string> flags;  // added after --listen and --metrics-port
  int metrics_port = 0;            // 0: no metrics endpoint
  std::vector<std::string> env;    // "NAME=value" added to the environment
  absl::Duration start_timeout = absl::Seconds(30);
};

class ServiceProcess {
 public:
  // Starts options.binary with --listen=127.0.0.1:<free port>, --metrics-port and options.flags,
  // then waits until health answers SERVING. FAILED_PRECONDITION (with the log) when the process
  // exits first, DEADLINE_EXCEEDED when it never becomes ready.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(const ServiceOptions& options);

  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  // A plaintext channel to the service, shared by every call of the test.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  ChildProcess& process() { return *process_; }
  std::string ReadLog() const { return process_->ReadLog(); }

  // The serving status of the whole server ("" service).
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus> CheckHealth() const;
  // The service names server reflection lists.
  absl::StatusOr<std::vector<std::string>> ListServices() const;
  // Sends SIGTERM and returns the exit code once the process is gone (DEADLINE_EXCEEDED after
  // `timeout`).
  absl::StatusOr<int> Stop(absl::Duration timeout = absl::Seconds(60));

 private:
  ServiceProcess(std::unique_ptr<ChildProcess> process, std::string address);

  std::unique_ptr<ChildProcess> process_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// The service names the server behind `channel` lists through grpc.reflection.v1alpha.
absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel);

// Calls unary `method` ("/package.Service/Method") with serialized `request` and `metadata`;
// works for methods the test has no generated stub for. The response bytes land in `*response`.
grpc::Status CallUnaryRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                          const std::string& request,
                          const std::multimap<std::string, std::string>& metadata,
                          std::string* response, absl::Duration timeout = absl::Seconds(10));

// What a process run to completion printed, and how it exited.
struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `binary` with `args` until it exits (for --help, --check-config and bad flags).
absl::StatusOr<ProcessResult> RunToExit(const std::string& binary,
                                        const std::vector<std::string>& args,
                                        const std::vector<std::string>& env = {},
                                        absl::Duration timeout = absl::Seconds(60));

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_HARNESS_SERVICE_PROCESS_H_
