// The server interceptor every fieldwork server installs. Per call it opens the call's entry in
// RpcCallRegistry before the handler runs; when the status is about to be sent it turns an OK from
// a handler that never authorized a non-public method into INTERNAL, logs one JSON line (method,
// organization, request_id, subject, peer, code, latency_ms) and records the RPC count and latency
// metrics by method and code.
#ifndef FIELDWORK_COMMON_RPC_INTERCEPTOR_H_
#define FIELDWORK_COMMON_RPC_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include "common/auth.h"

namespace fieldwork {

// Metric families the interceptor reports.
inline constexpr char kRpcCountMetric[] = "fieldwork_rpc_requests_total";
inline constexpr char kRpcLatencyMetric[] = "fieldwork_rpc_duration_seconds";

class RpcInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `authorizer` (its permission table) must outlive the server.
  explicit RpcInterceptorFactory(const Authorizer* authorizer) : authorizer_(authorizer) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const Authorizer* authorizer_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_RPC_INTERCEPTOR_H_
