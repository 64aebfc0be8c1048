// Fixture of the calendar RPC tests (see calendar_fixture.h).
#include "tests/services/scheduling/calendar_fixture.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace fieldwork::testing {
namespace {

google::protobuf::Timestamp Timestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(t));
}

}  // namespace

void CalendarFixture::SetUp() {
  SchedulingFixture::SetUp();
  if (HasFatalFailure()) return;
  CreateOrganizationOrDie(kOrgA);
}

absl::Time CalendarFixture::Monday(int hh, int mm, int days) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    absl::LoadTimeZone("Asia/Shanghai", &loaded);
    return loaded;
  }();
  return absl::FromCivil(absl::CivilMinute(2030, 1, 7 + days, hh, mm), zone);
}

fieldwork::common::v1::TimeRange CalendarFixture::Range(absl::Time start, absl::Time end) {
  fieldwork::common::v1::TimeRange range;
  *range.mutable_start_time() = Timestamp(start);
  *range.mutable_end_time() = Timestamp(end);
  return range;
}

std::string CalendarFixture::MemberName(absl::string_view id) {
  return absl::StrCat("organizations/", kOrgA, "/members/", id);
}
std::string CalendarFixture::UnitName(absl::string_view id) {
  return absl::StrCat("organizations/", kOrgA, "/units/", id);
}
std::string CalendarFixture::VenueName(absl::string_view id) {
  return absl::StrCat("organizations/", kOrgA, "/venues/", id);
}

std::string CalendarFixture::CreateMember(absl::string_view id,
                                          const std::vector<std::string>& units, bool active) {
  v1::CreateMemberRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_member_id(std::string(id));
  request.mutable_member()->set_display_name(absl::StrCat("委员", id));
  request.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
  request.mutable_member()->set_status(active ? v1::MEMBER_STATUS_ACTIVE
                                              : v1::MEMBER_STATUS_INACTIVE);
  for (const std::string& unit : units) request.mutable_member()->add_units(unit);
  v1::Member member;
  const grpc::Status status = Call(&Roster::CreateMember, kStaffA, request, &member);
  EXPECT_TRUE(status.ok()) << "CreateMember " << id << ": " << Describe(status);
  return member.name();
}

std::string CalendarFixture::CreateUnit(absl::string_view id) {
  v1::CreateUnitRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_unit_id(std::string(id));
  request.mutable_unit()->set_display_name(absl::StrCat("界别", id));
  request.mutable_unit()->set_kind(v1::UNIT_KIND_SECTOR);
  v1::Unit unit;
  const grpc::Status status = Call(&Roster::CreateUnit, kStaffA, request, &unit);
  EXPECT_TRUE(status.ok()) << "CreateUnit " << id << ": " << Describe(status);
  return unit.name();
}

std::string CalendarFixture::CreateVenue(absl::string_view id, bool exclusive, int capacity) {
  v1::CreateVenueRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_venue_id(std::string(id));
  request.mutable_venue()->set_display_name(absl::StrCat("会议室", id));
  request.mutable_venue()->set_kind(v1::VENUE_KIND_OFFICE);
  request.mutable_venue()->set_exclusive(exclusive);
  request.mutable_venue()->set_capacity(capacity);
  v1::Venue venue;
  const grpc::Status status = Call(&Roster::CreateVenue, kStaffA, request, &venue);
  EXPECT_TRUE(status.ok()) << "CreateVenue " << id << ": " << Describe(status);
  return venue.name();
}

v1::Event CalendarFixture::CreateEvent(absl::string_view title, absl::Time start, absl::Time end,
                                       const std::vector<std::string>& required,
                                       absl::string_view venue) {
  v1::CreateEventRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  v1::Event& event = *request.mutable_event();
  event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
  event.set_title(std::string(title));
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range() = Range(start, end);
  event.set_venue(std::string(venue));
  for (const std::string& member : required) {
    v1::Participant& participant = *event.add_participants();
    participant.set_member(member);
    participant.set_role(v1::PARTICIPANT_ROLE_REQUIRED);
  }
  v1::CreateEventResponse response;
  const grpc::Status status = Call(&Scheduling::CreateEvent, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "CreateEvent " << title << ": " << Describe(status);
  return response.event();
}

v1::Hold CalendarFixture::CreateHold(absl::Time start, absl::Time end,
                                     const std::vector<std::string>& members, absl::Duration ttl) {
  v1::CreateHoldRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  for (const std::string& member : members) request.mutable_hold()->add_members(member);
  *request.mutable_hold()->mutable_time_range() = Range(start, end);
  request.mutable_hold()->mutable_ttl()->set_seconds(absl::ToInt64Seconds(ttl));
  v1::Hold hold;
  const grpc::Status status = Call(&Scheduling::CreateHold, kStaffA, request, &hold);
  EXPECT_TRUE(status.ok()) << "CreateHold: " << Describe(status);
  return hold;
}

v1::BusyBlock CalendarFixture::CreateBusyBlock(absl::string_view member, absl::Time start,
                                               absl::Time end) {
  v1::CreateBusyBlockRequest request;
  request.set_parent(std::string(member));
  *request.mutable_busy_block()->mutable_time_range() = Range(start, end);
  request.mutable_busy_block()->set_reason("出差");
  v1::BusyBlock block;
  const grpc::Status status = Call(&Scheduling::CreateBusyBlock, kStaffA, request, &block);
  EXPECT_TRUE(status.ok()) << "CreateBusyBlock: " << Describe(status);
  return block;
}

}  // namespace fieldwork::testing
