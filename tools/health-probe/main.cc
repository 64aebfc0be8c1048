// fieldwork-health-probe: asks a server's grpc.health.v1 service whether it is SERVING. Exit 0 when
// it is, 1 when it answers anything else, 2 on bad usage, 3 when it cannot be reached in time.
// Used by tools/up, container health checks and anyone on call without grpcurl at hand.
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "grpc/health/v1/health.grpc.pb.h"

int main(int argc, char** argv) {
  std::string address = "127.0.0.1:50051";
  std::string service;
  double timeout_seconds = 1;
  bool wait = false;
  CLI::App app{"Checks the gRPC health of a fieldwork server", "fieldwork-health-probe"};
  app.add_option("address", address, "host:port of the server")->capture_default_str();
  app.add_option("--service", service, "Service name to ask about (empty: the whole server)");
  app.add_option("--timeout", timeout_seconds, "Seconds to wait for an answer")
      ->capture_default_str();
  app.add_flag("--wait", wait, "Keep asking until SERVING or the timeout passes");
  CLI11_PARSE(app, argc, argv);

  const auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  const auto stub = grpc::health::v1::Health::NewStub(channel);
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    context.set_wait_for_ready(wait);
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return 0;
    }
    const bool expired = std::chrono::system_clock::now() >= deadline;
    if (!wait || expired) {
      if (!status.ok()) {
        std::cerr << address << ": " << status.error_message() << "\n";
        return 3;
      }
      std::cerr << address << ": "
                << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
                << "\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // poll interval of --wait
  }
}
