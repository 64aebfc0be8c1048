// Mutual TLS between a peer channel and a server built by the runner (common/tls.h), with
// certificates made for the test.
#include "common/tls.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channel_factory.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/common/test_certificates.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::ProbeServer;
using ::fieldwork::testing::v1::ProbeResponse;
using ::fieldwork::testing::v1::ProbeService;

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = testing::MakeTempDir("tls-test");
    absl::StatusOr<testing::TestCertificates> certs = testing::MakeTestCertificates(dir);
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *certs;
    ServerConfig config = testing::ProbeConfig(dir);
    config.tls_cert = certs_.server_cert;
    config.tls_key = certs_.server_key;
    config.tls_ca = certs_.ca_cert;
    ASSERT_TRUE(ValidateServerConfig(config).ok()) << ValidateServerConfig(config);
    absl::StatusOr<std::unique_ptr<ProbeServer>> server = ProbeServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    // An IP literal: the DNS resolver and round_robin path without a lookup (c-ares 1.18 leaks
    // a little memory resolving "localhost", which fails sanitizer runs).
    target_ = absl::StrCat("dns:///127.0.0.1:", server_->runner().port());
  }

  // Echo as staff over `credentials`, with a short deadline: a refused handshake shows as
  // UNAVAILABLE (or DEADLINE_EXCEEDED while the channel keeps retrying the connection).
  grpc::Status Echo(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", testing::kStaffO1Token));
    ProbeResponse response;
    return ProbeService::NewStub(channel)->Echo(&context, testing::ProbeRequestFor("o1"),
                                                &response);
  }

  ChannelOptions Options(const std::string& cert, const std::string& key, const std::string& ca) {
    ChannelOptions options;
    options.target = target_;
    options.tls = TlsFiles{cert, key, ca};
    return options;
  }

  testing::TestCertificates certs_;
  std::unique_ptr<ProbeServer> server_;
  std::string target_;
};

TEST_F(MutualTlsTest, ClientWithCertificateFromTheCaIsServed) {
  const grpc::Status status =
      Echo(CreatePeerChannel(Options(certs_.client_cert, certs_.client_key, certs_.ca_cert)));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(MutualTlsTest, ClientWithoutCertificateIsRefused) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = testing::ReadTestFile(certs_.ca_cert);
  const auto channel = grpc::CreateChannel(target_, grpc::SslCredentials(ssl));
  EXPECT_FALSE(Echo(channel).ok());
}

TEST_F(MutualTlsTest, ClientWithCertificateFromAnotherCaIsRefused) {
  const grpc::Status status =
      Echo(CreatePeerChannel(Options(certs_.stranger_cert, certs_.stranger_key, certs_.ca_cert)));
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAVAILABLE ||
              status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_code() << " " << status.error_message();
}

TEST_F(MutualTlsTest, PlaintextClientIsRefused) {
  EXPECT_FALSE(Echo(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials())).ok());
}

TEST_F(MutualTlsTest, ServerFromAnotherCaIsNotTrusted) {
  const grpc::Status status =
      Echo(CreatePeerChannel(Options(certs_.client_cert, certs_.client_key, certs_.other_ca_cert)));
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace fieldwork
