// What the runner knows about each RPC in flight, keyed by its server context: the per-call
// interceptor opens an entry before the handler runs and closes it after the status is sent;
// the handler adds what only it knows (organization, request id, who was authorized) through
// Authorizer and SetRpcRequestId, and the interceptor logs it.
#ifndef FIELDWORK_COMMON_RPC_CALL_REGISTRY_H_
#define FIELDWORK_COMMON_RPC_CALL_REGISTRY_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/principal.h"

namespace fieldwork {

struct RpcCallInfo {
  std::string method;         // "/package.Service/Method"
  std::string organization;   // the organization the call touched, once authorized
  std::string request_id;     // the request's request_id field (message_names.h), if any
  std::string subject;        // the authenticated caller
  std::string via;            // the service that forwarded the caller's identity, if any
  Role role = Role::kMember;  // the authenticated caller's role (the forwarded one's, if any)
  std::string scope;          // the authenticated caller's organization (or kAllOrganizations)
  std::vector<std::string> request_names;  // the request's resource names (message_names.h)
  const void* request = nullptr;  // the request message, while the handler may still use it
  bool authenticated = false;
  bool authorized = false;  // the handler checked the method's permission
  bool replayed = false;    // the answer was replayed from an earlier call with its request_id
};

class RpcCallRegistry {
 public:
  // The registry the runner's interceptors and every handler share.
  static RpcCallRegistry& Global();

  void Open(const grpc::ServerContextBase* context, absl::string_view method);
  // Removes the call and returns what was recorded about it.
  RpcCallInfo Close(const grpc::ServerContextBase* context);
  // Applies `update` to the call's entry; false when the call is not open (no runner interceptor).
  bool Update(const grpc::ServerContextBase* context,
              const std::function<void(RpcCallInfo&)>& update);
  // Applies `update` to every open call that `matches`.
  void UpdateWhere(const std::function<bool(const RpcCallInfo&)>& matches,
                   const std::function<void(RpcCallInfo&)>& update);
  std::optional<RpcCallInfo> Find(const grpc::ServerContextBase* context) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, RpcCallInfo> calls_ ABSL_GUARDED_BY(mu_);
};

// Records the request_id of a mutating call for its log line.
void SetRpcRequestId(const grpc::ServerContextBase* context, absl::string_view request_id);

// Marks the call that received `request` (RpcCallInfo::request) as answered by a replay; nothing
// when no open call received it (a request the service built itself).
void MarkRpcReplayed(const void* request);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_RPC_CALL_REGISTRY_H_
