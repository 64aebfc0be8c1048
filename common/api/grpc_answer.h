// The handler edge: an absl::StatusOr answer becomes the gRPC response or a grpc::Status with
// the error details (FieldViolations, Conflicts, ErrorInfo with a default reason).
#ifndef FIELDWORK_COMMON_API_GRPC_ANSWER_H_
#define FIELDWORK_COMMON_API_GRPC_ANSWER_H_

#include <grpcpp/support/status.h>

#include <utility>

#include "absl/status/statusor.h"
#include "common/api/error_reason.h"
#include "common/errors.h"

namespace fieldwork {

template <typename Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(WithDefaultReason(result.status()));
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_GRPC_ANSWER_H_
