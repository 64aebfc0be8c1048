// Peer channels and outgoing call contexts (common/channel_factory.h), against a probe server.
#include "common/channel_factory.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/validate_service_config.h>
#include <grpcpp/test/client_context_test_peer.h>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::ProbeServer;
using ::fieldwork::testing::v1::ProbeRequest;
using ::fieldwork::testing::v1::ProbeResponse;
using ::fieldwork::testing::v1::ProbeService;

TEST(PeerServiceConfigTest, IsAcceptedByGrpc) {
  EXPECT_EQ(grpc::experimental::ValidateServiceConfigJSON(PeerServiceConfigJson()), "");
}

TEST(PrepareClientContextTest, SetsDeadlineTokenAndForwardedCaller) {
  grpc::ClientContext context;
  OutgoingCall call;
  call.timeout = absl::Seconds(3);
  call.token = "svc-token";
  call.on_behalf_of = Principal{testing::kMemberM7, Role::kMember, "o1", ""};
  const absl::Time before = absl::Now();
  PrepareClientContext(&context, call);
  const absl::Time deadline = absl::FromChrono(context.deadline());
  EXPECT_GE(deadline, before + absl::Seconds(3));
  EXPECT_LE(deadline, absl::Now() + absl::Seconds(3));
  grpc::testing::ClientContextTestPeer peer(&context);
  const auto metadata = peer.GetSendInitialMetadata();
  ASSERT_EQ(metadata.count("authorization"), 1u);
  EXPECT_EQ(metadata.find("authorization")->second, "Bearer svc-token");
  ASSERT_EQ(metadata.count(kOnBehalfOfMetadataKey), 1u);
  EXPECT_EQ(metadata.find(kOnBehalfOfMetadataKey)->second,
            "role=member;organization=o1;subject=organizations/o1/members/m7");
}

TEST(PrepareClientContextTest, DeadlineNeverOutlivesTheIncomingCall) {
  grpc::ClientContext context;
  OutgoingCall call;
  call.timeout = absl::Seconds(30);
  call.deadline_cap = absl::Now() + absl::Seconds(1);
  PrepareClientContext(&context, call);
  EXPECT_LE(absl::FromChrono(context.deadline()), call.deadline_cap);
  grpc::testing::ClientContextTestPeer peer(&context);
  EXPECT_EQ(peer.GetSendInitialMetadata().count("authorization"), 0u);
}

class PeerChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ProbeServer>> server =
        ProbeServer::Start(testing::ProbeConfig(testing::MakeTempDir("channel-test")));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  grpc::Status FailTwice(const std::shared_ptr<grpc::Channel>& channel, const std::string& key) {
    grpc::ClientContext context;
    OutgoingCall call;
    call.token = testing::kServiceToken;
    PrepareClientContext(&context, call);
    ProbeRequest request = testing::ProbeRequestFor("o1");
    request.set_text(key);
    ProbeResponse response;
    return ProbeService::NewStub(channel)->FailTwice(&context, request, &response);
  }

  std::unique_ptr<ProbeServer> server_;
};

TEST_F(PeerChannelTest, RetriesUnavailableUntilTheCallSucceeds) {
  ChannelOptions options;
  options.target = "dns:///" + server_->address();
  EXPECT_TRUE(FailTwice(CreatePeerChannel(options), "retried").ok());
}

TEST_F(PeerChannelTest, ChannelWithoutRetryPolicySeesTheFirstFailure) {
  const auto plain = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  EXPECT_EQ(FailTwice(plain, "not-retried").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(PeerChannelTest, ForwardedCallerIsWhoTheServerAuthorizes) {
  ChannelOptions options;
  options.target = "dns:///" + server_->address();
  grpc::ClientContext context;
  OutgoingCall call;
  call.token = testing::kServiceToken;
  call.on_behalf_of = Principal{testing::kMemberM7, Role::kMember, "o1", ""};
  PrepareClientContext(&context, call);
  ProbeResponse response;
  const grpc::Status status =
      ProbeService::NewStub(CreatePeerChannel(options))
          ->Echo(&context, testing::ProbeRequestFor("o1", testing::kMemberM7), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.subject(), testing::kMemberM7);
  EXPECT_EQ(response.via(), "svc-attendance");
}

}  // namespace
}  // namespace fieldwork
