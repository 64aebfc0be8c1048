// Roles, principal validation and the forwarded-identity format (common/principal.h).
#include "common/principal.h"

#include "gtest/gtest.h"

namespace fieldwork {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (const Role role :
       {Role::kAdmin, Role::kOrgAdmin, Role::kStaff, Role::kMember, Role::kService}) {
    absl::StatusOr<Role> parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok()) << RoleName(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(RoleName(Role::kOrgAdmin), "org-admin");
  EXPECT_FALSE(ParseRole("root").ok());
}

TEST(OnBehalfOfTest, RoundTripsAMember) {
  const Principal member{"organizations/o1/members/m7", Role::kMember, "o1", ""};
  const std::string text = FormatOnBehalfOf(member);
  EXPECT_EQ(text, "role=member;organization=o1;subject=organizations/o1/members/m7");
  absl::StatusOr<Principal> parsed = ParseOnBehalfOf(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->subject, member.subject);
  EXPECT_EQ(parsed->role, Role::kMember);
  EXPECT_EQ(parsed->organization, "o1");
}

TEST(OnBehalfOfTest, RejectsMalformedAndServiceIdentities) {
  for (const char* text : {
           "",
           "role=staff;organization=o1",
           "organization=o1;role=staff;subject=clerk",
           "role=staff;organization=o1;subject=",
           "role=root;organization=o1;subject=clerk",
           "role=service;organization=*;subject=svc",
           "role=admin;organization=o1;subject=clerk",
           "role=member;organization=o1;subject=organizations/o2/members/m7",
       }) {
    EXPECT_FALSE(ParseOnBehalfOf(text).ok()) << text;
  }
}

TEST(ValidatePrincipalTest, MemberMustBeItsOrganizationsMember) {
  EXPECT_TRUE(ValidatePrincipal({"organizations/o1/members/m7", Role::kMember, "o1", ""}).ok());
  EXPECT_FALSE(ValidatePrincipal({"organizations/o1/members/", Role::kMember, "o1", ""}).ok());
  EXPECT_FALSE(ValidatePrincipal({"organizations/o1/members/m7/x", Role::kMember, "o1", ""}).ok());
  EXPECT_FALSE(ValidatePrincipal({"m7", Role::kMember, "o1", ""}).ok());
}

}  // namespace
}  // namespace fieldwork
