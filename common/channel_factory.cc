// Peer channels (service config, keepalive, credentials) and outgoing call contexts.
#include "common/channel_factory.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace fieldwork {

ChannelOptions PeerChannelOptions(const ServerConfig& config, std::string target) {
  ChannelOptions options;
  options.target = std::move(target);
  options.tls = config.tls_files();
  options.max_message_bytes = config.max_message_bytes;
  return options;
}

std::string PeerServiceConfigJson() {
  return R"json({
  "loadBalancingConfig": [{"round_robin": {}}],
  "methodConfig": [{
    "name": [{}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.1s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";
}

std::shared_ptr<grpc::Channel> CreatePeerChannel(const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(PeerServiceConfigJson());
  // The service config above is the whole truth; do not look for one in DNS TXT records.
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  // Ping idle connections so a peer that vanished (pod killed, network cut) is noticed in
  // seconds, not at the next call's deadline. Servers accept pings this frequent.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 20000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  return grpc::CreateCustomChannel(options.target, MakeChannelCredentials(options.tls), args);
}

void PrepareClientContext(grpc::ClientContext* context, const OutgoingCall& call) {
  const absl::Time deadline = std::min(absl::Now() + call.timeout, call.deadline_cap);
  context->set_deadline(absl::ToChronoTime(deadline));
  if (!call.token.empty())
    context->AddMetadata("authorization", absl::StrCat("Bearer ", call.token));
  if (call.on_behalf_of.has_value()) {
    context->AddMetadata(kOnBehalfOfMetadataKey, FormatOnBehalfOf(*call.on_behalf_of));
  }
}

}  // namespace fieldwork
