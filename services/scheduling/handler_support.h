// What the SchedulingService handlers of events, holds and busy blocks share: the method name a
// request record is kept under, the handler edge (absl::Status → grpc::Status with a default
// ErrorInfo reason), and running a mutating call at most once per request_id.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
#define FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_

#include <grpcpp/support/status.h>

#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/error_reason.h"
#include "services/scheduling/request_record.h"

namespace fieldwork::scheduling {

// "fieldwork.scheduling.v1.SchedulingService/<name>".
inline std::string SchedulingMethod(absl::string_view name) {
  return absl::StrCat(::fieldwork::scheduling::v1::SchedulingService::service_full_name(), "/",
                      name);
}

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

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
