// Flags, environment overrides, validation and the exit-code rules of common/config.h.
#include "common/config.h"

#include <stdlib.h>

#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/common/test_certificates.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::MakeTempDir;
using ::fieldwork::testing::WriteTestFile;

// Sets an environment variable for the lifetime of the object.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_.c_str()); }

 private:
  std::string name_;
};

struct Outcome {
  std::optional<int> exit_code;
  std::string out;
  std::string err;
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("config-test");
    tokens_file_ = dir_ + "/tokens.yaml";
    WriteTestFile(tokens_file_, fieldwork::testing::ProbeTokensYaml(), 0600);
    service_token_file_ = dir_ + "/service.token";
    WriteTestFile(service_token_file_, "service-secret-token\n", 0600);
    config_ = DefaultServerConfig("probe", 50051, 9091);
  }

  // Parses `args` as the command line of a service with the server and client flags.
  Outcome Parse(std::vector<std::string> args) {
    CLI::App app{"probe service", "fieldwork-probe"};
    AddServerFlags(app, &config_);
    AddClientFlags(app, &client_);
    AddPeerTargetFlag(app, "scheduling", &scheduling_target_);
    args.insert(args.begin(), "fieldwork-probe");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    std::ostringstream out, err;
    Outcome outcome;
    outcome.exit_code = ParseCommandLine(
        app, static_cast<int>(argv.size()), argv.data(), config_,
        [this] { return ValidateClientConfig(client_, config_); }, out, err);
    outcome.out = out.str();
    outcome.err = err.str();
    return outcome;
  }

  std::vector<std::string> ValidArgs() { return {"--tokens-file", tokens_file_}; }

  std::string dir_;
  std::string tokens_file_;
  std::string service_token_file_;
  ServerConfig config_;
  ClientConfig client_;
  std::string scheduling_target_ = "dns:///localhost:50051";
};

// Exactly one line, starting with the program name and naming `flag`.
void ExpectOneLineNaming(const std::string& err, const std::string& flag) {
  EXPECT_TRUE(absl::StartsWith(err, "fieldwork-probe: ")) << err;
  EXPECT_TRUE(absl::StrContains(err, flag)) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST_F(ConfigTest, ValidFlagsStartWithParsedValues) {
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--listen=127.0.0.1:7000", "--max-threads=12", "--shutdown-grace=1.5s",
                           "--grpc-memory-mib=64", "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_FALSE(outcome.exit_code.has_value()) << outcome.err;
  EXPECT_EQ(config_.listen, "127.0.0.1:7000");
  EXPECT_EQ(config_.max_threads, 12);
  EXPECT_EQ(config_.grpc_memory_mib, 64);
  EXPECT_EQ(config_.shutdown_grace, absl::Milliseconds(1500));
}

TEST_F(ConfigTest, EnvironmentOverridesDefaultAndFlagOverridesEnvironment) {
  ScopedEnv threads("FIELDWORK_MAX_THREADS", "12");
  ScopedEnv level("FIELDWORK_LOG_LEVEL", "debug");
  ScopedEnv token("FIELDWORK_SERVICE_TOKEN_FILE", service_token_file_);
  std::vector<std::string> args = ValidArgs();
  args.push_back("--log-level=warn");
  const Outcome outcome = Parse(args);
  EXPECT_FALSE(outcome.exit_code.has_value()) << outcome.err;
  EXPECT_EQ(config_.max_threads, 12);
  EXPECT_EQ(config_.log_level, "warn");
}

TEST_F(ConfigTest, EnvironmentVariableEnablesBooleanFlag) {
  ScopedEnv dev("FIELDWORK_DEV_INSECURE_NO_AUTH", "true");
  const Outcome outcome = Parse({"--listen=127.0.0.1:7000"});
  EXPECT_FALSE(outcome.exit_code.has_value()) << outcome.err;
  EXPECT_TRUE(config_.dev_insecure_no_auth);
}

TEST_F(ConfigTest, NonNumericValueExitsWithCode2NamingTheFlag) {
  std::vector<std::string> args = ValidArgs();
  args.push_back("--max-threads=lots");
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--max-threads");
}

TEST_F(ConfigTest, GrpcMemoryBelowItsFloorExitsWithCode2NamingTheFlag) {
  std::vector<std::string> args = ValidArgs();
  args.push_back("--grpc-memory-mib=8");
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--grpc-memory-mib");
}

TEST_F(ConfigTest, BadEnvironmentValueExitsWithCode2NamingTheFlag) {
  ScopedEnv port("FIELDWORK_METRICS_PORT", "70000");
  const Outcome outcome = Parse(ValidArgs());
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--metrics-port");
}

TEST_F(ConfigTest, BadDurationExitsWithCode2NamingTheFlag) {
  std::vector<std::string> args = ValidArgs();
  args.push_back("--shutdown-grace=soon");
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--shutdown-grace");
}

TEST_F(ConfigTest, UnknownLogLevelExitsWithCode2) {
  std::vector<std::string> args = ValidArgs();
  args.push_back("--log-level=loud");
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--log-level");
}

TEST_F(ConfigTest, UnknownFlagExitsWithCode2) {
  const Outcome outcome = Parse({"--no-such-flag"});
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--no-such-flag");
}

TEST_F(ConfigTest, HelpListsEveryFlagWithDefaultAndVariableAndExitsZero) {
  const Outcome outcome = Parse({"--help"});
  EXPECT_EQ(outcome.exit_code, 0);
  for (const char* expected :
       {"--listen", "=0.0.0.0:50051", "FIELDWORK_LISTEN", "FIELDWORK_REDIS_URL", "=9091",
        "FIELDWORK_TOKENS_FILE", "FIELDWORK_SHUTDOWN_GRACE", "=20s", "FIELDWORK_SCHEDULING_TARGET",
        "FIELDWORK_SERVICE_TOKEN_FILE", "--check-config"}) {
    EXPECT_TRUE(absl::StrContains(outcome.out, expected)) << expected << "\n" << outcome.out;
  }
}

TEST_F(ConfigTest, CheckConfigExitsZeroWhenEverythingIsValid) {
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--check-config", "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_TRUE(absl::StrContains(outcome.out, "valid"));
}

TEST_F(ConfigTest, CheckConfigExitsTwoWhenTokensFileIsWorldReadable) {
  WriteTestFile(tokens_file_, fieldwork::testing::ProbeTokensYaml(), 0644);
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--check-config", "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tokens-file");
  EXPECT_TRUE(absl::StrContains(outcome.err, "0644")) << outcome.err;
}

TEST_F(ConfigTest, MissingTokensFileIsRefused) {
  const Outcome outcome = Parse({"--tokens-file", dir_ + "/absent.yaml"});
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tokens-file");
}

TEST_F(ConfigTest, NoAuthenticationConfiguredIsRefused) {
  const Outcome outcome = Parse({});
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tokens-file");
}

TEST_F(ConfigTest, DevModeIsRefusedOnNonLoopbackAddress) {
  const Outcome outcome = Parse({"--dev-insecure-no-auth", "--listen=0.0.0.0:7000"});
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--dev-insecure-no-auth");
}

TEST_F(ConfigTest, DevModeIsRefusedTogetherWithTokensFile) {
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--dev-insecure-no-auth", "--listen=127.0.0.1:7000"});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--dev-insecure-no-auth");
}

TEST_F(ConfigTest, ServiceTokenFileIsRequiredOutsideDevMode) {
  const Outcome outcome = Parse(ValidArgs());
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--service-token-file");
}

TEST_F(ConfigTest, MalformedListenAddressIsRefused) {
  std::vector<std::string> args = ValidArgs();
  args.push_back("--listen=nowhere");
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--listen");
}

TEST_F(ConfigTest, TlsKeyWithoutCertificateIsRefused) {
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--tls-key", tokens_file_});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tls-key");
}

TEST_F(ConfigTest, TlsKeyOfAnotherCertificateIsRefused) {
  absl::StatusOr<testing::TestCertificates> certs = testing::MakeTestCertificates(dir_);
  ASSERT_TRUE(certs.ok()) << certs.status();
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--tls-cert", certs->server_cert, "--tls-key", certs->client_key,
                           "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tls-key");
}

TEST_F(ConfigTest, TlsCertificateThatIsNotPemIsRefused) {
  absl::StatusOr<testing::TestCertificates> certs = testing::MakeTestCertificates(dir_);
  ASSERT_TRUE(certs.ok()) << certs.status();
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(), {"--tls-cert", tokens_file_, "--tls-key", certs->server_key,
                           "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_EQ(outcome.exit_code, 2);
  ExpectOneLineNaming(outcome.err, "--tls-cert");
}

TEST_F(ConfigTest, MatchingTlsFilesAreAccepted) {
  absl::StatusOr<testing::TestCertificates> certs = testing::MakeTestCertificates(dir_);
  ASSERT_TRUE(certs.ok()) << certs.status();
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(),
              {"--tls-cert", certs->server_cert, "--tls-key", certs->server_key, "--tls-ca",
               certs->ca_cert, "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_FALSE(outcome.exit_code.has_value()) << outcome.err;
  EXPECT_TRUE(config_.tls_files().mutual());
  EXPECT_EQ(config_.tls_files().refresh_interval_seconds, 60u);
}

TEST_F(ConfigTest, TlsReloadIntervalIsWholeSecondsOfAtLeastOne) {
  for (const std::string interval : {"0s", "500ms", "1.5s"}) {
    std::vector<std::string> args = ValidArgs();
    args.insert(args.end(), {"--tls-reload-interval", interval});
    const Outcome outcome = Parse(args);
    EXPECT_EQ(outcome.exit_code, 2) << interval;
    ExpectOneLineNaming(outcome.err, "--tls-reload-interval");
  }
  std::vector<std::string> args = ValidArgs();
  args.insert(args.end(),
              {"--tls-reload-interval", "2m", "--service-token-file", service_token_file_});
  const Outcome outcome = Parse(args);
  EXPECT_FALSE(outcome.exit_code.has_value()) << outcome.err;
  EXPECT_EQ(config_.tls_files().refresh_interval_seconds, 120u);
}

TEST(LoopbackTest, RecognizesLoopbackAddressesOnly) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("unix:/run/fieldwork.sock"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.7:50051"));
}

TEST(EnvVarNameTest, UpperCasesAndReplacesDashes) {
  EXPECT_EQ(EnvVarName("redis-url"), "FIELDWORK_REDIS_URL");
  EXPECT_EQ(EnvVarName("scheduling-target"), "FIELDWORK_SCHEDULING_TARGET");
}

}  // namespace
}  // namespace fieldwork
