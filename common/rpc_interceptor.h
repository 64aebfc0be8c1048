// The server interceptor every fieldwork server installs. Per call it opens the call's entry in
// RpcCallRegistry before the handler runs; when the status is about to be sent it turns an OK from
// a handler that never authorized a non-public method into INTERNAL, logs one JSON line (method,
// organization, request_id, subject, peer, code, latency_ms) and records the RPC count and latency
// metrics by method and code, then hands the finished call to the runner's CallObserver (the
// audit trail), if any.
#ifndef FIELDWORK_COMMON_RPC_INTERCEPTOR_H_
#define FIELDWORK_COMMON_RPC_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include "common/auth.h"
#include "common/finished_call.h"

namespace fieldwork {

// Metric families the interceptor reports.
inline constexpr char kRpcCountMetric[] = "fieldwork_rpc_requests_total";
inline constexpr char kRpcLatencyMetric[] = "fieldwork_rpc_duration_seconds";

class RpcInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `authorizer` (its permission table) and `observer` (may be null) must outlive the server.
  RpcInterceptorFactory(const Authorizer* authorizer, CallObserver* observer)
      : authorizer_(authorizer), observer_(observer) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const Authorizer* authorizer_;
  CallObserver* observer_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_RPC_INTERCEPTOR_H_
