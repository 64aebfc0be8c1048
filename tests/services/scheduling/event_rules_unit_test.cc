// Unit tests of the pure event rules: participant resolution, what counts as a booking change,
// and itinerary checks (no Redis).
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "gtest/gtest.h"
#include "services/scheduling/event_rules.h"

namespace fieldwork::scheduling {
namespace {

absl::Time RulesAt(int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2030, 1, 7, hour, minute), absl::UTCTimeZone());
}

v1::Event Draft() {
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
  event.set_title("乡村振兴专题调研");
  *event.mutable_time_range() = ToTimeRange({RulesAt(9), RulesAt(17)});
  v1::Participant* lead = event.add_participants();
  lead->set_member("organizations/tongguan/members/m1");
  lead->set_role(v1::PARTICIPANT_ROLE_OPTIONAL);
  return event;
}

TEST(KeepOnlyParticipantTest, KeepsOneMembersEntriesInBothLists) {
  v1::Event event = Draft();
  for (const char* member : {"m2", "m3"}) {
    v1::Participant* participant = event.add_participants();
    participant->set_member(absl::StrCat("organizations/tongguan/members/", member));
    *event.add_resolved_participants() = *participant;
  }
  KeepOnlyParticipant(event, "organizations/tongguan/members/m3");
  ASSERT_EQ(event.participants_size(), 1);
  EXPECT_EQ(event.participants(0).member(), "organizations/tongguan/members/m3");
  ASSERT_EQ(event.resolved_participants_size(), 1);
  EXPECT_EQ(event.resolved_participants(0).member(), "organizations/tongguan/members/m3");
  EXPECT_EQ(event.title(), "乡村振兴专题调研");

  KeepOnlyParticipant(event, "organizations/tongguan/members/m9");
  EXPECT_EQ(event.participants_size(), 0);
  EXPECT_EQ(event.resolved_participants_size(), 0);
}

TEST(ResolveParticipantsTest, MemberInvitedSeveralWaysGetsTheStrongestRole) {
  const std::vector<UnitMembers> units = {
      {"organizations/tongguan/units/economy",
       v1::PARTICIPANT_ROLE_REQUIRED,
       {"organizations/tongguan/members/m1", "organizations/tongguan/members/m2"}},
      {"organizations/tongguan/units/science",
       v1::PARTICIPANT_ROLE_OPTIONAL,
       {"organizations/tongguan/members/m2", "organizations/tongguan/members/m3"}}};
  const std::vector<v1::Participant> resolved = ResolveParticipants(Draft(), units);
  ASSERT_EQ(resolved.size(), 3u);
  EXPECT_EQ(resolved[0].role(), v1::PARTICIPANT_ROLE_REQUIRED);
  EXPECT_EQ(resolved[0].source_unit(), "organizations/tongguan/units/economy");
  EXPECT_EQ(resolved[1].role(), v1::PARTICIPANT_ROLE_REQUIRED);
  EXPECT_EQ(resolved[2].role(), v1::PARTICIPANT_ROLE_OPTIONAL);
  EXPECT_EQ(resolved[2].source_unit(), "organizations/tongguan/units/science");
}

TEST(ResolveParticipantsTest, DirectLeadStaysLead) {
  v1::Event event = Draft();
  event.mutable_participants(0)->set_role(v1::PARTICIPANT_ROLE_LEAD);
  const std::vector<v1::Participant> resolved =
      ResolveParticipants(event, {{"organizations/tongguan/units/economy",
                                   v1::PARTICIPANT_ROLE_REQUIRED,
                                   {"organizations/tongguan/members/m1"}}});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].role(), v1::PARTICIPANT_ROLE_LEAD);
  EXPECT_EQ(resolved[0].source_unit(), "");
}

TEST(ChangesBookingTest, TimeAndPeopleChangeTheBookingTitleDoesNot) {
  const v1::Event before = Draft();
  v1::Event retitled = before;
  retitled.set_title("新标题");
  EXPECT_FALSE(ChangesBooking(before, retitled));
  EXPECT_TRUE(OnlyNotesChanged(before, before));
  EXPECT_FALSE(OnlyNotesChanged(before, retitled));
  v1::Event moved = before;
  *moved.mutable_time_range() = ToTimeRange({RulesAt(10), RulesAt(17)});
  EXPECT_TRUE(ChangesBooking(before, moved));
  EXPECT_TRUE(ChangesSequence(before, moved));
  v1::Event promoted = before;
  promoted.mutable_participants(0)->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
  EXPECT_TRUE(ChangesBooking(before, promoted));
  EXPECT_FALSE(ChangesSequence(before, promoted));
}

TEST(CheckEventFieldsTest, ItineraryStopsMustFollowEachOtherInsideTheEvent) {
  v1::Event event = Draft();
  for (auto [start, end] :
       {std::pair{RulesAt(9), RulesAt(11)}, std::pair{RulesAt(10, 30), RulesAt(12)},
        std::pair{RulesAt(16), RulesAt(18)}}) {
    v1::ItineraryStop* stop = event.add_itinerary();
    stop->set_venue("organizations/tongguan/venues/plant");
    *stop->mutable_time_range() = ToTimeRange({start, end});
  }
  FieldErrors errors;
  const std::vector<Reference> references = CheckEventFields("event", event, "tongguan", errors);
  const absl::Status status = errors.ToStatus();
  EXPECT_NE(status.message().find("event.itinerary[1].time_range: must start at or after"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("event.itinerary[2].time_range: must lie inside"),
            std::string::npos)
      << status;
  EXPECT_EQ(references.size(), 4u);  // the member and three stops
}

TEST(CheckEventFieldsTest, ReferencesToAnotherOrganizationAreRefused) {
  v1::Event event = Draft();
  event.set_venue("organizations/jiaoqu/venues/hall");
  FieldErrors errors;
  CheckEventFields("event", event, "tongguan", errors);
  EXPECT_NE(errors.ToStatus().message().find("event.venue: must belong to"), std::string::npos);
}

}  // namespace
}  // namespace fieldwork::scheduling
