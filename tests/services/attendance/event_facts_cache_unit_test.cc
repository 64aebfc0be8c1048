// Unit tests of the per-replica event facts cache: off at zero TTL, entries expire, and a member
// learns from a cached event only what scheduling would tell it.
#include <gtest/gtest.h>

#include <memory>

#include "services/attendance/event_facts_cache.h"
#include "tests/services/attendance/attendance_unit_test_support.h"

namespace fieldwork::attendance {
namespace {

using ::fieldwork::attendance::testing::MorningInspection;

TEST(EventFactsCacheTest, ZeroTtlKeepsNothing) {
  EventFactsCache cache(absl::ZeroDuration());
  const absl::Time now = absl::FromUnixSeconds(1000);
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  EXPECT_FALSE(cache.Get(MorningInspection().event_name, now) != nullptr);
}

TEST(EventFactsCacheTest, EntriesExpireAfterTheTtl) {
  EventFactsCache cache(absl::Seconds(1));
  const absl::Time now = absl::FromUnixSeconds(1000);
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  const std::string name = MorningInspection().event_name;
  ASSERT_TRUE(cache.Get(name, now + absl::Milliseconds(999)) != nullptr);
  EXPECT_EQ(cache.Get(name, now)->members, MorningInspection().members);
  EXPECT_FALSE(cache.Get(name, now + absl::Seconds(1)) != nullptr);
  EXPECT_FALSE(cache.Get("organizations/tongguan/events/other", now) != nullptr);
}

TEST(EventFactsCacheTest, StartsOverWhenFull) {
  EventFactsCache cache(absl::Seconds(10), 1);
  const absl::Time now = absl::FromUnixSeconds(1000);
  EventFacts other = MorningInspection();
  other.event_name = "organizations/tongguan/events/e2";
  cache.Put(std::make_shared<const EventFacts>(MorningInspection()), now);
  cache.Put(std::make_shared<const EventFacts>(other), now);
  EXPECT_FALSE(cache.Get(MorningInspection().event_name, now) != nullptr);
  EXPECT_TRUE(cache.Get(other.event_name, now) != nullptr);
}

TEST(MemberViewTest, MemberSeesOnlyNonDraftEventsItTakesPartIn) {
  EventFacts event = MorningInspection();
  Principal member{"organizations/tongguan/members/m2", Role::kMember, "tongguan", ""};
  EXPECT_TRUE(MemberView(member, event).ok());
  Principal stranger{"organizations/tongguan/members/m9", Role::kMember, "tongguan", ""};
  EXPECT_TRUE(absl::IsNotFound(MemberView(stranger, event)));
  Principal staff{"staff-a", Role::kStaff, "tongguan", ""};
  EXPECT_TRUE(MemberView(staff, event).ok());
  event.state = fieldwork::scheduling::v1::EVENT_STATE_DRAFT;
  EXPECT_TRUE(absl::IsNotFound(MemberView(member, event)));
}

}  // namespace
}  // namespace fieldwork::attendance
