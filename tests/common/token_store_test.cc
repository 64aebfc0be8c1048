// Tokens file parsing, hashing and the permission check (common/token_store.h).
#include "common/token_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::WriteTestFile;

std::string Entry(const std::string& hash, const std::string& subject, const std::string& role,
                  const std::string& organization) {
  return absl::StrCat("tokens:\n  - sha256: ", hash, "\n    subject: ", subject,
                      "\n    role: ", role, "\n    organization: \"", organization, "\"\n");
}

TEST(Sha256HexTest, MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenStoreTest, FindsPrincipalByTokenNotByHash) {
  absl::StatusOr<TokenStore> store = TokenStore::Parse(testing::ProbeTokensYaml());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->size(), 5u);
  const std::optional<Principal> staff = store->Find(testing::kStaffO1Token);
  ASSERT_TRUE(staff.has_value());
  EXPECT_EQ(staff->subject, "clerk-o1");
  EXPECT_EQ(staff->role, Role::kStaff);
  EXPECT_EQ(staff->organization, "o1");
  EXPECT_FALSE(store->Find(Sha256Hex(testing::kStaffO1Token)).has_value());
  EXPECT_FALSE(store->Find("guess").has_value());
}

TEST(TokenStoreTest, EmptyOrganizationMeansEveryOrganization) {
  absl::StatusOr<TokenStore> store = TokenStore::Parse(Entry(Sha256Hex("t"), "root", "admin", ""));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(store->Find("t")->all_organizations());
}

TEST(TokenStoreTest, AcceptsUpperCaseHex) {
  std::string hash = Sha256Hex("t");
  for (char& c : hash) c = static_cast<char>(toupper(c));
  absl::StatusOr<TokenStore> store = TokenStore::Parse(Entry(hash, "root", "admin", "*"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(store->Find("t").has_value());
}

TEST(TokenStoreTest, RejectsMalformedEntriesNamingThem) {
  const std::string hash = Sha256Hex("t");
  for (const std::string& yaml : {
           Entry("t", "root", "admin", "*"),                            // the token, not its hash
           Entry(hash, "root", "superuser", "*"),                       // unknown role
           Entry(hash, "root", "admin", "o1"),                          // admin confined to one org
           Entry(hash, "clerk", "staff", "*"),                          // staff of every org
           Entry(hash, "organizations/o2/members/m7", "member", "o1"),  // member of another org
           Entry(hash, "has space", "staff", "o1"),  // subject unusable in metadata
       }) {
    const absl::StatusOr<TokenStore> store = TokenStore::Parse(yaml);
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
    EXPECT_TRUE(absl::StrContains(store.status().message(), "tokens[0]")) << store.status();
  }
}

TEST(TokenStoreTest, RejectsDuplicateHash) {
  const std::string entry = Entry(Sha256Hex("t"), "root", "admin", "*");
  const std::string twice = entry + entry.substr(std::string("tokens:\n").size());
  EXPECT_EQ(TokenStore::Parse(twice).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TokenStoreTest, RejectsFilesWithoutTokensList) {
  EXPECT_FALSE(TokenStore::Parse("tokens: nope").ok());
  EXPECT_FALSE(TokenStore::Parse("[unclosed").ok());
  EXPECT_FALSE(TokenStore::Parse("").ok());
}

TEST(TokenStoreTest, LoadFileRefusesWorldReadableFile) {
  const std::string path = testing::MakeTempDir("tokens-test") + "/tokens.yaml";
  WriteTestFile(path, testing::ProbeTokensYaml(), 0644);
  const absl::StatusOr<TokenStore> store = TokenStore::LoadFile(path);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "0644")) << store.status();
}

TEST(TokenStoreTest, LoadFileAcceptsOwnerAndGroupReadableFile) {
  const std::string path = testing::MakeTempDir("tokens-test") + "/tokens.yaml";
  WriteTestFile(path, testing::ProbeTokensYaml(), 0640);
  const absl::StatusOr<TokenStore> store = TokenStore::LoadFile(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(store->Find(testing::kAdminToken).has_value());
}

TEST(TokenStoreTest, LoadFileReportsMissingFile) {
  EXPECT_EQ(TokenStore::LoadFile("/nonexistent/tokens.yaml").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fieldwork
