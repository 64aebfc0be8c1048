// Calls from one fieldwork service to another (see peer_call.h).
#include "common/api/peer_call.h"

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/channel_factory.h"
#include "common/errors.h"

namespace fieldwork {

void PreparePeerContext(grpc::ClientContext& context, const PeerCallOptions& options,
                        const std::optional<Principal>& caller, absl::Time deadline) {
  OutgoingCall call;
  call.timeout = options.call_timeout;
  call.deadline_cap = deadline;
  call.token = options.token != nullptr ? options.token->Get() : "";
  if (caller.has_value() && caller->role != Role::kService) call.on_behalf_of = *caller;
  PrepareClientContext(&context, call);
}

absl::Status FromPeer(absl::string_view peer, const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return WithReason(
        absl::UnavailableError(absl::StrCat(peer, " did not answer: ", status.error_message())),
        common::v1::ERROR_REASON_PEER_UNAVAILABLE);
  }
  return FromGrpcStatus(status);
}

}  // namespace fieldwork
