// RosterService RPCs against the real fieldwork-scheduling binary and a real Redis over gRPC:
// members, units and venues (create, read, list with filters and pages, update with masks,
// delete, forced delete), ImportMembers all-or-nothing, field rules, retries with the same
// request_id, member-self access and tenant isolation.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "services/scheduling/roster_store.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

using Empty = google::protobuf::Empty;
using Fields = std::vector<std::string>;

std::string MemberName(absl::string_view org, absl::string_view id) {
  return absl::StrCat("organizations/", org, "/members/", id);
}
std::string UnitName(absl::string_view org, absl::string_view id) {
  return absl::StrCat("organizations/", org, "/units/", id);
}
std::string VenueName(absl::string_view org, absl::string_view id) {
  return absl::StrCat("organizations/", org, "/venues/", id);
}

v1::Member NewMember(absl::string_view display_name = "王建国") {
  v1::Member member;
  member.set_display_name(std::string(display_name));
  member.set_role(v1::MEMBER_ROLE_MEMBER);
  return member;
}

class RosterRpcTest : public SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateOrganizationOrDie(kOrgA);
    CreateOrganizationOrDie(kOrgB, "郊区政协");
  }

  grpc::Status CreateMember(const v1::Member& member, absl::string_view id, v1::Member* out,
                            absl::string_view token = kStaffA, absl::string_view org = kOrgA,
                            absl::string_view request_id = "") {
    v1::CreateMemberRequest request;
    request.set_parent(absl::StrCat("organizations/", org));
    *request.mutable_member() = member;
    request.set_member_id(std::string(id));
    request.set_request_id(std::string(request_id));
    return Call(&Roster::CreateMember, token, request, out);
  }

  v1::Member CreateMemberOrDie(absl::string_view id, v1::Member member = NewMember()) {
    v1::Member created;
    const grpc::Status status = CreateMember(member, id, &created);
    EXPECT_TRUE(status.ok()) << "CreateMember " << id << ": " << Describe(status);
    return created;
  }

  v1::Unit CreateUnitOrDie(absl::string_view id, v1::UnitKind kind,
                           std::vector<std::string> components = {}) {
    v1::CreateUnitRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.set_unit_id(std::string(id));
    request.mutable_unit()->set_display_name(absl::StrCat("单位", id));
    request.mutable_unit()->set_kind(kind);
    for (const std::string& component : components) {
      request.mutable_unit()->add_component_units(UnitName(kOrgA, component));
    }
    v1::Unit created;
    const grpc::Status status = Call(&Roster::CreateUnit, kStaffA, request, &created);
    EXPECT_TRUE(status.ok()) << "CreateUnit " << id << ": " << Describe(status);
    return created;
  }

  v1::Venue CreateVenueOrDie(absl::string_view id, bool exclusive = false) {
    v1::CreateVenueRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.set_venue_id(std::string(id));
    request.mutable_venue()->set_display_name("高新技术产业园");
    request.mutable_venue()->set_kind(v1::VENUE_KIND_INDUSTRIAL_PARK);
    request.mutable_venue()->set_exclusive(exclusive);
    v1::Venue created;
    const grpc::Status status = Call(&Roster::CreateVenue, kStaffA, request, &created);
    EXPECT_TRUE(status.ok()) << "CreateVenue " << id << ": " << Describe(status);
    return created;
  }

  // Books a SCHEDULED event a week ahead with `members` required, at `venue` (may be "") and
  // organized by `unit` (may be "").
  v1::Event BookEventOrDie(absl::string_view id, const std::vector<std::string>& members,
                           absl::string_view venue = "", absl::string_view unit = "") {
    v1::CreateEventRequest create;
    create.set_parent(absl::StrCat("organizations/", kOrgA));
    create.set_event_id(std::string(id));
    v1::Event* event = create.mutable_event();
    event->set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
    event->set_title("关于优化营商环境的专题调研");
    event->set_state(v1::EVENT_STATE_SCHEDULED);
    event->set_venue(std::string(venue));
    event->set_organizing_unit(std::string(unit));
    const int64_t start = absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 7)) / 3600 * 3600;
    event->mutable_time_range()->mutable_start_time()->set_seconds(start);
    event->mutable_time_range()->mutable_end_time()->set_seconds(start + 3 * 3600);
    for (const std::string& member : members) {
      v1::Participant* participant = event->add_participants();
      participant->set_member(member);
      participant->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
    }
    v1::CreateEventResponse created;
    const grpc::Status status = Call(&Scheduling::CreateEvent, kStaffA, create, &created);
    EXPECT_TRUE(status.ok()) << "CreateEvent " << id << ": " << Describe(status);
    return created.event();
  }

  grpc::Status GetMember(absl::string_view name, v1::Member* out,
                         absl::string_view token = kStaffA) {
    v1::GetMemberRequest request;
    request.set_name(std::string(name));
    return Call(&Roster::GetMember, token, request, out);
  }

  // The member names of every page of `request`, following next_page_token.
  std::vector<std::string> ListAllMembers(v1::ListMembersRequest request, int* pages = nullptr,
                                          int* total = nullptr) {
    std::vector<std::string> names;
    int count = 0;
    do {
      v1::ListMembersResponse response;
      const grpc::Status status = Call(&Roster::ListMembers, kStaffA, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      for (const v1::Member& member : response.members()) names.push_back(member.name());
      if (total != nullptr) *total = response.total_size();
      request.set_page_token(response.next_page_token());
      ++count;
    } while (!request.page_token().empty() && count < 100);
    if (pages != nullptr) *pages = count;
    return names;
  }

  std::vector<std::string> MembersOfUnit(absl::string_view unit_id) {
    v1::ListMembersRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.set_unit(UnitName(kOrgA, unit_id));
    return ListAllMembers(request);
  }

  // The fields a CreateMember of `member` is refused for; checks nothing was written.
  Fields CreateMemberViolations(const v1::Member& member, absl::string_view id = "m1") {
    v1::Member created;
    const grpc::Status status = CreateMember(member, id, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    v1::ListMembersRequest list;
    list.set_parent(absl::StrCat("organizations/", kOrgA));
    EXPECT_TRUE(ListAllMembers(list).empty());
    return ViolationFields(status);
  }

  int64_t ChangeCount() {
    absl::StatusOr<std::string> length =
        redis().Command({"XLEN", absl::StrCat("fw:{", kOrgA, "}:changes")});
    EXPECT_TRUE(length.ok()) << length.status();
    return length.ok() ? std::stoll(*length) : -1;
  }
};

// --- Members -------------------------------------------------------------------------------

TEST_F(RosterRpcTest, CreatesMemberWithChosenOrRandomId) {
  v1::Member member = NewMember();
  member.set_phone("+86 139-0000-0000");
  member.mutable_term()->set_label("第十届");
  const v1::Member chosen = CreateMemberOrDie("2023-017", member);
  EXPECT_EQ(chosen.name(), MemberName(kOrgA, "2023-017"));
  EXPECT_EQ(chosen.status(), v1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(chosen.display_name(), "王建国");
  EXPECT_GT(chosen.create_time().seconds(), 0);

  v1::Member random;
  ASSERT_TRUE(CreateMember(NewMember("李华"), "", &random).ok());
  EXPECT_EQ(random.name().size(), MemberName(kOrgA, "").size() + 16);

  v1::Member read;
  ASSERT_TRUE(GetMember(chosen.name(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), chosen.SerializeAsString());
  EXPECT_EQ(ChangeCount(), 2);
}

TEST_F(RosterRpcTest, CreateMemberRefusesTakenId) {
  CreateMemberOrDie("m1");
  v1::Member again;
  const grpc::Status status = CreateMember(NewMember("另一个"), "m1", &again);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_ALREADY_EXISTS");
}

TEST_F(RosterRpcTest, CreateMemberRefusesEachBadField) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("joint", v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"econ"});
  struct Case {
    std::string field;
    std::function<void(v1::Member&)> spoil;
  };
  const std::vector<Case> cases = {
      {"member.display_name", [](v1::Member& m) { m.clear_display_name(); }},
      {"member.display_name", [](v1::Member& m) { m.set_display_name(std::string(51, 'x')); }},
      {"member.role", [](v1::Member& m) { m.clear_role(); }},
      {"member.role", [](v1::Member& m) { m.set_role(static_cast<v1::MemberRole>(99)); }},
      {"member.status", [](v1::Member& m) { m.set_status(static_cast<v1::MemberStatus>(7)); }},
      {"member.units[0]", [](v1::Member& m) { m.add_units("units/econ"); }},
      {"member.units[0]", [](v1::Member& m) { m.add_units(UnitName(kOrgB, "econ")); }},
      {"member.units[0]", [](v1::Member& m) { m.add_units(UnitName(kOrgA, "nowhere")); }},
      {"member.units[0]", [](v1::Member& m) { m.add_units(UnitName(kOrgA, "joint")); }},
      {"member.units[1]",
       [](v1::Member& m) {
         m.add_units(UnitName(kOrgA, "econ"));
         m.add_units(UnitName(kOrgA, "econ"));
       }},
      {"member.units",
       [](v1::Member& m) {
         for (int i = 0; i < 21; ++i) m.add_units(UnitName(kOrgA, absl::StrCat("u", i)));
       }},
      {"member.term.label",
       [](v1::Member& m) { m.mutable_term()->set_label(std::string(21, 'x')); }},
      {"member.term.start_date.day",
       [](v1::Member& m) {
         auto* date = m.mutable_term()->mutable_start_date();
         date->set_year(2023);
         date->set_month(2);
         date->set_day(29);
       }},
      {"member.term.end_date",
       [](v1::Member& m) {
         auto* start = m.mutable_term()->mutable_start_date();
         start->set_year(2023);
         start->set_month(1);
         start->set_day(10);
         auto* end = m.mutable_term()->mutable_end_date();
         end->set_year(2022);
         end->set_month(1);
         end->set_day(10);
       }},
      {"member.phone", [](v1::Member& m) { m.set_phone("call me"); }},
      {"member.phone", [](v1::Member& m) { m.set_phone(std::string(21, '1')); }},
      {"member.affiliation", [](v1::Member& m) { m.set_affiliation(std::string(101, 'x')); }},
  };
  for (const Case& test : cases) {
    v1::Member member = NewMember();
    test.spoil(member);
    const Fields fields = CreateMemberViolations(member);
    ASSERT_FALSE(fields.empty()) << test.field;
    EXPECT_EQ(fields.front(), test.field) << test.field;
  }
  EXPECT_EQ(CreateMemberViolations(NewMember(), "Bad_Id"), Fields{"member_id"});
  EXPECT_EQ(ChangeCount(), 2);  // the two units only
}

TEST_F(RosterRpcTest, CreateMemberRefusesBadParentAndMissingOrganization) {
  v1::CreateMemberRequest request;
  request.set_parent("tongguan");
  *request.mutable_member() = NewMember();
  v1::Member created;
  grpc::Status status = Call(&Roster::CreateMember, kAdmin, request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), Fields{"parent"});
  request.set_parent("organizations/nowhere");
  status = Call(&Roster::CreateMember, kAdmin, request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
}

TEST_F(RosterRpcTest, AnotherOrganizationsStaffSeesNothing) {
  const v1::Member member = CreateMemberOrDie("m1");
  v1::Member read;
  EXPECT_EQ(GetMember(member.name(), &read, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CreateMember(NewMember(), "m2", &read, kStaffB, kOrgA).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListMembersRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  v1::ListMembersResponse listed;
  EXPECT_EQ(Call(&Roster::ListMembers, kStaffB, list, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::UpdateMemberRequest update;
  *update.mutable_member() = member;
  update.mutable_update_mask()->add_paths("phone");
  EXPECT_EQ(Call(&Roster::UpdateMember, kOrgAdminB, update, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::DeleteMemberRequest remove;
  remove.set_name(member.name());
  Empty empty;
  EXPECT_EQ(Call(&Roster::DeleteMember, kStaffB, remove, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(GetMember(member.name(), &read).ok());
}

TEST_F(RosterRpcTest, MemberReadsAndChangesOnlyItsOwnPhone) {
  const v1::Member self = CreateMemberOrDie("m1");
  const v1::Member other = CreateMemberOrDie("m2");
  v1::Member read;
  EXPECT_TRUE(GetMember(self.name(), &read, kMemberA1).ok());
  EXPECT_EQ(GetMember(other.name(), &read, kMemberA1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::UpdateMemberRequest update;
  update.mutable_member()->set_name(self.name());
  update.mutable_member()->set_phone("13900000000");
  update.mutable_member()->set_display_name("篡改");
  update.mutable_update_mask()->add_paths("phone");
  v1::Member updated;
  const grpc::Status status = Call(&Roster::UpdateMember, kMemberA1, update, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(updated.phone(), "13900000000");
  EXPECT_EQ(updated.display_name(), "王建国");

  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(Call(&Roster::UpdateMember, kMemberA1, update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  update.mutable_member()->set_name(other.name());
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("phone");
  EXPECT_EQ(Call(&Roster::UpdateMember, kMemberA1, update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListMembersRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  v1::ListMembersResponse listed;
  EXPECT_EQ(Call(&Roster::ListMembers, kMemberA1, list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RosterRpcTest, ListMembersPagesInIdOrder) {
  for (int i = 24; i >= 0; --i) CreateMemberOrDie(absl::StrCat("m", i < 10 ? "0" : "", i));
  v1::ListMembersRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_page_size(10);
  int pages = 0;
  int total = 0;
  const std::vector<std::string> names = ListAllMembers(request, &pages, &total);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(total, 25);
  ASSERT_EQ(names.size(), 25u);
  EXPECT_EQ(names.front(), MemberName(kOrgA, "m00"));
  EXPECT_EQ(names.back(), MemberName(kOrgA, "m24"));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(RosterRpcTest, ListMembersRefusesTokenOfOtherFiltersAndBadPageSize) {
  for (int i = 0; i < 3; ++i) CreateMemberOrDie(absl::StrCat("m", i));
  v1::ListMembersRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_page_size(1);
  v1::ListMembersResponse response;
  ASSERT_TRUE(Call(&Roster::ListMembers, kStaffA, request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.set_role(v1::MEMBER_ROLE_CHAIR);
  grpc::Status status = Call(&Roster::ListMembers, kStaffA, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), Fields{"page_token"});

  for (const int size : {-1, 1001}) {
    v1::ListMembersRequest bad;
    bad.set_parent(absl::StrCat("organizations/", kOrgA));
    bad.set_page_size(size);
    status = Call(&Roster::ListMembers, kStaffA, bad, &response);
    EXPECT_EQ(ViolationFields(status), Fields{"page_size"}) << size;
  }
  v1::ListMembersRequest bad_unit;
  bad_unit.set_parent(absl::StrCat("organizations/", kOrgA));
  bad_unit.set_unit(UnitName(kOrgA, "nowhere"));
  status = Call(&Roster::ListMembers, kStaffA, bad_unit, &response);
  EXPECT_EQ(ViolationFields(status), Fields{"unit"});
}

TEST_F(RosterRpcTest, ListMembersFiltersByUnitRoleAndStatus) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("tech", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("joint", v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"econ", "tech"});
  v1::Member econ = NewMember();
  econ.add_units(UnitName(kOrgA, "econ"));
  CreateMemberOrDie("a", econ);
  econ.set_role(v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER);
  CreateMemberOrDie("b", econ);
  v1::Member tech = NewMember();
  tech.add_units(UnitName(kOrgA, "tech"));
  tech.set_status(v1::MEMBER_STATUS_INACTIVE);
  CreateMemberOrDie("c", tech);
  CreateMemberOrDie("d");

  EXPECT_EQ(MembersOfUnit("econ"), (Fields{MemberName(kOrgA, "a"), MemberName(kOrgA, "b")}));
  EXPECT_EQ(MembersOfUnit("joint"),
            (Fields{MemberName(kOrgA, "a"), MemberName(kOrgA, "b"), MemberName(kOrgA, "c")}));
  v1::ListMembersRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_unit(UnitName(kOrgA, "joint"));
  request.set_status(v1::MEMBER_STATUS_ACTIVE);
  int total = 0;
  EXPECT_EQ(ListAllMembers(request, nullptr, &total),
            (Fields{MemberName(kOrgA, "a"), MemberName(kOrgA, "b")}));
  EXPECT_EQ(total, 2);
  request.set_role(v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER);
  EXPECT_EQ(ListAllMembers(request), Fields{MemberName(kOrgA, "b")});
}

TEST_F(RosterRpcTest, UpdateMemberAppliesMaskAndKeepsUnitIndex) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("tech", v1::UNIT_KIND_SECTOR);
  v1::Member member = NewMember();
  member.add_units(UnitName(kOrgA, "econ"));
  const v1::Member created = CreateMemberOrDie("m1", member);

  v1::UpdateMemberRequest update;
  update.mutable_member()->set_name(created.name());
  update.mutable_member()->add_units(UnitName(kOrgA, "tech"));
  update.mutable_member()->set_display_name("不该改");
  update.mutable_update_mask()->add_paths("units");
  v1::Member updated;
  const grpc::Status status = Call(&Roster::UpdateMember, kStaffA, update, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(updated.display_name(), "王建国");
  ASSERT_EQ(updated.units_size(), 1);
  EXPECT_EQ(updated.units(0), UnitName(kOrgA, "tech"));
  EXPECT_TRUE(MembersOfUnit("econ").empty());
  EXPECT_EQ(MembersOfUnit("tech"), Fields{created.name()});
}

TEST_F(RosterRpcTest, UpdateMemberRefusesBadMasksAndValues) {
  const v1::Member created = CreateMemberOrDie("m1");
  struct Case {
    std::vector<std::string> paths;
    std::function<void(v1::Member&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{}, [](v1::Member&) {}, "update_mask"},
      {{"create_time"}, [](v1::Member&) {}, "update_mask"},
      {{"name"}, [](v1::Member&) {}, "update_mask"},
      {{"nickname"}, [](v1::Member&) {}, "update_mask"},
      {{"status"}, [](v1::Member& m) { m.clear_status(); }, "member.status"},
      {{"display_name"}, [](v1::Member& m) { m.clear_display_name(); }, "member.display_name"},
      {{"units"}, [](v1::Member& m) { m.add_units(UnitName(kOrgA, "ghost")); }, "member.units[0]"},
  };
  for (const Case& test : cases) {
    v1::UpdateMemberRequest update;
    update.mutable_member()->set_name(created.name());
    test.change(*update.mutable_member());
    for (const std::string& path : test.paths) update.mutable_update_mask()->add_paths(path);
    v1::Member updated;
    const grpc::Status status = Call(&Roster::UpdateMember, kStaffA, update, &updated);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << test.field;
    EXPECT_EQ(ViolationFields(status), Fields{test.field});
  }
  v1::Member read;
  ASSERT_TRUE(GetMember(created.name(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(RosterRpcTest, CreateMemberRetryReplaysTheFirstAnswer) {
  v1::Member first;
  ASSERT_TRUE(CreateMember(NewMember(), "", &first, kStaffA, kOrgA, "retry-1").ok());
  v1::Member second;
  const grpc::Status again = CreateMember(NewMember(), "", &second, kStaffA, kOrgA, "retry-1");
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(second.name(), first.name());
  v1::ListMembersRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  EXPECT_EQ(ListAllMembers(list), Fields{first.name()});

  const grpc::Status reused =
      CreateMember(NewMember("别人"), "", &second, kStaffA, kOrgA, "retry-1");
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(reused), Fields{"request_id"});
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
}

TEST_F(RosterRpcTest, DeleteMemberRemovesItAndItsUnitMembership) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  v1::Member member = NewMember();
  member.add_units(UnitName(kOrgA, "econ"));
  const v1::Member created = CreateMemberOrDie("m1", member);
  v1::DeleteMemberRequest request;
  request.set_name(created.name());
  request.set_request_id("delete-1");
  Empty empty;
  const grpc::Status status = Call(&Roster::DeleteMember, kStaffA, request, &empty);
  ASSERT_TRUE(status.ok()) << Describe(status);
  v1::Member read;
  EXPECT_EQ(GetMember(created.name(), &read).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(MembersOfUnit("econ").empty());
  EXPECT_TRUE(Call(&Roster::DeleteMember, kStaffA, request, &empty).ok());  // replayed
  request.set_request_id("delete-2");
  EXPECT_EQ(Call(&Roster::DeleteMember, kStaffA, request, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RosterRpcTest, DeleteMemberRefusedWhileItHasFutureBookings) {
  const v1::Member member = CreateMemberOrDie("m1");
  const v1::Event event = BookEventOrDie("trip", {member.name()});
  ASSERT_FALSE(event.name().empty());

  v1::DeleteMemberRequest request;
  request.set_name(member.name());
  Empty empty;
  const grpc::Status refused = Call(&Roster::DeleteMember, kStaffA, request, &empty);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(refused);
  EXPECT_EQ(ErrorReasonOf(refused), "ERROR_REASON_HAS_FUTURE_EVENTS");
  const auto conflicts = ConflictsOf(refused);
  ASSERT_EQ(conflicts.conflicts_size(), 1);
  EXPECT_EQ(conflicts.conflicts(0).calendar(), member.name());
  EXPECT_EQ(conflicts.conflicts(0).booked_by(), event.name());

  request.set_force(true);
  EXPECT_EQ(Call(&Roster::DeleteMember, kStaffA, request, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status forced = Call(&Roster::DeleteMember, kOrgAdminA, request, &empty);
  ASSERT_TRUE(forced.ok()) << Describe(forced);
  v1::Member read;
  EXPECT_EQ(GetMember(member.name(), &read).error_code(), grpc::StatusCode::NOT_FOUND);
}

// --- ImportMembers -------------------------------------------------------------------------

v1::ImportMembersRequest ImportOf(const std::vector<v1::Member>& rows) {
  v1::ImportMembersRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  for (const v1::Member& row : rows) *request.add_members() = row;
  return request;
}

v1::Member Row(absl::string_view id, absl::string_view display_name) {
  v1::Member row = NewMember(display_name);
  row.set_name(MemberName(kOrgA, id));
  return row;
}

TEST_F(RosterRpcTest, ImportCreatesUpdatesAndCountsUnchangedRows) {
  CreateMemberOrDie("m1", NewMember("王建国"));
  CreateMemberOrDie("m2", NewMember("李华"));
  v1::ImportMembersRequest request = ImportOf(
      {Row("m1", "王建国"), Row("m2", "李华（改）"), Row("m3", "张三"), Row("m4", "赵四")});
  v1::ImportMembersResponse response;
  const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created_count(), 2);
  EXPECT_EQ(response.updated_count(), 1);
  EXPECT_EQ(response.unchanged_count(), 1);
  EXPECT_EQ(response.names_size(), 4);
  EXPECT_EQ(response.names(2), MemberName(kOrgA, "m3"));
  v1::Member read;
  ASSERT_TRUE(GetMember(MemberName(kOrgA, "m2"), &read).ok());
  EXPECT_EQ(read.display_name(), "李华（改）");
  ASSERT_TRUE(GetMember(MemberName(kOrgA, "m4"), &read).ok());
  EXPECT_EQ(read.status(), v1::MEMBER_STATUS_ACTIVE);
}

TEST_F(RosterRpcTest, ImportWithABadRowImportsNothing) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  std::vector<v1::Member> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(Row(absl::StrCat("m", i), "成员"));
  rows[17].clear_display_name();
  rows[3].add_units(UnitName(kOrgA, "ghost"));
  rows[5].set_name(MemberName(kOrgB, "m5"));
  rows[6].set_name(rows[7].name());
  v1::ImportMembersResponse response;
  const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, ImportOf(rows), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(ViolationFields(status), (Fields{"members[3].units[0]", "members[5].name",
                                             "members[7].name", "members[17].display_name"}));
  v1::ListMembersRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  EXPECT_TRUE(ListAllMembers(list).empty());
}

TEST_F(RosterRpcTest, ImportValidateOnlyWritesNothing) {
  v1::ImportMembersRequest request = ImportOf({Row("m1", "王建国"), Row("m2", "李华")});
  request.set_validate_only(true);
  v1::ImportMembersResponse response;
  ASSERT_TRUE(Call(&Roster::ImportMembers, kStaffA, request, &response).ok());
  EXPECT_EQ(response.created_count(), 2);
  v1::Member read;
  EXPECT_EQ(GetMember(MemberName(kOrgA, "m1"), &read).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RosterRpcTest, ImportMaskLimitsWhatChangesOnExistingMembers) {
  CreateMemberOrDie("m1", NewMember("王建国"));
  v1::Member row = Row("m1", "");
  row.set_phone("13800000000");
  v1::ImportMembersRequest request = ImportOf({row, Row("m2", "李华")});
  request.mutable_update_mask()->add_paths("phone");
  v1::ImportMembersResponse response;
  const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.updated_count(), 1);
  EXPECT_EQ(response.created_count(), 1);
  v1::Member read;
  ASSERT_TRUE(GetMember(MemberName(kOrgA, "m1"), &read).ok());
  EXPECT_EQ(read.display_name(), "王建国");
  EXPECT_EQ(read.phone(), "13800000000");
}

TEST_F(RosterRpcTest, ImportRefusesTooManyRowsAndRetriesSafely) {
  std::vector<v1::Member> rows;
  for (int i = 0; i < 2001; ++i) rows.push_back(Row(absl::StrCat("m", i), "成员"));
  v1::ImportMembersResponse response;
  grpc::Status status = Call(&Roster::ImportMembers, kStaffA, ImportOf(rows), &response);
  EXPECT_EQ(ViolationFields(status), Fields{"members"});
  status = Call(&Roster::ImportMembers, kStaffA, ImportOf({}), &response);
  EXPECT_EQ(ViolationFields(status), Fields{"members"});

  rows.pop_back();
  v1::ImportMembersRequest request = ImportOf(rows);
  request.set_request_id("import-2000");
  status = Call(&Roster::ImportMembers, kStaffA, request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created_count(), 2000);
  v1::ImportMembersResponse replayed;
  ASSERT_TRUE(Call(&Roster::ImportMembers, kStaffA, request, &replayed).ok());
  EXPECT_EQ(replayed.created_count(), 2000);
  EXPECT_EQ(replayed.unchanged_count(), 0);
  EXPECT_EQ(ChangeCount(), 2000);
}

// --- Units ---------------------------------------------------------------------------------

TEST_F(RosterRpcTest, UnitsCreateListByKindAndUpdate) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("proposals", v1::UNIT_KIND_COMMITTEE);
  CreateUnitOrDie("agri", v1::UNIT_KIND_SECTOR);
  v1::ListUnitsRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  list.set_kind(v1::UNIT_KIND_SECTOR);
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(Call(&Roster::ListUnits, kMemberA1, list, &listed).ok());
  ASSERT_EQ(listed.units_size(), 2);
  EXPECT_EQ(listed.units(0).name(), UnitName(kOrgA, "agri"));
  EXPECT_EQ(listed.total_size(), 2);

  v1::UpdateUnitRequest update;
  update.mutable_unit()->set_name(UnitName(kOrgA, "econ"));
  update.mutable_unit()->set_display_name("经济界");
  update.mutable_unit()->set_kind(v1::UNIT_KIND_COMMITTEE);
  update.mutable_update_mask()->add_paths("display_name");
  v1::Unit updated;
  ASSERT_TRUE(Call(&Roster::UpdateUnit, kStaffA, update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "经济界");
  EXPECT_EQ(updated.kind(), v1::UNIT_KIND_SECTOR);
  update.mutable_update_mask()->add_paths("kind");
  const grpc::Status status = Call(&Roster::UpdateUnit, kStaffA, update, &updated);
  EXPECT_EQ(ViolationFields(status), Fields{"update_mask"});
}

TEST_F(RosterRpcTest, UnitRulesForJointSectorGroups) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("proposals", v1::UNIT_KIND_COMMITTEE);
  struct Case {
    v1::UnitKind kind;
    std::vector<std::string> components;
    std::string field;
  };
  const std::vector<Case> cases = {
      {v1::UNIT_KIND_SECTOR, {"econ"}, "unit.component_units"},
      {v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"proposals"}, "unit.component_units[0]"},
      {v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"ghost"}, "unit.component_units[0]"},
      {v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"econ", "econ"}, "unit.component_units[1]"},
      {v1::UNIT_KIND_UNSPECIFIED, {}, "unit.kind"},
  };
  for (const Case& test : cases) {
    v1::CreateUnitRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.set_unit_id("group");
    request.mutable_unit()->set_display_name("界别联组");
    request.mutable_unit()->set_kind(test.kind);
    for (const std::string& id : test.components) {
      request.mutable_unit()->add_component_units(UnitName(kOrgA, id));
    }
    v1::Unit created;
    const grpc::Status status = Call(&Roster::CreateUnit, kStaffA, request, &created);
    EXPECT_EQ(ViolationFields(status), Fields{test.field}) << test.field;
  }
}

TEST_F(RosterRpcTest, DeleteUnitRefusedWhileUsedUnlessForcedByOrgAdmin) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("tech", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("joint", v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"econ", "tech"});
  v1::Member member = NewMember();
  member.add_units(UnitName(kOrgA, "econ"));
  CreateMemberOrDie("m1", member);

  v1::DeleteUnitRequest request;
  request.set_name(UnitName(kOrgA, "econ"));
  Empty empty;
  EXPECT_EQ(Call(&Roster::DeleteUnit, kStaffA, request, &empty).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  request.set_force(true);
  EXPECT_EQ(Call(&Roster::DeleteUnit, kStaffA, request, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status forced = Call(&Roster::DeleteUnit, kOrgAdminA, request, &empty);
  ASSERT_TRUE(forced.ok()) << Describe(forced);

  v1::Member read;
  ASSERT_TRUE(GetMember(MemberName(kOrgA, "m1"), &read).ok());
  EXPECT_EQ(read.units_size(), 0);
  v1::GetUnitRequest get;
  get.set_name(UnitName(kOrgA, "joint"));
  v1::Unit joint;
  ASSERT_TRUE(Call(&Roster::GetUnit, kStaffA, get, &joint).ok());
  ASSERT_EQ(joint.component_units_size(), 1);
  EXPECT_EQ(joint.component_units(0), UnitName(kOrgA, "tech"));
  get.set_name(UnitName(kOrgA, "econ"));
  EXPECT_EQ(Call(&Roster::GetUnit, kStaffA, get, &joint).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::DeleteUnitRequest unused;
  unused.set_name(UnitName(kOrgA, "joint"));
  EXPECT_TRUE(Call(&Roster::DeleteUnit, kStaffA, unused, &empty).ok());
}

// --- Venues --------------------------------------------------------------------------------

TEST_F(RosterRpcTest, VenuesCreateGetListUpdateDelete) {
  CreateVenueOrDie("park", /*exclusive=*/true);
  v1::CreateVenueRequest office;
  office.set_parent(absl::StrCat("organizations/", kOrgA));
  office.set_venue_id("room-3");
  office.mutable_venue()->set_display_name("三楼会议室");
  office.mutable_venue()->set_kind(v1::VENUE_KIND_OFFICE);
  office.mutable_venue()->set_capacity(40);
  v1::Venue created;
  ASSERT_TRUE(Call(&Roster::CreateVenue, kStaffA, office, &created).ok());

  v1::ListVenuesRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  list.set_kind(v1::VENUE_KIND_OFFICE);
  v1::ListVenuesResponse listed;
  ASSERT_TRUE(Call(&Roster::ListVenues, kMemberA1, list, &listed).ok());
  ASSERT_EQ(listed.venues_size(), 1);
  EXPECT_EQ(listed.venues(0).capacity(), 40);

  v1::UpdateVenueRequest update;
  update.mutable_venue()->set_name(created.name());
  update.mutable_venue()->set_capacity(60);
  update.mutable_update_mask()->add_paths("capacity");
  v1::Venue updated;
  ASSERT_TRUE(Call(&Roster::UpdateVenue, kStaffA, update, &updated).ok());
  EXPECT_EQ(updated.capacity(), 60);
  EXPECT_EQ(updated.display_name(), "三楼会议室");

  v1::DeleteVenueRequest remove;
  remove.set_name(created.name());
  Empty empty;
  ASSERT_TRUE(Call(&Roster::DeleteVenue, kStaffA, remove, &empty).ok());
  v1::GetVenueRequest get;
  get.set_name(created.name());
  EXPECT_EQ(Call(&Roster::GetVenue, kStaffA, get, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND);
  get.set_name(VenueName(kOrgA, "park"));
  EXPECT_EQ(Call(&Roster::GetVenue, kStaffB, get, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RosterRpcTest, CreateVenueRefusesEachBadField) {
  struct Case {
    std::string field;
    std::function<void(v1::Venue&)> spoil;
  };
  const std::vector<Case> cases = {
      {"venue.display_name", [](v1::Venue& v) { v.clear_display_name(); }},
      {"venue.kind", [](v1::Venue& v) { v.clear_kind(); }},
      {"venue.kind", [](v1::Venue& v) { v.set_kind(static_cast<v1::VenueKind>(42)); }},
      {"venue.address", [](v1::Venue& v) { v.set_address(std::string(201, 'x')); }},
      {"venue.capacity", [](v1::Venue& v) { v.set_capacity(-1); }},
      {"venue.capacity", [](v1::Venue& v) { v.set_capacity(100001); }},
      {"venue.description", [](v1::Venue& v) { v.set_description(std::string(501, 'x')); }},
  };
  for (const Case& test : cases) {
    v1::CreateVenueRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.mutable_venue()->set_display_name("园区");
    request.mutable_venue()->set_kind(v1::VENUE_KIND_INDUSTRIAL_PARK);
    test.spoil(*request.mutable_venue());
    v1::Venue created;
    const grpc::Status status = Call(&Roster::CreateVenue, kStaffA, request, &created);
    EXPECT_EQ(ViolationFields(status), Fields{test.field}) << test.field;
  }
  v1::ListVenuesRequest list;
  list.set_parent(absl::StrCat("organizations/", kOrgA));
  v1::ListVenuesResponse listed;
  ASSERT_TRUE(Call(&Roster::ListVenues, kStaffA, list, &listed).ok());
  EXPECT_EQ(listed.venues_size(), 0);
}

TEST_F(RosterRpcTest, DeleteVenueRefusedWhileFutureEventsUseIt) {
  const v1::Member member = CreateMemberOrDie("m1");
  const v1::Member other = CreateMemberOrDie("m2");
  const v1::Venue room = CreateVenueOrDie("room", /*exclusive=*/true);
  const v1::Venue park = CreateVenueOrDie("park", /*exclusive=*/false);
  const v1::Event meeting = BookEventOrDie("meeting", {member.name()}, room.name());
  const v1::Event visit = BookEventOrDie("visit", {other.name()}, park.name());
  ASSERT_FALSE(meeting.name().empty());
  ASSERT_FALSE(visit.name().empty());

  for (const auto& [venue, event] :
       std::vector<std::pair<v1::Venue, v1::Event>>{{room, meeting}, {park, visit}}) {
    v1::DeleteVenueRequest request;
    request.set_name(venue.name());
    Empty empty;
    const grpc::Status refused = Call(&Roster::DeleteVenue, kStaffA, request, &empty);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(refused);
    EXPECT_EQ(ErrorReasonOf(refused), "ERROR_REASON_HAS_FUTURE_EVENTS");
    const auto uses = ConflictsOf(refused);
    ASSERT_EQ(uses.conflicts_size(), 1) << venue.name();
    EXPECT_EQ(uses.conflicts(0).booked_by(), event.name());
    request.set_force(true);
    EXPECT_EQ(Call(&Roster::DeleteVenue, kStaffA, request, &empty).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(Call(&Roster::DeleteVenue, kOrgAdminA, request, &empty).ok());
  }
}

TEST_F(RosterRpcTest, DeleteUnitRefusedWhileAFutureEventOrganizesIt) {
  CreateUnitOrDie("proposals", v1::UNIT_KIND_COMMITTEE);
  const v1::Member member = CreateMemberOrDie("m1");
  const v1::Event event =
      BookEventOrDie("hearing", {member.name()}, "", UnitName(kOrgA, "proposals"));
  ASSERT_FALSE(event.name().empty());
  v1::DeleteUnitRequest request;
  request.set_name(UnitName(kOrgA, "proposals"));
  Empty empty;
  const grpc::Status refused = Call(&Roster::DeleteUnit, kStaffA, request, &empty);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(refused);
  EXPECT_EQ(ErrorReasonOf(refused), "ERROR_REASON_HAS_FUTURE_EVENTS");
  ASSERT_EQ(ConflictsOf(refused).conflicts_size(), 1);
  EXPECT_EQ(ConflictsOf(refused).conflicts(0).booked_by(), event.name());
}

TEST_F(RosterRpcTest, StoreExpandsUnitsToTheirActiveMembers) {
  CreateUnitOrDie("econ", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("tech", v1::UNIT_KIND_SECTOR);
  CreateUnitOrDie("joint", v1::UNIT_KIND_JOINT_SECTOR_GROUP, {"econ", "tech"});
  v1::Member member = NewMember();
  member.add_units(UnitName(kOrgA, "econ"));
  CreateMemberOrDie("a", member);
  member.set_status(v1::MEMBER_STATUS_INACTIVE);
  CreateMemberOrDie("b", member);
  member.set_status(v1::MEMBER_STATUS_ACTIVE);
  member.mutable_units(0)->assign(UnitName(kOrgA, "tech"));
  CreateMemberOrDie("c", member);

  RedisConfig config;
  config.url = redis().url();
  absl::StatusOr<std::unique_ptr<RedisClient>> client = NewRedisClient(config);
  ASSERT_TRUE(client.ok()) << client.status();
  const scheduling::RosterStore store(client->get());
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  absl::StatusOr<std::vector<std::string>> ids =
      store.ActiveMemberIdsOfUnit(kOrgA, "joint", deadline);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (Fields{"a", "c"}));
  ids = store.ActiveMemberIdsOfUnit(kOrgA, "econ", deadline);
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, Fields{"a"});
  EXPECT_EQ(store.ActiveMemberIdsOfUnit(kOrgA, "ghost", deadline).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace fieldwork::testing
