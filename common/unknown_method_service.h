// Answers calls to methods no registered service implements: UNAUTHENTICATED unless the caller
// presents a valid token, then UNIMPLEMENTED. Without it gRPC answers UNIMPLEMENTED to anyone,
// which tells an unauthenticated caller which methods exist.
#ifndef FIELDWORK_COMMON_UNKNOWN_METHOD_SERVICE_H_
#define FIELDWORK_COMMON_UNKNOWN_METHOD_SERVICE_H_

#include <grpcpp/generic/async_generic_service.h>

#include "common/auth.h"

namespace fieldwork {

class UnknownMethodService : public grpc::CallbackGenericService {
 public:
  // `authorizer` must outlive the server.
  explicit UnknownMethodService(const Authorizer* authorizer) : authorizer_(authorizer) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

 private:
  const Authorizer* authorizer_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_UNKNOWN_METHOD_SERVICE_H_
