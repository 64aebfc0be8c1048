// Unit tests of the watch filters: change types, a member's own changes, drafts hidden from
// members.
#include "gtest/gtest.h"
#include "services/scheduling/change_filter.h"

namespace fieldwork::scheduling {
namespace {

constexpr char kMember[] = "organizations/o1/members/m1";

v1::Change EventChange(v1::ChangeType type, const std::string& participant,
                       v1::EventState state = v1::EVENT_STATE_SCHEDULED) {
  v1::Change change;
  change.set_change_type(type);
  change.set_resource("organizations/o1/events/e1");
  change.mutable_event()->set_state(state);
  change.mutable_event()->add_resolved_participants()->set_member(participant);
  return change;
}

TEST(ChangeFilterTest, EmptyFilterPassesEverything) {
  EXPECT_TRUE(Matches(EventChange(v1::CHANGE_TYPE_EVENT_CREATED, "x"), ChangeFilter()));
}

TEST(ChangeFilterTest, TypesFilterByChangeType) {
  ChangeFilter filter;
  filter.types = {v1::CHANGE_TYPE_EVENT_CANCELLED};
  EXPECT_FALSE(Matches(EventChange(v1::CHANGE_TYPE_EVENT_CREATED, kMember), filter));
  EXPECT_TRUE(Matches(EventChange(v1::CHANGE_TYPE_EVENT_CANCELLED, kMember), filter));
}

TEST(ChangeFilterTest, MemberSeesItsEventsHoldsBusyBlocksAndRecordOnly) {
  ChangeFilter filter;
  filter.member = kMember;
  EXPECT_TRUE(Matches(EventChange(v1::CHANGE_TYPE_EVENT_CREATED, kMember), filter));
  EXPECT_FALSE(
      Matches(EventChange(v1::CHANGE_TYPE_EVENT_CREATED, "organizations/o1/members/m10"), filter));

  v1::Change hold;
  hold.mutable_hold()->add_resolved_members(kMember);
  EXPECT_TRUE(Matches(hold, filter));

  v1::Change block;
  block.set_resource(std::string(kMember) + "/busyBlocks/b1");
  block.mutable_busy_block();
  EXPECT_TRUE(Matches(block, filter));
  block.set_resource("organizations/o1/members/m10/busyBlocks/b1");
  EXPECT_FALSE(Matches(block, filter));

  v1::Change record;
  record.set_resource(kMember);
  record.mutable_member();
  EXPECT_TRUE(Matches(record, filter));

  v1::Change venue;
  venue.mutable_venue();
  EXPECT_FALSE(Matches(venue, filter));
}

TEST(ChangeFilterTest, DraftsAreHiddenWhenAsked) {
  ChangeFilter filter;
  filter.hide_drafts = true;
  EXPECT_FALSE(
      Matches(EventChange(v1::CHANGE_TYPE_EVENT_CREATED, kMember, v1::EVENT_STATE_DRAFT), filter));
  EXPECT_TRUE(Matches(EventChange(v1::CHANGE_TYPE_EVENT_SCHEDULED, kMember), filter));
}

}  // namespace
}  // namespace fieldwork::scheduling
