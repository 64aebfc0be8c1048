// Builds and runs the gRPC server of a service from its ServerConfig: listen address, plaintext /
// TLS / mutual TLS, the default grpc.health.v1 service (the whole server, service name "": SERVING
// only while the readiness check passes; service name "liveness": SERVING while the process serves
// and is not shutting down), server reflection, keepalive, message size and thread limits, the RPC
// interceptor (auth guard, one log line and metrics per call), the metrics HTTP port (with /readyz
// following readiness), and graceful shutdown on SIGTERM/SIGINT: health NOT_SERVING, new RPCs
// answered UNAVAILABLE for a short drain (--shutdown-drain), in-flight RPCs given up to
// --shutdown-grace, Run returns.
//
//   auto runner = ServerRunner::Create(config, SchedulingPermissions());
//   if (!runner.ok()) return ExitCode(runner.status());
//   SchedulingHandlers handlers((*runner)->authorizer(), ...);
//   (*runner)->AddService<fieldwork::scheduling::v1::SchedulingService>(&handlers);
//   (*runner)->SetReadinessCheck(redis_answers_ping);  // std::function<bool()>
//   const AuditTrail audit(**runner, redis);  // common/audit/: records calls, serves AuditService
//   return ExitCode((*runner)->Run());
#ifndef FIELDWORK_COMMON_SERVER_RUNNER_H_
#define FIELDWORK_COMMON_SERVER_RUNNER_H_

#include <grpcpp/impl/service_type.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/config.h"
#include "common/finished_call.h"
#include "common/permissions.h"

namespace grpc {
class HealthCheckServiceInterface;
}  // namespace grpc

namespace fieldwork {

class CallWorkers;
class ShutdownSignal;

class ServerRunner {
 public:
  // How often readiness is re-checked and the tokens file looked at for changes.
  static constexpr absl::Duration kPollInterval = absl::Seconds(1);
  // The grpc.health.v1 service name of liveness: SERVING from the moment the server listens until
  // shutdown begins, whatever the readiness check says, so a liveness probe restarts only a process
  // that stopped answering, never every replica when a dependency (Redis) is down. The empty name
  // (the whole server) is readiness.
  static constexpr char kLivenessService[] = "liveness";

  // Sets up logging and authentication (reads the tokens file) for a server serving the methods
  // of `permissions`. Expects a config that passed ValidateServerConfig.
  static absl::StatusOr<std::unique_ptr<ServerRunner>> Create(ServerConfig config,
                                                              PermissionTable permissions);

  // What handlers authorize with; lives as long as the runner.
  const Authorizer& authorizer() const { return *authorizer_; }

  // Serves `service`, an implementation of the generated GrpcService:
  // AddService<fieldwork::scheduling::v1::SchedulingService>(&handlers). Not owned.
  template <typename GrpcService>
  void AddService(typename GrpcService::Service* service) {
    AddService(service, GrpcService::service_full_name());
  }
  void AddService(grpc::Service* service, std::string full_name);

  // Hands every finished call to `observer` (the audit trail); not owned, outlives Run.
  void SetCallObserver(CallObserver* observer) { observer_ = observer; }

  const ServerConfig& config() const { return config_; }

  // Health of the whole server (service name "") and /readyz answer SERVING / 200 only while
  // `ready` returns true (checked every kPollInterval; it should answer within a second). Without
  // one the server is ready as soon as it listens. Liveness (kLivenessService) ignores it.
  void SetReadinessCheck(std::function<bool()> ready);

  // Serves until SIGTERM, SIGINT or RequestShutdown, then drains and returns OK.
  // FAILED_PRECONDITION when the permission table does not match the served methods, UNAVAILABLE
  // when a port cannot be bound.
  absl::Status Run();

  // The gRPC port once Run is serving (the chosen one for a :0 address), else 0.
  int port() const { return port_.load(); }
  // Asks Run to shut down as SIGTERM would.
  void RequestShutdown();
  // Unary calls waiting for a worker (PooledService methods), while Run serves; else 0.
  int queued_calls();

 private:
  ServerRunner(ServerConfig config, std::unique_ptr<Authorizer> authorizer,
               PermissionTable service_permissions)
      : config_(std::move(config)),
        authorizer_(std::move(authorizer)),
        service_permissions_(std::move(service_permissions)) {}

  // Publishes readiness to the health service (service name "") and /readyz.
  void SetReadiness(grpc::HealthCheckServiceInterface& health, bool ready);

  const ServerConfig config_;
  const std::unique_ptr<Authorizer> authorizer_;
  const PermissionTable service_permissions_;  // without the runner's own public methods
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::function<bool()> ready_ = [] { return true; };
  CallObserver* observer_ = nullptr;
  std::atomic<bool> ready_now_{false};  // the last answer of ready_, for /readyz
  std::atomic<int> port_{0};
  std::atomic<bool> shutdown_requested_{false};
  std::atomic<ShutdownSignal*> signal_{nullptr};  // while Run serves
  std::atomic<CallWorkers*> workers_{nullptr};    // while Run serves
};

// The process exit code for what Run (or Create) returned: 0 for OK; otherwise logs the error and
// returns 1.
int ExitCode(const absl::Status& status);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_SERVER_RUNNER_H_
