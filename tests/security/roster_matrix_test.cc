// The role × RPC matrix of RosterService (see matrix_fixture.h): one row per RPC, each call valid
// apart from who makes it, on members, units and venues of kOrgA. The expected codes follow
// roster_service.proto and services/scheduling/permissions.cc.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

class RosterMatrixTest : public MatrixFixture {
 protected:
  static v1::Member NewMember() {
    v1::Member member;
    member.set_display_name("新委员");
    member.set_role(v1::MEMBER_ROLE_MEMBER);
    member.set_status(v1::MEMBER_STATUS_ACTIVE);
    return member;
  }

  std::vector<MatrixRow> Rows() {
    return {
        {"CreateMember", kStaffOnly,
         [this] {
           v1::CreateMemberRequest request;
           request.set_parent(OrganizationA());
           request.set_member_id(FreshId());
           *request.mutable_member() = NewMember();
           return Calling(&Roster::CreateMember, request);
         }},
        {"GetMember", kStaffServiceOrSelf,
         [this] {
           v1::GetMemberRequest request;
           request.set_name(SelfMember());
           return Calling(&Roster::GetMember, request);
         }},
        {"ListMembers", kStaffOrService,
         [this] {
           v1::ListMembersRequest request;
           request.set_parent(OrganizationA());
           return Calling(&Roster::ListMembers, request);
         }},
        // A member may change its own phone.
        {"UpdateMember", kStaffOrSelf,
         [this] {
           v1::UpdateMemberRequest request;
           request.mutable_member()->set_name(SelfMember());
           request.mutable_member()->set_phone("13800000000");
           request.mutable_update_mask()->add_paths("phone");
           return Calling(&Roster::UpdateMember, request);
         }},
        {"DeleteMember", kStaffOnly,
         [this] {
           v1::DeleteMemberRequest request;
           request.set_name(CreateMember(FreshId()));
           return Calling(&Roster::DeleteMember, request);
         }},
        {"ImportMembers", kStaffOnly,
         [this] {
           v1::ImportMembersRequest request;
           request.set_parent(OrganizationA());
           v1::Member& member = *request.add_members();
           member = NewMember();
           member.set_name(MemberName(FreshId()));
           return Calling(&Roster::ImportMembers, request);
         }},
        {"CreateUnit", kStaffOnly,
         [this] {
           v1::CreateUnitRequest request;
           request.set_parent(OrganizationA());
           request.set_unit_id(FreshId());
           request.mutable_unit()->set_display_name("经济界");
           request.mutable_unit()->set_kind(v1::UNIT_KIND_SECTOR);
           return Calling(&Roster::CreateUnit, request);
         }},
        {"GetUnit", kAnyoneOfOrgA,
         [this] {
           v1::GetUnitRequest request;
           request.set_name(CreateUnit(FreshId()));
           return Calling(&Roster::GetUnit, request);
         }},
        {"ListUnits", kAnyoneOfOrgA,
         [this] {
           v1::ListUnitsRequest request;
           request.set_parent(OrganizationA());
           return Calling(&Roster::ListUnits, request);
         }},
        {"UpdateUnit", kStaffOnly,
         [this] {
           v1::UpdateUnitRequest request;
           request.mutable_unit()->set_name(CreateUnit(FreshId()));
           request.mutable_unit()->set_display_name("经济界别");
           request.mutable_update_mask()->add_paths("display_name");
           return Calling(&Roster::UpdateUnit, request);
         }},
        {"DeleteUnit", kStaffOnly,
         [this] {
           v1::DeleteUnitRequest request;
           request.set_name(CreateUnit(FreshId()));
           return Calling(&Roster::DeleteUnit, request);
         }},
        {"CreateVenue", kStaffOnly,
         [this] {
           v1::CreateVenueRequest request;
           request.set_parent(OrganizationA());
           request.set_venue_id(FreshId());
           request.mutable_venue()->set_display_name("会议室");
           request.mutable_venue()->set_kind(v1::VENUE_KIND_OFFICE);
           return Calling(&Roster::CreateVenue, request);
         }},
        {"GetVenue", kAnyoneOfOrgA,
         [this] {
           v1::GetVenueRequest request;
           request.set_name(CreateVenue(FreshId(), /*exclusive=*/true));
           return Calling(&Roster::GetVenue, request);
         }},
        {"ListVenues", kAnyoneOfOrgA,
         [this] {
           v1::ListVenuesRequest request;
           request.set_parent(OrganizationA());
           return Calling(&Roster::ListVenues, request);
         }},
        {"UpdateVenue", kStaffOnly,
         [this] {
           v1::UpdateVenueRequest request;
           request.mutable_venue()->set_name(CreateVenue(FreshId(), /*exclusive=*/true));
           request.mutable_venue()->set_display_name("第二会议室");
           request.mutable_update_mask()->add_paths("display_name");
           return Calling(&Roster::UpdateVenue, request);
         }},
        {"DeleteVenue", kStaffOnly,
         [this] {
           v1::DeleteVenueRequest request;
           request.set_name(CreateVenue(FreshId(), /*exclusive=*/true));
           return Calling(&Roster::DeleteVenue, request);
         }},
    };
  }
};

TEST_F(RosterMatrixTest, EveryRpcAnswersEveryCallerAsTheTableSays) {
  RunMatrix("fieldwork.scheduling.v1.RosterService", Rows());
}

}  // namespace
}  // namespace fieldwork::testing
