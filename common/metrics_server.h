// The HTTP side port of every service: GET /metrics (Prometheus text from Metrics::Global()) and
// GET /healthz (200 while the process serves HTTP at all; readiness is the gRPC health service's).
#ifndef FIELDWORK_COMMON_METRICS_SERVER_H_
#define FIELDWORK_COMMON_METRICS_SERVER_H_

#include <atomic>
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
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& host, int port);

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
