// The handler edge: an absl::StatusOr answer becomes the gRPC response or a grpc::Status with
// the error details (FieldViolations, Conflicts, ErrorInfo with a default reason).
#ifndef FIELDWORK_SERVICES_SCHEDULING_GRPC_ANSWER_H_
#define FIELDWORK_SERVICES_SCHEDULING_GRPC_ANSWER_H_

#include <grpcpp/support/status.h>

#include <utility>

#include "absl/status/statusor.h"
#include "common/errors.h"
#include "services/scheduling/error_reason.h"

namespace fieldwork::scheduling {

template <typename Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(WithDefaultReason(result.status()));
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_GRPC_ANSWER_H_
