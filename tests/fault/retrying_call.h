// How the fault suite's clients call: every attempt has a deadline; an attempt that ends
// UNAVAILABLE or DEADLINE_EXCEEDED is sent again, byte for byte (same request_id), through the
// next replica, after a short backoff, until another answer comes or the policy gives up. Each
// attempt's code lands in the Operation of the history.
#ifndef FIELDWORK_TESTS_FAULT_RETRYING_CALL_H_
#define FIELDWORK_TESTS_FAULT_RETRYING_CALL_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <functional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/fault/history.h"

namespace fieldwork::testing {

struct RetryPolicy {
  int max_attempts = 12;
  absl::Duration attempt_timeout = absl::Seconds(5);
  absl::Duration budget = absl::Seconds(45);  // no attempt starts later than this after the first
};

// One attempt on replica `replica` with `context` (token and deadline already set).
using Attempt = std::function<grpc::Status(int replica, grpc::ClientContext* context)>;

// Sends `attempt` to replica `first_replica` and, after retryable answers, to the following
// replicas (modulo `replicas`); fills operation.attempts, code and message; returns the final
// answer. Like a load balancer that watches health, a new request starts away from a replica that
// answered UNAVAILABLE within the last half second (one draining before it stops, or gone), so
// clients stop sending to it.
grpc::Status CallWithRetry(const RetryPolicy& policy, int replicas, int first_replica,
                           absl::string_view token, const Attempt& attempt, Operation& operation);

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_RETRYING_CALL_H_
