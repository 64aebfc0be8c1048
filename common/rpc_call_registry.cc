// The process-wide table of RPCs in flight.
#include "common/rpc_call_registry.h"

#include <utility>

namespace fieldwork {

RpcCallRegistry& RpcCallRegistry::Global() {
  static RpcCallRegistry* const registry = new RpcCallRegistry();
  return *registry;
}

void RpcCallRegistry::Open(const grpc::ServerContextBase* context, absl::string_view method) {
  absl::MutexLock lock(&mu_);
  RpcCallInfo& info = calls_[context];
  info = RpcCallInfo{};
  info.method = std::string(method);
}

RpcCallInfo RpcCallRegistry::Close(const grpc::ServerContextBase* context) {
  absl::MutexLock lock(&mu_);
  const auto it = calls_.find(context);
  if (it == calls_.end()) return RpcCallInfo{};
  RpcCallInfo info = std::move(it->second);
  calls_.erase(it);
  return info;
}

bool RpcCallRegistry::Update(const grpc::ServerContextBase* context,
                             const std::function<void(RpcCallInfo&)>& update) {
  absl::MutexLock lock(&mu_);
  const auto it = calls_.find(context);
  if (it == calls_.end()) return false;
  update(it->second);
  return true;
}

void RpcCallRegistry::UpdateWhere(const std::function<bool(const RpcCallInfo&)>& matches,
                                  const std::function<void(RpcCallInfo&)>& update) {
  absl::MutexLock lock(&mu_);
  for (auto& [context, info] : calls_) {
    if (matches(info)) update(info);
  }
}

std::optional<RpcCallInfo> RpcCallRegistry::Find(const grpc::ServerContextBase* context) const {
  absl::MutexLock lock(&mu_);
  const auto it = calls_.find(context);
  if (it == calls_.end()) return std::nullopt;
  return it->second;
}

void SetRpcRequestId(const grpc::ServerContextBase* context, absl::string_view request_id) {
  RpcCallRegistry::Global().Update(
      context, [request_id](RpcCallInfo& info) { info.request_id = std::string(request_id); });
}

void MarkRpcReplayed(const void* request) {
  RpcCallRegistry::Global().UpdateWhere(
      [request](const RpcCallInfo& info) { return info.request == request; },
      [](RpcCallInfo& info) { info.replayed = true; });
}

}  // namespace fieldwork
