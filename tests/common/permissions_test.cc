// Permission values and the coverage check the runner applies at start-up (common/permissions.h).
#include "common/permissions.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"

namespace fieldwork {
namespace {

constexpr char kHealth[] = "grpc.health.v1.Health";

TEST(PermissionTest, AtLeastIncludesEveryHigherRole) {
  const Permission staff = Permission::AtLeast(Role::kStaff);
  EXPECT_TRUE(staff.allows(Role::kAdmin));
  EXPECT_TRUE(staff.allows(Role::kOrgAdmin));
  EXPECT_TRUE(staff.allows(Role::kStaff));
  EXPECT_FALSE(staff.allows(Role::kMember));
  EXPECT_FALSE(staff.allows(Role::kService));
  EXPECT_FALSE(staff.member_self());
  EXPECT_TRUE(staff.OrService().allows(Role::kService));
  EXPECT_TRUE(staff.OrMemberSelf().member_self());
  EXPECT_FALSE(staff.OrMemberSelf().allows(Role::kMember));
}

TEST(PermissionTest, RolesAllowsExactlyTheListedRoles) {
  const Permission permission = Permission::Roles({Role::kOrgAdmin, Role::kService});
  EXPECT_FALSE(permission.allows(Role::kAdmin));
  EXPECT_TRUE(permission.allows(Role::kOrgAdmin));
  EXPECT_TRUE(permission.allows(Role::kService));
  EXPECT_FALSE(permission.is_public());
  EXPECT_TRUE(Permission::Public().is_public());
}

TEST(PermissionCoverageTest, CompleteTableIsAccepted) {
  const PermissionTable table = {{"/grpc.health.v1.Health/Check", Permission::Public()},
                                 {"/grpc.health.v1.Health/Watch", Permission::Public()}};
  EXPECT_TRUE(CheckPermissionCoverage({kHealth}, table).ok());
}

TEST(PermissionCoverageTest, MethodWithoutEntryIsNamed) {
  const PermissionTable table = {{"/grpc.health.v1.Health/Check", Permission::Public()}};
  const absl::Status status = CheckPermissionCoverage({kHealth}, table);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(status.message(), "/grpc.health.v1.Health/Watch")) << status;
}

TEST(PermissionCoverageTest, EntryForAMethodNotServedIsNamed) {
  PermissionTable table = testing::ProbePermissions();
  table.emplace("/fieldwork.testing.v1.ProbeService/Ech0", Permission::AtLeast(Role::kStaff));
  const absl::Status status = CheckPermissionCoverage({"fieldwork.testing.v1.ProbeService"}, table);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(status.message(), "Ech0")) << status;
}

TEST(PermissionCoverageTest, ProbeTableCoversProbeService) {
  EXPECT_TRUE(
      CheckPermissionCoverage({"fieldwork.testing.v1.ProbeService"}, testing::ProbePermissions())
          .ok());
}

TEST(PermissionCoverageTest, UnknownServiceIsNotFound) {
  EXPECT_EQ(CheckPermissionCoverage({"fieldwork.nothing.v1.Nothing"}, {}).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fieldwork
