// Mutual TLS between a peer channel and a server built by the runner (common/tls.h), with
// certificates made for the test: who is refused at the handshake, and certificate files
// rotated under a running server and a live channel.
#include "common/tls.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>

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

// A directory laid out like a Kubernetes Secret volume: each file is a symlink through "..data"
// to a versioned directory, and an update writes a new directory, then renames a new "..data"
// symlink over the old one, so a reader sees the old set or the new one, never a mix.
class SecretVolume {
 public:
  explicit SecretVolume(std::string dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
  }

  // Publishes copies of `files` (name in the volume → file to copy) as the volume's contents.
  void Publish(const std::map<std::string, std::string>& files) {
    const std::string version = absl::StrCat("..v", ++version_);
    std::filesystem::create_directory(dir_ / version);
    for (const auto& [name, source] : files) {
      std::filesystem::copy_file(source, dir_ / version / name);
    }
    std::filesystem::create_directory_symlink(version, dir_ / "..data_tmp");
    std::filesystem::rename(dir_ / "..data_tmp", dir_ / "..data");
    for (const auto& [name, source] : files) {
      if (!std::filesystem::is_symlink(std::filesystem::symlink_status(dir_ / name))) {
        std::filesystem::create_symlink(std::filesystem::path("..data") / name, dir_ / name);
      }
    }
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
  int version_ = 0;
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("tls-test");
    absl::StatusOr<testing::TestCertificates> certs = testing::MakeTestCertificates(dir_);
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *certs;
  }

  // Starts the probe server with mutual TLS from these files, checked for changes every second.
  void StartServer(const std::string& cert, const std::string& key, const std::string& ca) {
    ServerConfig config = testing::ProbeConfig(dir_);
    config.tls_cert = cert;
    config.tls_key = key;
    config.tls_ca = ca;
    config.tls_reload_interval = absl::Seconds(1);
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

  // A peer channel (common/channel_factory.h) to the server, checking its files every second.
  std::shared_ptr<grpc::Channel> PeerChannel(const std::string& cert, const std::string& key,
                                             const std::string& ca) {
    ChannelOptions options;
    options.target = target_;
    options.tls = TlsFiles{cert, key, ca, /*refresh_interval_seconds=*/1};
    return CreatePeerChannel(options);
  }

  static void ExpectRefusedAtHandshake(const grpc::Status& status) {
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
        << status.error_code() << " " << status.error_message();
  }

  std::string dir_;
  testing::TestCertificates certs_;
  std::unique_ptr<ProbeServer> server_;
  std::string target_;
};

class MutualTlsTest : public TlsTest {
 protected:
  void SetUp() override {
    TlsTest::SetUp();
    if (HasFatalFailure()) return;
    StartServer(certs_.server_cert, certs_.server_key, certs_.ca_cert);
  }
};

TEST_F(MutualTlsTest, ClientWithCertificateFromTheCaIsServed) {
  const grpc::Status status =
      Echo(PeerChannel(certs_.client_cert, certs_.client_key, certs_.ca_cert));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(MutualTlsTest, ClientWithoutCertificateIsRefused) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = testing::ReadTestFile(certs_.ca_cert);
  const auto channel = grpc::CreateChannel(target_, grpc::SslCredentials(ssl));
  EXPECT_FALSE(Echo(channel).ok());
}

TEST_F(MutualTlsTest, ClientWithCertificateFromAnotherCaIsRefused) {
  ExpectRefusedAtHandshake(
      Echo(PeerChannel(certs_.stranger_cert, certs_.stranger_key, certs_.ca_cert)));
}

TEST_F(MutualTlsTest, PlaintextClientIsRefused) {
  EXPECT_FALSE(Echo(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials())).ok());
}

TEST_F(MutualTlsTest, ServerFromAnotherCaIsNotTrusted) {
  EXPECT_FALSE(Echo(PeerChannel(certs_.client_cert, certs_.client_key, certs_.other_ca_cert)).ok());
}

// Rotation the way a Kubernetes Secret volume updates: the server's certificate, key and CA move
// to a second CA while it runs. Once it has re-read them, a client of the second CA is served and
// a client of the first is refused, though it trusts the new server certificate.
TEST_F(TlsTest, ServerTakesRotatedCertificatesWithoutRestart) {
  SecretVolume volume(dir_ + "/server-tls");
  volume.Publish({{"tls.crt", certs_.server_cert},
                  {"tls.key", certs_.server_key},
                  {"ca.crt", certs_.ca_cert}});
  ASSERT_NO_FATAL_FAILURE(
      StartServer(volume.Path("tls.crt"), volume.Path("tls.key"), volume.Path("ca.crt")));
  const grpc::Status before =
      Echo(PeerChannel(certs_.client_cert, certs_.client_key, certs_.ca_cert));
  ASSERT_TRUE(before.ok()) << before.error_message();

  volume.Publish({{"tls.crt", certs_.other_server_cert},
                  {"tls.key", certs_.other_server_key},
                  {"ca.crt", certs_.other_ca_cert}});
  const absl::Status served = testing::WaitFor(
      [&] {
        return Echo(PeerChannel(certs_.stranger_cert, certs_.stranger_key, certs_.other_ca_cert))
            .ok();
      },
      absl::Seconds(30), "a client of the new CA to be served");
  ASSERT_TRUE(served.ok()) << served;

  ExpectRefusedAtHandshake(
      Echo(PeerChannel(certs_.client_cert, certs_.client_key, certs_.other_ca_cert)));
}

// The client side: one channel made by the channel factory, refused while its certificate is of
// a CA the server does not trust, is served once its files hold a certificate of the right CA,
// without being made again.
TEST_F(TlsTest, PeerChannelPresentsRotatedClientCertificate) {
  ASSERT_NO_FATAL_FAILURE(
      StartServer(certs_.other_server_cert, certs_.other_server_key, certs_.other_ca_cert));
  SecretVolume volume(dir_ + "/client-tls");
  volume.Publish({{"tls.crt", certs_.client_cert},
                  {"tls.key", certs_.client_key},
                  {"ca.crt", certs_.other_ca_cert}});
  const std::shared_ptr<grpc::Channel> channel =
      PeerChannel(volume.Path("tls.crt"), volume.Path("tls.key"), volume.Path("ca.crt"));
  ExpectRefusedAtHandshake(Echo(channel));

  volume.Publish({{"tls.crt", certs_.stranger_cert},
                  {"tls.key", certs_.stranger_key},
                  {"ca.crt", certs_.other_ca_cert}});
  const absl::Status served =
      testing::WaitFor([&] { return Echo(channel).ok(); }, absl::Seconds(30),
                       "the channel to present its new certificate");
  EXPECT_TRUE(served.ok()) << served;
}

}  // namespace
}  // namespace fieldwork
