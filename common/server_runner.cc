// Server assembly, the serve-and-poll loop and graceful shutdown.
#include "common/server_runner.h"

#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <algorithm>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/call_workers.h"
#include "common/logging.h"
#include "common/metrics_server.h"
#include "common/pooled_service.h"
#include "common/rpc_interceptor.h"
#include "common/shutdown_signal.h"

namespace fieldwork {
namespace {

constexpr char kHealthService[] = "grpc.health.v1.Health";
// The drain on SIGTERM ends once no call was refused for this long.
constexpr absl::Duration kDrainQuiet = absl::Milliseconds(100);
constexpr absl::Duration kDrainPoll = absl::Milliseconds(10);
constexpr char kReflectionService[] = "grpc.reflection.v1alpha.ServerReflection";
// Unary calls that may wait for a call worker, per worker; one more is refused RESOURCE_EXHAUSTED.
constexpr int kQueuedCallsPerWorker = 4;

// The methods every runner serves without authentication: probes and API discovery.
PermissionTable WithRunnerMethods(PermissionTable table) {
  for (const char* method : {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
                             "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    table.emplace(method, Permission::Public());
  }
  return table;
}

// A Redis URL without its password, for logs.
std::string RedactUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  const size_t at = url.rfind('@');
  if (scheme_end == absl::string_view::npos || at == absl::string_view::npos || at < scheme_end) {
    return std::string(url);
  }
  return absl::StrCat(url.substr(0, scheme_end + 3), "***", url.substr(at));
}

absl::string_view TlsMode(const TlsFiles& files) {
  if (!files.enabled()) return "plaintext";
  return files.mutual() ? "mutual-tls" : "tls";
}

void AddKeepaliveArguments(grpc::ServerBuilder& builder) {
  // Ping idle clients every minute and drop those that stay silent for 20 s.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  // Accept the peers' own keepalive pings (every 20 s, see channel_factory.cc), even when idle.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  // Recycle connections every few minutes so clients re-resolve DNS and spread over new replicas.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 60 * 1000);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerRunner>> ServerRunner::Create(ServerConfig config,
                                                                   PermissionTable permissions) {
  // Debian builds Abseil without NDEBUG, which turns on Mutex deadlock detection: a lock-order
  // graph updated on every lock and mutex destruction, measurable on every RPC (tools/bench).
  // Programs that start no server through this runner (unit tests, tools) keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (absl::Status logging = InitLogging(config.service, config.log_level); !logging.ok()) {
    return logging;
  }
  std::unique_ptr<Authorizer> authorizer;
  if (config.dev_insecure_no_auth) {
    authorizer = Authorizer::Insecure(WithRunnerMethods(permissions));
  } else {
    absl::StatusOr<std::unique_ptr<Authorizer>> loaded =
        Authorizer::WithTokensFile(config.tokens_file, WithRunnerMethods(permissions));
    if (!loaded.ok()) return loaded.status();
    authorizer = *std::move(loaded);
  }
  return std::unique_ptr<ServerRunner>(
      new ServerRunner(std::move(config), std::move(authorizer), std::move(permissions)));
}

void ServerRunner::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

int ServerRunner::queued_calls() {
  CallWorkers* const workers = workers_.load();
  return workers == nullptr ? 0 : workers->queued();
}

void ServerRunner::SetReadinessCheck(std::function<bool()> ready) { ready_ = std::move(ready); }

void ServerRunner::SetReadiness(grpc::HealthCheckServiceInterface& health, bool ready) {
  ready_now_ = ready;
  health.SetServingStatus("", ready);
}

void ServerRunner::RequestShutdown() {
  if (shutdown_requested_.exchange(true)) return;
  ShutdownSignal* const signal = signal_.load();
  if (signal != nullptr) signal->Notify();
}

absl::Status ServerRunner::Run() {
  std::vector<std::string> service_names;
  for (const auto& [service, name] : services_) service_names.push_back(name);
  if (absl::Status covered = CheckPermissionCoverage(service_names, service_permissions_);
      !covered.ok()) {
    return covered;
  }
  absl::StatusOr<ShutdownSignal*> signal = ShutdownSignal::Acquire();
  if (!signal.ok()) return signal.status();
  signal_ = *signal;

  // The workers of every PooledService method; they outlive the server (destroyed after Wait).
  CallWorkers workers(config_.max_threads, kQueuedCallsPerWorker * config_.max_threads);
  for (const auto& [service, name] : services_) {
    if (auto* pooled = dynamic_cast<WorkerServed*>(service)) pooled->SetWorkers(&workers);
  }
  workers_ = &workers;
  // Declared after `workers` and before the server: runs once the server is gone, on every return.
  absl::Cleanup forget_workers = [this] {
    workers_ = nullptr;
    for (const auto& [service, name] : services_) {
      if (auto* pooled = dynamic_cast<WorkerServed*>(service)) pooled->SetWorkers(nullptr);
    }
  };
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(config_.listen, MakeServerCredentials(config_.tls_files()),
                           &selected_port);
  for (const auto& [service, name] : services_) builder.RegisterService(service);
  grpc::ResourceQuota quota(absl::StrCat("fieldwork-", config_.service));
  quota.SetMaxThreads(config_.max_threads);
  quota.Resize(static_cast<size_t>(config_.grpc_memory_mib) << 20);
  builder.SetResourceQuota(quota);
  // One connection may hold twice as many calls open as the server admits in all: calls past
  // the admission limit still reach it and are refused at once, but past twice that the client
  // queues them itself, instead of this server holding every call it was sent and has not reached
  // (about 3 KiB each: 700 MiB behind an open loop past capacity, BENCHMARKS.md).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             2 * workers.without_worker_capacity());
  // gRPC's sync server ends a worker thread after each call once two others are polling, and
  // starts a new one when none is: with handlers that wait on Redis or a peer, that is a thread
  // created and destroyed per call. Idle workers are kept (up to the thread quota) instead.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              config_.max_threads);
  builder.SetMaxReceiveMessageSize(config_.max_message_bytes);
  builder.SetMaxSendMessageSize(config_.max_message_bytes);
  AddKeepaliveArguments(builder);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<RpcInterceptorFactory>(authorizer_.get(), observer_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || selected_port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.listen));
  }
  // The default health service starts out SERVING; not ready until the first check says so.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  SetReadiness(*health, false);
  std::unique_ptr<MetricsServer> metrics;
  if (config_.metrics_port != 0) {
    absl::StatusOr<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start("0.0.0.0", config_.metrics_port, [this] { return ready_now_.load(); });
    if (!started.ok()) {
      server->Shutdown(std::chrono::system_clock::now());
      return started.status();
    }
    metrics = *std::move(started);
  }

  bool ready = ready_();
  SetReadiness(*health, ready);
  health->SetServingStatus(kLivenessService, true);
  port_ = selected_port;
  if (authorizer_->insecure()) {
    LogEvent(LogLevel::kWarn, "dev_mode",
             {{"message",
               "authentication disabled by --dev-insecure-no-auth: every caller is an admin; "
               "allowed only on loopback"},
              {"listen", config_.listen}});
  }
  LogEvent(LogLevel::kInfo, "listen",
           {{"address", config_.listen},
            {"port", selected_port},
            {"transport", TlsMode(config_.tls_files())},
            {"auth", authorizer_->insecure() ? "dev-insecure" : "tokens"},
            {"metrics_port", config_.metrics_port},
            {"redis_url", RedactUrl(config_.redis_url)},
            {"max_threads", config_.max_threads},
            {"grpc_memory_mib", config_.grpc_memory_mib},
            {"ready", ready}});

  std::string last_reload_error;
  while (!shutdown_requested_ && !(*signal)->Wait(kPollInterval)) {
    if (const bool now_ready = ready_(); now_ready != ready) {
      ready = now_ready;
      SetReadiness(*health, ready);
      LogEvent(ready ? LogLevel::kInfo : LogLevel::kWarn, "readiness", {{"serving", ready}});
    }
    const absl::Status reloaded = authorizer_->ReloadIfChanged();
    if (!reloaded.ok() && std::string(reloaded.message()) != last_reload_error) {
      LogEvent(LogLevel::kError, "tokens_reload_failed",
               {{"message", reloaded.message()}, {"keeping", "previous tokens"}});
    }
    last_reload_error = std::string(reloaded.message());
  }

  LogEvent(LogLevel::kInfo, "shutdown",
           {{"grace_ms", absl::ToInt64Milliseconds(config_.shutdown_grace)}});
  // Probes and balancers see NOT_SERVING first (readiness and liveness alike). Then new calls are
  // answered UNAVAILABLE until none came for a moment (at most --shutdown-drain), so callers move
  // to another replica: gRPC ends a call still queued for a handler at Shutdown with CANCELLED,
  // which callers do not retry (grpc/grpc#41785). Then the server takes no more calls and
  // in-flight ones get until the deadline before they are cancelled.
  ready_now_ = false;
  health->Shutdown();
  authorizer_->RefuseNewCalls();
  const absl::Time drain_start = absl::Now();
  while (absl::Now() < drain_start + config_.shutdown_drain &&
         absl::Now() - std::max(drain_start, authorizer_->last_refusal()) < kDrainQuiet) {
    absl::SleepFor(kDrainPoll);
  }
  server->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  server->Wait();
  metrics.reset();
  port_ = 0;
  signal_ = nullptr;
  LogEvent(LogLevel::kInfo, "stopped");
  return absl::OkStatus();
}

int ExitCode(const absl::Status& status) {
  if (status.ok()) return 0;
  LogEvent(LogLevel::kError, "exit",
           {{"code", absl::StatusCodeToString(status.code())}, {"message", status.message()}});
  return 1;
}

}  // namespace fieldwork
