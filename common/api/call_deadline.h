// The deadline of the Redis work of one RPC: the caller's deadline, or now + the service's RPC
// budget when the caller set none or a later one.
#ifndef FIELDWORK_COMMON_API_CALL_DEADLINE_H_
#define FIELDWORK_COMMON_API_CALL_DEADLINE_H_

#include <grpcpp/server_context.h>

#include <algorithm>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace fieldwork {

inline absl::Time CallDeadline(const grpc::ServerContextBase* context, absl::Duration budget) {
  const absl::Time budgeted = absl::Now() + budget;
  if (context == nullptr || context->deadline() == std::chrono::system_clock::time_point::max()) {
    return budgeted;
  }
  return std::min(budgeted, absl::FromChrono(context->deadline()));
}

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_CALL_DEADLINE_H_
