// cpp-httplib server for the metrics, liveness and readiness endpoints.
#include "common/metrics_server.h"

#include <sys/socket.h>

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "httplib.h"

namespace fieldwork {
namespace {

// Scrapes and probes are rare and cheap; two threads are plenty and keep the process bounded.
constexpr size_t kHttpThreads = 2;
constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& host,
                                                                    int port,
                                                                    std::function<bool()> ready) {
  auto server = std::make_unique<httplib::Server>();
  server->new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  // httplib's default adds SO_REUSEPORT, which would let a second process share the port and
  // answer half the scrapes; a port already taken must be an error instead.
  server->set_socket_options([](int socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server->Get("/metrics", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(Metrics::Global().RenderPrometheus(), kPrometheusContentType);
  });
  server->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  server->Get("/readyz",
              [ready = std::move(ready)](const httplib::Request&, httplib::Response& response) {
                const bool is_ready = ready == nullptr || ready();
                response.status = is_ready ? 200 : 503;
                response.set_content(is_ready ? "ready\n" : "not ready\n", "text/plain");
              });
  int bound = port;
  if (port == 0) {
    bound = server->bind_to_any_port(host);
  } else if (!server->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat("metrics: cannot listen on ", host, ":", port));
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(server), bound));
}

MetricsServer::MetricsServer(std::unique_ptr<httplib::Server> server, int port)
    : server_(std::move(server)), port_(port) {
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
}

MetricsServer::~MetricsServer() {
  // httplib's stop() does nothing until the accept loop runs, so wait for it to start (or end).
  while (!server_->is_running() && !listen_returned_) std::this_thread::yield();
  server_->stop();
  thread_.join();
}

}  // namespace fieldwork
