// What the server runner's interceptor knows about a call once its status is about to be sent,
// and the observer it hands that to (the audit trail, common/audit/).
#ifndef FIELDWORK_COMMON_FINISHED_CALL_H_
#define FIELDWORK_COMMON_FINISHED_CALL_H_

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/rpc_call_registry.h"

namespace fieldwork {

struct FinishedCall {
  // Method, caller, organization, the request's request_id and resource names, replayed.
  const RpcCallInfo& info;
  // The resource names of the answer of a unary call (message_names.h); empty otherwise.
  std::vector<std::string> response_names;
  const grpc::Status& status;
  std::string peer;  // e.g. "ipv4:127.0.0.1:51234"
  absl::Time time;   // when the call finished
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // Whether OnCallFinished wants a call of `method` ("/package.Service/Method") ending with
  // `code`; the runner skips collecting what the observer would not use.
  virtual bool Wants(absl::string_view /*method*/, grpc::StatusCode /*code*/) const { return true; }
  // Called on the call's thread for every wanted call that sends a status; must not block.
  virtual void OnCallFinished(const FinishedCall& call) = 0;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_FINISHED_CALL_H_
