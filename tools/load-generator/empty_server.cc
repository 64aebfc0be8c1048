// fieldwork-bench-empty: the baseline of the load generator, a gRPC server whose one unary handler
// (grpc.health.v1.Health/Check) answers at once, served by the same gRPC build as the services.
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace {

class EmptyHealth final : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* response) override {
    response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fieldwork-bench-empty HOST:PORT\n";
    return 1;
  }
  EmptyHealth service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(argv[1], grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    std::cerr << "cannot listen on " << argv[1] << "\n";
    return 1;
  }
  server->Wait();
  return 0;
}
