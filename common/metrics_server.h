// The HTTP side port of every service: GET /metrics (Prometheus text from Metrics::Global()),
// GET /healthz (liveness: 200 while the process serves HTTP at all) and GET /readyz (readiness: 200
// while the server is ready, 503 otherwise — the same answer as grpc.health.v1 for the whole
// server). Plaintext, so probes that cannot speak TLS gRPC (the kubelet's) can use it.
#ifndef FIELDWORK_COMMON_METRICS_SERVER_H_
#define FIELDWORK_COMMON_METRICS_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace fieldwork {

class MetricsServer {
 public:
  // Listens on `host`:`port` (port 0: a port the kernel picks) and serves from a background thread.
  // /readyz answers 200 while `ready` returns true (always without one); `ready` is called from
  // the HTTP threads, so it must be cheap and thread-safe.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& host, int port, std::function<bool()> ready = nullptr);

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  // Stops listening and joins the serving thread.
  ~MetricsServer();

  int port() const { return port_; }

 private:
  MetricsServer(std::unique_ptr<httplib::Server> server, int port);

  std::unique_ptr<httplib::Server> server_;
  int port_;
  std::atomic<bool> listen_returned_{false};
  std::thread thread_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_METRICS_SERVER_H_
