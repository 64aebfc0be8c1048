// The role × RPC matrix of SchedulingService (see matrix_fixture.h): one row per RPC, each call
// valid apart from who makes it, on resources of kOrgA. The expected codes follow the "Roles:"
// lines of scheduling_service.proto and services/scheduling/permissions.cc.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

class SchedulingMatrixTest : public MatrixFixture {
 protected:
  v1::Event EventOfSelfAt(absl::Time start, v1::EventState state = v1::EVENT_STATE_SCHEDULED) {
    return GetEventOrDie(CreateEventOrDie(FreshId(), start, start + absl::Hours(2),
                                          {{"m1", v1::PARTICIPANT_ROLE_REQUIRED}}, state));
  }
  v1::Event FutureEvent() { return EventOfSelfAt(FreshMorning()); }
  v1::Hold FreshHold() {
    const absl::Time start = FreshMorning();
    return CreateHold(start, start + absl::Hours(2), {MemberName("m2")});
  }

  std::vector<MatrixRow> Rows() {
    // Columns as in matrix_fixture.h. Creating an organization is not about kOrgA: callers scoped
    // to one organization are refused, not told NOT_FOUND.
    const Expected kAdminOnly = {OK, PD, PD, PD, PD, PD, PD, PD, PD};
    const Expected kEveryCaller = {OK, OK, OK, OK, OK, OK, OK, OK, OK};
    // A member reads only events it takes part in; any other event is not there for it.
    const Expected kStaffServiceOrParticipant = {OK, OK, OK, OK, OK, NF, NF, NF, NF};
    return {
        {"CreateOrganization", kAdminOnly,
         [this] {
           v1::CreateOrganizationRequest request;
           request.set_organization_id(FreshId());
           request.mutable_organization()->set_display_name("新区政协");
           return Calling(&Scheduling::CreateOrganization, request);
         }},
        {"GetOrganization", kAnyoneOfOrgA,
         [this] {
           v1::GetOrganizationRequest request;
           request.set_name(OrganizationA());
           return Calling(&Scheduling::GetOrganization, request);
         }},
        // Not about one organization: each caller lists its own (kOrgB's callers see kOrgB).
        {"ListOrganizations", kEveryCaller,
         [this] {
           return Calling(&Scheduling::ListOrganizations, v1::ListOrganizationsRequest());
         }},
        {"UpdateOrganization", kOrgAdminOnly,
         [this] {
           v1::UpdateOrganizationRequest request;
           request.mutable_organization()->set_name(OrganizationA());
           request.mutable_organization()->set_display_name("铜官区政协");
           request.mutable_update_mask()->add_paths("display_name");
           return Calling(&Scheduling::UpdateOrganization, request);
         }},
        {"CreateEvent", kStaffOnly,
         [this] {
           v1::CreateEventRequest request;
           request.set_parent(OrganizationA());
           v1::Event& event = *request.mutable_event();
           event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
           event.set_title("营商环境调研");
           event.set_state(v1::EVENT_STATE_SCHEDULED);
           const absl::Time start = FreshMorning();
           *event.mutable_time_range() = Range(start, start + absl::Hours(2));
           v1::Participant& participant = *event.add_participants();
           participant.set_member(SelfMember());
           participant.set_role(v1::PARTICIPANT_ROLE_REQUIRED);
           return Calling(&Scheduling::CreateEvent, request);
         }},
        {"GetEvent", kStaffServiceOrParticipant,
         [this] {
           v1::GetEventRequest request;
           request.set_name(FutureEvent().name());
           return Calling(&Scheduling::GetEvent, request);
         }},
        {"ListEvents", kStaffServiceOrSelf,
         [this] {
           v1::ListEventsRequest request;
           request.set_parent(OrganizationA());
           request.set_member(SelfMember());
           return Calling(&Scheduling::ListEvents, request);
         }},
        {"UpdateEvent", kStaffOnly,
         [this] {
           const v1::Event event = FutureEvent();
           v1::UpdateEventRequest request;
           request.mutable_event()->set_name(event.name());
           request.mutable_event()->set_etag(event.etag());
           request.mutable_event()->set_title("新标题");
           request.mutable_update_mask()->add_paths("title");
           return Calling(&Scheduling::UpdateEvent, request);
         }},
        {"ScheduleEvent", kStaffOnly,
         [this] {
           const v1::Event draft = EventOfSelfAt(FreshMorning(), v1::EVENT_STATE_DRAFT);
           v1::ScheduleEventRequest request;
           request.set_name(draft.name());
           request.set_etag(draft.etag());
           return Calling(&Scheduling::ScheduleEvent, request);
         }},
        {"CancelEvent", kStaffOnly,
         [this] {
           v1::CancelEventRequest request;
           request.set_name(FutureEvent().name());
           request.set_reason("天气原因取消");
           return Calling(&Scheduling::CancelEvent, request);
         }},
        {"CompleteEvent", kStaffOnly,
         [this] {
           v1::CompleteEventRequest request;
           request.set_name(InProgressEventOfSelf());
           return Calling(&Scheduling::CompleteEvent, request);
         }},
        {"CreateHold", kStaffOnly,
         [this] {
           v1::CreateHoldRequest request;
           request.set_parent(OrganizationA());
           request.mutable_hold()->add_members(MemberName("m2"));
           const absl::Time start = FreshMorning();
           *request.mutable_hold()->mutable_time_range() = Range(start, start + absl::Hours(2));
           request.mutable_hold()->mutable_ttl()->set_seconds(600);
           return Calling(&Scheduling::CreateHold, request);
         }},
        {"GetHold", kStaffOnly,
         [this] {
           v1::GetHoldRequest request;
           request.set_name(FreshHold().name());
           return Calling(&Scheduling::GetHold, request);
         }},
        {"ListHolds", kStaffOnly,
         [this] {
           v1::ListHoldsRequest request;
           request.set_parent(OrganizationA());
           return Calling(&Scheduling::ListHolds, request);
         }},
        {"ConfirmHold", kStaffOnly,
         [this] {
           v1::ConfirmHoldRequest request;
           request.set_name(FreshHold().name());
           request.mutable_event()->set_kind(v1::EVENT_KIND_INSPECTION);
           request.mutable_event()->set_title("集中视察");
           return Calling(&Scheduling::ConfirmHold, request);
         }},
        {"ReleaseHold", kStaffOnly,
         [this] {
           v1::ReleaseHoldRequest request;
           request.set_name(FreshHold().name());
           return Calling(&Scheduling::ReleaseHold, request);
         }},
        {"CreateBusyBlock", kStaffOrSelf,
         [this] {
           v1::CreateBusyBlockRequest request;
           request.set_parent(SelfMember());
           const absl::Time start = FreshMorning();
           *request.mutable_busy_block()->mutable_time_range() =
               Range(start, start + absl::Hours(2));
           request.mutable_busy_block()->set_reason("出差");
           return Calling(&Scheduling::CreateBusyBlock, request);
         }},
        {"ListBusyBlocks", kStaffOrSelf,
         [this] {
           v1::ListBusyBlocksRequest request;
           request.set_parent(SelfMember());
           return Calling(&Scheduling::ListBusyBlocks, request);
         }},
        {"DeleteBusyBlock", kStaffOrSelf,
         [this] {
           const absl::Time start = FreshMorning();
           v1::DeleteBusyBlockRequest request;
           request.set_name(CreateBusyBlock(SelfMember(), start, start + absl::Hours(2)).name());
           return Calling(&Scheduling::DeleteBusyBlock, request);
         }},
        {"FindSlots", kStaffOnly,
         [this] {
           v1::FindSlotsRequest request;
           request.set_parent(OrganizationA());
           request.add_required_members(SelfMember());
           request.mutable_duration()->set_seconds(3600);
           *request.mutable_search_window() = Range(Monday(0), Monday(24));
           return Calling(&Scheduling::FindSlots, request);
         }},
        {"WatchChanges", kStaffServiceOrSelf,
         [this] {
           v1::WatchChangesRequest request;
           request.set_parent(OrganizationA());
           request.set_from_oldest(true);
           request.set_member(SelfMember());
           return Watching(request);
         }},
        {"ExportCalendar", kStaffOrSelf,
         [this] {
           FutureEvent();
           v1::ExportCalendarRequest request;
           request.set_parent(OrganizationA());
           request.set_member(SelfMember());
           return Calling(&Scheduling::ExportCalendar, request);
         }},
    };
  }
};

TEST_F(SchedulingMatrixTest, EveryRpcAnswersEveryCallerAsTheTableSays) {
  RunMatrix("fieldwork.scheduling.v1.SchedulingService", Rows());
}

TEST_F(SchedulingMatrixTest, EveryServedServiceHasAMatrix) { ExpectEveryServedServiceHasAMatrix(); }

}  // namespace
}  // namespace fieldwork::testing
