// The service's own token file (common/service_token.h).
#include "common/service_token.h"

#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::WriteTestFile;

class ServiceTokenTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = testing::MakeTempDir("service-token") + "/token"; }
  std::string path_;
};

TEST_F(ServiceTokenTest, ReadsTokenWithoutSurroundingWhitespace) {
  WriteTestFile(path_, "  first-token\n", 0600);
  absl::StatusOr<std::unique_ptr<ServiceToken>> token = ServiceToken::Load(path_);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ((*token)->Get(), "first-token");
}

TEST_F(ServiceTokenTest, RereadsRotatedTokenAndKeepsLastGoodOne) {
  WriteTestFile(path_, "first-token\n", 0600);
  absl::StatusOr<std::unique_ptr<ServiceToken>> token = ServiceToken::Load(path_);
  ASSERT_TRUE(token.ok()) << token.status();
  WriteTestFile(path_, "second-token-longer\n", 0600);
  EXPECT_EQ((*token)->Get(), "second-token-longer");
  WriteTestFile(path_, "", 0600);
  EXPECT_EQ((*token)->Get(), "second-token-longer");
}

TEST_F(ServiceTokenTest, RefusesWorldReadableEmptyAndMultiLineFiles) {
  WriteTestFile(path_, "token\n", 0644);
  EXPECT_EQ(ServiceToken::Load(path_).status().code(), absl::StatusCode::kFailedPrecondition);
  WriteTestFile(path_, "\n", 0600);
  EXPECT_EQ(ServiceToken::Load(path_).status().code(), absl::StatusCode::kInvalidArgument);
  WriteTestFile(path_, "one\ntwo\n", 0600);
  EXPECT_EQ(ServiceToken::Load(path_).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServiceToken::Load(path_ + ".absent").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fieldwork
