// Authentication and access checks of common/auth.h without a server (the same checks over real
// calls are in server_runner_test.cc).
#include "common/auth.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::kAdminToken;
using ::fieldwork::testing::kMemberM7;
using ::fieldwork::testing::kMemberM7Token;
using ::fieldwork::testing::kServiceO2Token;
using ::fieldwork::testing::kServiceToken;
using ::fieldwork::testing::kStaffO1Token;
using ::fieldwork::testing::WriteTestFile;

constexpr char kEcho[] = "/fieldwork.testing.v1.ProbeService/Echo";
constexpr char kHold[] = "/fieldwork.testing.v1.ProbeService/Hold";
constexpr char kFailTwice[] = "/fieldwork.testing.v1.ProbeService/FailTwice";

// Metadata as a server sees it; string_refs point into `storage`.
class Metadata {
 public:
  Metadata& Add(std::string key, std::string value) {
    storage_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  Metadata& Bearer(const std::string& token) { return Add("authorization", "Bearer " + token); }
  ClientMetadata Build() const {
    ClientMetadata metadata;
    for (const auto& [key, value] : storage_) {
      metadata.emplace(grpc::string_ref(key), grpc::string_ref(value));
    }
    return metadata;
  }

 private:
  std::vector<std::pair<std::string, std::string>> storage_;
};

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tokens_file_ = testing::MakeTempDir("auth-test") + "/tokens.yaml";
    WriteTestFile(tokens_file_, testing::ProbeTokensYaml(), 0600);
    absl::StatusOr<std::unique_ptr<Authorizer>> authorizer =
        Authorizer::WithTokensFile(tokens_file_, testing::ProbePermissions());
    ASSERT_TRUE(authorizer.ok()) << authorizer.status();
    authorizer_ = *std::move(authorizer);
  }

  absl::StatusOr<Principal> As(const std::string& token) {
    return authorizer_->AuthenticateMetadata(Metadata().Bearer(token).Build());
  }

  absl::StatusCode Access(const std::string& token, const std::string& method,
                          const AccessTarget& target) {
    absl::StatusOr<Principal> principal = As(token);
    if (!principal.ok()) return principal.status().code();
    return authorizer_->CheckAccess(method, *principal, target).code();
  }

  std::string tokens_file_;
  std::unique_ptr<Authorizer> authorizer_;
};

TEST_F(AuthorizerTest, MissingTokenIsUnauthenticated) {
  EXPECT_EQ(authorizer_->AuthenticateMetadata(Metadata().Build()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthorizerTest, UnknownOrMalformedTokenIsUnauthenticatedWithoutEchoingIt) {
  const absl::StatusOr<Principal> unknown = As("not-a-token-we-issued");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().message().find("not-a-token-we-issued"), absl::string_view::npos);
  for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", kAdminToken}) {
    EXPECT_EQ(authorizer_->AuthenticateMetadata(Metadata().Add("authorization", value).Build())
                  .status()
                  .code(),
              absl::StatusCode::kUnauthenticated)
        << value;
  }
}

TEST_F(AuthorizerTest, TwoAuthorizationHeadersAreUnauthenticated) {
  EXPECT_EQ(authorizer_
                ->AuthenticateMetadata(Metadata().Bearer(kAdminToken).Bearer(kStaffO1Token).Build())
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthorizerTest, BearerSchemeIsCaseInsensitive) {
  absl::StatusOr<Principal> principal = authorizer_->AuthenticateMetadata(
      Metadata().Add("authorization", absl::StrCat("bearer ", kStaffO1Token)).Build());
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "clerk-o1");
}

TEST_F(AuthorizerTest, ServiceTokenActsForTheForwardedCaller) {
  absl::StatusOr<Principal> principal = authorizer_->AuthenticateMetadata(
      Metadata()
          .Bearer(kServiceToken)
          .Add(kOnBehalfOfMetadataKey, FormatOnBehalfOf({kMemberM7, Role::kMember, "o1", ""}))
          .Build());
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, kMemberM7);
  EXPECT_EQ(principal->role, Role::kMember);
  EXPECT_EQ(principal->via, "svc-attendance");
}

TEST_F(AuthorizerTest, OnlyServiceTokensMayForwardAnIdentity) {
  const absl::StatusOr<Principal> principal = authorizer_->AuthenticateMetadata(
      Metadata()
          .Bearer(kStaffO1Token)
          .Add(kOnBehalfOfMetadataKey, FormatOnBehalfOf({"ops", Role::kAdmin, "*", ""}))
          .Build());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(AuthorizerTest, ServiceScopedToOneOrganizationCannotForwardAnother) {
  const absl::StatusOr<Principal> principal = authorizer_->AuthenticateMetadata(
      Metadata()
          .Bearer(kServiceO2Token)
          .Add(kOnBehalfOfMetadataKey, FormatOnBehalfOf({"clerk-o1", Role::kStaff, "o1", ""}))
          .Build());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(AuthorizerTest, MalformedForwardedIdentityIsUnauthenticated) {
  const absl::StatusOr<Principal> principal = authorizer_->AuthenticateMetadata(
      Metadata().Bearer(kServiceToken).Add(kOnBehalfOfMetadataKey, "admin please").Build());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthorizerTest, OtherOrganizationIsNotFoundForScopedPrincipals) {
  EXPECT_EQ(Access(kStaffO1Token, kEcho, AccessTarget::Organization("o2")),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Access(kMemberM7Token, kEcho, AccessTarget::Member("o2", kMemberM7)),
            absl::StatusCode::kNotFound);
  // Even where the role would not be enough: the other tenant's existence stays hidden.
  EXPECT_EQ(Access(kMemberM7Token, kHold, AccessTarget::Organization("o2")),
            absl::StatusCode::kNotFound);
}

TEST_F(AuthorizerTest, CallsAcrossOrganizationsNeedAnUnscopedPrincipal) {
  EXPECT_EQ(Access(kStaffO1Token, kEcho, AccessTarget::AllOrganizations()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Access(kAdminToken, kEcho, AccessTarget::AllOrganizations()), absl::StatusCode::kOk);
}

TEST_F(AuthorizerTest, MemberActsOnlyOnItself) {
  EXPECT_EQ(Access(kMemberM7Token, kEcho, AccessTarget::Member("o1", kMemberM7)),
            absl::StatusCode::kOk);
  EXPECT_EQ(
      Access(kMemberM7Token, kEcho, AccessTarget::Member("o1", "organizations/o1/members/m8")),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Access(kMemberM7Token, kEcho, AccessTarget::Organization("o1")),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Access(kMemberM7Token, kHold, AccessTarget::Member("o1", kMemberM7)),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AuthorizerTest, ServiceOnItsOwnAccountNeedsAnExplicitPermission) {
  EXPECT_EQ(Access(kServiceToken, kEcho, AccessTarget::Organization("o1")),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Access(kServiceToken, kFailTwice, AccessTarget::Organization("o1")),
            absl::StatusCode::kOk);
}

TEST_F(AuthorizerTest, StaffAndAdminPassWhereTheirRoleIsEnough) {
  EXPECT_EQ(Access(kStaffO1Token, kHold, AccessTarget::Organization("o1")), absl::StatusCode::kOk);
  EXPECT_EQ(Access(kAdminToken, kHold, AccessTarget::Organization("o2")), absl::StatusCode::kOk);
}

TEST_F(AuthorizerTest, MethodWithoutEntryIsDenied) {
  EXPECT_EQ(Access(kAdminToken, "/fieldwork.testing.v1.ProbeService/Unlisted",
                   AccessTarget::Organization("o1")),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AuthorizerTest, ReloadPicksUpChangedFileAndKeepsTokensOnBadFile) {
  const std::string new_token = "rotated-staff-token";
  WriteTestFile(tokens_file_,
                absl::StrCat("tokens:\n  - sha256: ", Sha256Hex(new_token),
                             "\n    subject: clerk-o1\n    role: staff\n    organization: o1\n"),
                0600);
  ASSERT_TRUE(authorizer_->ReloadIfChanged().ok());
  EXPECT_TRUE(As(new_token).ok());
  EXPECT_EQ(As(kStaffO1Token).status().code(), absl::StatusCode::kUnauthenticated);

  WriteTestFile(tokens_file_, "tokens: [", 0600);
  EXPECT_FALSE(authorizer_->ReloadIfChanged().ok());
  EXPECT_TRUE(As(new_token).ok());
}

TEST(InsecureAuthorizerTest, EveryCallerIsAnAdmin) {
  std::unique_ptr<Authorizer> authorizer = Authorizer::Insecure(testing::ProbePermissions());
  absl::StatusOr<Principal> principal = authorizer->AuthenticateMetadata(ClientMetadata());
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->role, Role::kAdmin);
  EXPECT_TRUE(principal->all_organizations());
  EXPECT_TRUE(authorizer->insecure());
}

}  // namespace
}  // namespace fieldwork
