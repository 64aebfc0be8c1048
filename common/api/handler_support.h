// What every service's handlers share at the edge: absl::Status → grpc::Status with a default
// ErrorInfo reason, and running a mutating call at most once per request_id.
#ifndef FIELDWORK_COMMON_API_HANDLER_SUPPORT_H_
#define FIELDWORK_COMMON_API_HANDLER_SUPPORT_H_

#include <grpcpp/support/status.h>

#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/api/error_reason.h"
#include "common/api/request_record.h"
#include "common/errors.h"

namespace fieldwork {

inline grpc::Status Finish(const absl::Status& status) {
  return ToGrpcStatus(WithDefaultReason(status));
}

// Runs `work` into `response` at most once per request_id (see RunOnce).
template <typename Response>
absl::Status Once(const RequestRecord& record, absl::Time deadline, Response& response,
                  const std::function<absl::Status(Response&)>& work) {
  absl::StatusOr<Response> answer =
      RunOnce<Response>(record, deadline, [&]() -> absl::StatusOr<Response> {
        Response fresh;
        if (absl::Status done = work(fresh); !done.ok()) return done;
        return fresh;
      });
  if (!answer.ok()) return answer.status();
  response = *std::move(answer);
  return absl::OkStatus();
}

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_HANDLER_SUPPORT_H_
