// Unit tests of resource name parsing, formatting and id rules
// (services/scheduling/resource_names.h).
#include <gtest/gtest.h>

#include <string>

#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

TEST(ResourceNamesTest, MemberNameRoundTrips) {
  const std::string name = FormatMemberName("tongguan", "2023-017");
  EXPECT_EQ(name, "organizations/tongguan/members/2023-017");
  absl::StatusOr<ChildName> parsed = ParseMemberName(name);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->organization, "tongguan");
  EXPECT_EQ(parsed->id, "2023-017");
}

TEST(ResourceNamesTest, EveryCollectionParsesOnlyItsOwnNames) {
  EXPECT_TRUE(ParseUnitName(FormatUnitName("o1", "u1")).ok());
  EXPECT_TRUE(ParseVenueName(FormatVenueName("o1", "v1")).ok());
  EXPECT_TRUE(ParseEventName(FormatEventName("o1", "e1")).ok());
  EXPECT_TRUE(ParseHoldName(FormatHoldName("o1", "h1")).ok());
  EXPECT_FALSE(ParseMemberName(FormatUnitName("o1", "u1")).ok());
  EXPECT_FALSE(ParseVenueName(FormatEventName("o1", "e1")).ok());
}

TEST(ResourceNamesTest, OrganizationNameRoundTrips) {
  absl::StatusOr<std::string> parsed = ParseOrganizationName(FormatOrganizationName("tongguan"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, "tongguan");
}

TEST(ResourceNamesTest, BusyBlockNameRoundTrips) {
  const std::string name = FormatBusyBlockName("o1", "m7", "b2");
  EXPECT_EQ(name, "organizations/o1/members/m7/busyBlocks/b2");
  absl::StatusOr<BusyBlockName> parsed = ParseBusyBlockName(name);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->organization, "o1");
  EXPECT_EQ(parsed->member, "m7");
  EXPECT_EQ(parsed->id, "b2");
}

TEST(ResourceNamesTest, RejectsMalformedNames) {
  for (const char* name :
       {"", "organizations", "organizations/", "organizations/o1/members",
        "organizations/o1/members/", "organizations/o1/members/m1/", "/organizations/o1/members/m1",
        "organization/o1/members/m1", "organizations/O1/members/m1", "organizations/1o/members/m1",
        "organizations/o1/members/M1", "organizations/o1/members/-m1",
        "organizations/o1/members/m1-", "organizations/o1/members/m_1",
        "organizations/o1/members/m1/busyBlocks/b1"}) {
    EXPECT_FALSE(ParseMemberName(name).ok()) << name;
  }
  EXPECT_FALSE(ParseOrganizationName("organizations/o1/members/m1").ok());
  EXPECT_FALSE(ParseOrganizationName("organizations/9lives").ok());
  EXPECT_FALSE(ParseBusyBlockName("organizations/o1/members/m1/busyBlocks/").ok());
  EXPECT_FALSE(ParseBusyBlockName("organizations/o1/members/m1/busyBlocks/b1/x").ok());
}

TEST(ResourceNamesTest, IdRules) {
  EXPECT_TRUE(ValidateId("a").ok());
  EXPECT_TRUE(ValidateId("2023-017").ok());
  EXPECT_TRUE(ValidateId(std::string(63, 'x')).ok());
  EXPECT_FALSE(ValidateId(std::string(64, 'x')).ok());
  EXPECT_FALSE(ValidateId("").ok());
  EXPECT_FALSE(ValidateId("a--").ok());
  EXPECT_FALSE(ValidateId("王").ok());
  EXPECT_TRUE(ValidateOrganizationId("tongguan").ok());
  EXPECT_FALSE(ValidateOrganizationId("2tongguan").ok());
}

TEST(ResourceNamesTest, NewResourceIdIsAValidSixteenCharacterId) {
  const std::string first = NewResourceId();
  EXPECT_EQ(first.size(), 16u);
  EXPECT_TRUE(ValidateId(first).ok()) << first;
  EXPECT_NE(first, NewResourceId());
}

}  // namespace
}  // namespace fieldwork::scheduling
