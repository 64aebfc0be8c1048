// What every call from one fieldwork service to another shares: the per-call context (deadline
// capped by the incoming call's, this service's token, the original caller's identity), and the
// peer's answer as this service's own status — a peer that does not answer is UNAVAILABLE with
// ERROR_REASON_PEER_UNAVAILABLE, everything else keeps its code and details.
#ifndef FIELDWORK_COMMON_API_PEER_CALL_H_
#define FIELDWORK_COMMON_API_PEER_CALL_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "common/service_token.h"

namespace fieldwork {

// How this service calls a peer.
struct PeerCallOptions {
  ServiceToken* token = nullptr;  // outlives every call
  absl::Duration call_timeout = absl::Seconds(5);
};

// Prepares `context` for a call on behalf of `caller` (nothing, or a service calling on its own
// account: no identity forwarded) that must end by `deadline`.
void PreparePeerContext(grpc::ClientContext& context, const PeerCallOptions& options,
                        const std::optional<Principal>& caller, absl::Time deadline);

// `status` of a call to `peer` (e.g. "scheduling") as this service's status.
absl::Status FromPeer(absl::string_view peer, const grpc::Status& status);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_PEER_CALL_H_
