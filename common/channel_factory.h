// Channels and per-call contexts for service-to-service calls. One channel per peer, created once
// and shared: round_robin over every address a dns:/// target resolves to (a headless Kubernetes
// Service lists every pod), UNAVAILABLE retried with backoff through the service config,
// keepalive, and TLS or mutual TLS with this service's own certificate when configured.
#ifndef FIELDWORK_COMMON_CHANNEL_FACTORY_H_
#define FIELDWORK_COMMON_CHANNEL_FACTORY_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/config.h"
#include "common/principal.h"
#include "common/tls.h"

namespace fieldwork {

struct ChannelOptions {
  std::string target;  // e.g. "dns:///scheduling-headless:50051"
  TlsFiles tls;        // plaintext when !tls.enabled()
  int max_message_bytes = 4 << 20;
};

// The options a server with `config` uses to reach `target`: its own TLS files and limits.
ChannelOptions PeerChannelOptions(const ServerConfig& config, std::string target);

// The service config every peer channel uses: round_robin, and up to 4 attempts of calls that
// fail with UNAVAILABLE (0.1 s initial backoff, doubling, at most 1 s).
std::string PeerServiceConfigJson();

std::shared_ptr<grpc::Channel> CreatePeerChannel(const ChannelOptions& options);

// What one outgoing call carries besides its request.
struct OutgoingCall {
  absl::Duration timeout = absl::Seconds(5);
  // The incoming call's deadline when this call serves one: the outgoing deadline never outlives
  // it.
  absl::Time deadline_cap = absl::InfiniteFuture();
  std::string token;                      // this service's bearer token; none when empty
  std::optional<Principal> on_behalf_of;  // the original caller, forwarded for authorization
};

// Sets the deadline (now + timeout, capped) and the authorization and on-behalf-of metadata.
void PrepareClientContext(grpc::ClientContext* context, const OutgoingCall& call);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_CHANNEL_FACTORY_H_
