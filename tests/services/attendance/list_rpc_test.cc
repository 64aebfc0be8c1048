// GetAttendance and ListAttendance over gRPC against the real attendance and scheduling binaries
// and a real Redis: synthesized empty records, members reading only their own, listing one event's
// participants (recorded or not) and one member's records across events in a time range, pages,
// outcome and leave-state filters, tenant isolation and every request rule.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

std::vector<std::string> NamesOf(const std::vector<att::AttendanceRecord>& records) {
  std::vector<std::string> names;
  for (const att::AttendanceRecord& record : records) names.push_back(record.name());
  return names;
}

class ListRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2", "m3", "m4", "m5"});
    now_ = Now();
    past_ =
        CreateEventOrDie("past", now_ - absl::Hours(3), now_ - absl::Hours(2), {{"m1"}, {"m2"}});
    current_ =
        CreateEventOrDie("current", now_ - absl::Minutes(5), now_ + absl::Hours(2),
                         {{"m5"}, {"m4"}, {"m3", v1::PARTICIPANT_ROLE_OPTIONAL}, {"m2"}, {"m1"}});
    next_ = CreateEventOrDie("next", now_ + absl::Hours(24), now_ + absl::Hours(26), {{"m1"}});
    const std::string cancelled =
        CreateEventOrDie("cancelled", now_ + absl::Hours(4), now_ + absl::Hours(5), {{"m1"}});
    CancelEventOrDie(cancelled);
    CreateEventOrDie("draft", now_ + absl::Hours(6), now_ + absl::Hours(7), {{"m1"}},
                     v1::EVENT_STATE_DRAFT);
  }

  static att::ListAttendanceRequest OfEvent(const std::string& event, int page_size = 0) {
    att::ListAttendanceRequest request;
    request.set_parent(event);
    request.set_page_size(page_size);
    return request;
  }

  att::ListAttendanceRequest AcrossEvents(absl::Time from, absl::Time to,
                                          const std::string& member = "") const {
    att::ListAttendanceRequest request;
    request.set_parent("organizations/tongguan/events/-");
    *request.mutable_time_range() = Range(from, to);
    request.set_member(member);
    return request;
  }

  grpc::Status List(const att::ListAttendanceRequest& request,
                    att::ListAttendanceResponse* response, absl::string_view token = kStaffA) {
    return Call(&Attendance::ListAttendance, token, request, response);
  }
  grpc::Status Get(const std::string& name, att::AttendanceRecord* record,
                   absl::string_view token = kStaffA) {
    att::GetAttendanceRequest request;
    request.set_name(name);
    return Call(&Attendance::GetAttendance, token, request, record);
  }

  absl::Time now_;
  std::string past_, current_, next_;
};

TEST_F(ListRpcTest, GetSynthesizesAnEmptyRecordForAParticipant) {
  const att::AttendanceRecord record = GetRecordOrDie(RecordName(current_, "m3"));
  EXPECT_EQ(record.name(), RecordName(current_, "m3"));
  EXPECT_EQ(record.event(), current_);
  EXPECT_EQ(record.member(), MemberName("m3"));
  EXPECT_EQ(record.participant_role(), v1::PARTICIPANT_ROLE_OPTIONAL);
  EXPECT_FALSE(record.has_rsvp());
  EXPECT_FALSE(record.has_leave());
  EXPECT_FALSE(record.has_check_in());
  EXPECT_FALSE(record.has_check_out());
  EXPECT_EQ(record.outcome(), common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);
  EXPECT_FALSE(record.finalized());
  EXPECT_FALSE(record.has_update_time());
  EXPECT_TRUE(record.corrections().empty());
}

TEST_F(ListRpcTest, GetRefusesNonParticipantsUnknownEventsAndMalformedNames) {
  att::AttendanceRecord record;
  EXPECT_EQ(Get(RecordName(next_, "m2"), &record).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(RecordName(EventName("nope"), "m1"), &record).error_code(),
            grpc::StatusCode::NOT_FOUND);
  for (const std::string& name : {std::string(), next_, RecordName(next_, "m1") + "/x"}) {
    const grpc::Status status = Get(name, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"name"}) << name;
  }
}

TEST_F(ListRpcTest, MemberReadsOnlyItsOwnRecordAndServicesReadAny) {
  att::AttendanceRecord record;
  const grpc::Status own = Get(RecordName(current_, "m1"), &record, kMemberA1);
  ASSERT_TRUE(own.ok()) << Describe(own);
  EXPECT_EQ(record.member(), MemberName("m1"));
  EXPECT_EQ(Get(RecordName(current_, "m2"), &record, kMemberA1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Get(RecordName(current_, "m2"), &record, kService).ok());
  for (const char* token : {kMemberB1, kStaffB}) {
    EXPECT_EQ(Get(RecordName(current_, "m1"), &record, token).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << token;
  }
}

TEST_F(ListRpcTest, ListsEveryParticipantOfAnEventOrderedByMember) {
  StaffCheckInOrDie(current_, "m4", now_ - absl::Minutes(10));

  att::ListAttendanceResponse response;
  const grpc::Status status = List(OfEvent(current_), &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.total_size(), 5);
  EXPECT_TRUE(response.next_page_token().empty());
  std::vector<std::string> names;
  for (const att::AttendanceRecord& record : response.records()) names.push_back(record.name());
  EXPECT_EQ(names, (std::vector<std::string>{RecordName(current_, "m1"), RecordName(current_, "m2"),
                                             RecordName(current_, "m3"), RecordName(current_, "m4"),
                                             RecordName(current_, "m5")}));
  ASSERT_EQ(response.records_size(), 5);
  EXPECT_TRUE(response.records(3).has_check_in());
  EXPECT_FALSE(response.records(0).has_check_in());
  EXPECT_EQ(response.records(2).participant_role(), v1::PARTICIPANT_ROLE_OPTIONAL);
}

TEST_F(ListRpcTest, PagesThroughAnEvent) {
  att::ListAttendanceRequest request = OfEvent(current_, 2);
  std::vector<int> page_sizes;
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    att::ListAttendanceResponse response;
    const grpc::Status status = List(request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(response.total_size(), 5);
    page_sizes.push_back(response.records_size());
    for (const att::AttendanceRecord& record : response.records()) names.push_back(record.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(names, NamesOf(ListAllRecords(OfEvent(current_))));
}

TEST_F(ListRpcTest, ListsAMembersRecordsAcrossEventsInATimeRange) {
  const std::vector<att::AttendanceRecord> all = ListAllRecords(
      AcrossEvents(now_ - absl::Hours(24), now_ + absl::Hours(48), MemberName("m1")));
  EXPECT_EQ(NamesOf(all),
            (std::vector<std::string>{RecordName(past_, "m1"), RecordName(current_, "m1"),
                                      RecordName(next_, "m1")}))
      << "ordered by event start; the cancelled event and the draft are skipped";

  const std::vector<att::AttendanceRecord> until_now =
      ListAllRecords(AcrossEvents(now_ - absl::Hours(24), now_, MemberName("m1")));
  EXPECT_EQ(NamesOf(until_now),
            (std::vector<std::string>{RecordName(past_, "m1"), RecordName(current_, "m1")}));
  EXPECT_TRUE(
      ListAllRecords(AcrossEvents(now_ + absl::Hours(27), now_ + absl::Hours(48), MemberName("m1")))
          .empty());
}

TEST_F(ListRpcTest, PagesAcrossEventsOrderedByStartEventAndMember) {
  att::ListAttendanceRequest request = AcrossEvents(now_ - absl::Hours(24), now_ + absl::Hours(48));
  std::vector<std::string> expected = {RecordName(past_, "m1"), RecordName(past_, "m2")};
  for (const char* member : {"m1", "m2", "m3", "m4", "m5"}) {
    expected.push_back(RecordName(current_, member));
  }
  expected.push_back(RecordName(next_, "m1"));
  EXPECT_EQ(NamesOf(ListAllRecords(request)), expected);
  request.set_page_size(3);
  EXPECT_EQ(NamesOf(ListAllRecords(request)), expected);
}

TEST_F(ListRpcTest, MemberListsOnlyWithItselfAsTheMemberFilter) {
  const std::vector<att::AttendanceRecord> own = ListAllRecords(
      AcrossEvents(now_ - absl::Hours(24), now_ + absl::Hours(48), MemberName("m1")), kMemberA1);
  EXPECT_EQ(own.size(), 3u);
  att::ListAttendanceRequest of_event = OfEvent(current_);
  of_event.set_member(MemberName("m1"));
  EXPECT_EQ(NamesOf(ListAllRecords(of_event, kMemberA1)),
            std::vector<std::string>{RecordName(current_, "m1")});

  att::ListAttendanceResponse response;
  EXPECT_EQ(List(OfEvent(current_), &response, kMemberA1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(List(AcrossEvents(now_ - absl::Hours(24), now_, MemberName("m2")), &response, kMemberA1)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(List(OfEvent(current_), &response, kService).ok());
}

TEST_F(ListRpcTest, FiltersByOutcomeAndLeaveState) {
  att::RequestLeaveRequest leave;
  leave.set_name(RecordName(next_, "m1"));
  leave.set_reason("外出学习");
  att::AttendanceRecord record;
  ASSERT_TRUE(Call(&Attendance::RequestLeave, kMemberA1, leave, &record).ok());
  att::ListAttendanceRequest pending = AcrossEvents(now_ - absl::Hours(24), now_ + absl::Hours(48));
  pending.add_leave_states(att::LEAVE_STATE_PENDING);
  EXPECT_EQ(NamesOf(ListAllRecords(pending)), std::vector<std::string>{RecordName(next_, "m1")});

  StaffCheckInOrDie(past_, "m2", now_ - absl::Hours(3));
  att::FinalizeEventRequest finalize;
  finalize.set_event(past_);
  att::FinalizeEventResponse finalized;
  const grpc::Status status = Call(&Attendance::FinalizeEvent, kStaffA, finalize, &finalized);
  ASSERT_TRUE(status.ok()) << Describe(status);

  att::ListAttendanceRequest absent = OfEvent(past_);
  absent.add_outcomes(common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(NamesOf(ListAllRecords(absent)), std::vector<std::string>{RecordName(past_, "m1")});
  att::ListAttendanceRequest open = AcrossEvents(now_ - absl::Hours(24), now_, MemberName("m2"));
  open.add_outcomes(common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(NamesOf(ListAllRecords(open)), std::vector<std::string>{RecordName(current_, "m2")});
}

TEST_F(ListRpcTest, RejectsBadRequestsNamingTheField) {
  struct BadList {
    std::string what;
    att::ListAttendanceRequest request;
    std::string field_prefix;
  };
  std::vector<BadList> cases = {
      {"negative page size", OfEvent(current_, -1), "page_size"},
      {"page size above 1000", OfEvent(current_, 1001), "page_size"},
      {"malformed parent", OfEvent("organizations/tongguan"), "parent"},
      {"empty parent", OfEvent(""), "parent"},
  };
  att::ListAttendanceRequest no_range = AcrossEvents(now_, now_);
  no_range.clear_time_range();
  cases.push_back({"events/- without a time range", no_range, "time_range"});
  cases.push_back({"time range over five years",
                   AcrossEvents(now_, now_ + absl::Hours(24 * 366 * 5)), "time_range"});
  cases.push_back({"reversed time range", AcrossEvents(now_, now_ - absl::Hours(1)), "time_range"});
  att::ListAttendanceRequest bad_member = OfEvent(current_);
  bad_member.set_member("m1");
  cases.push_back({"malformed member", bad_member, "member"});
  att::ListAttendanceRequest foreign_member = OfEvent(current_);
  foreign_member.set_member("organizations/jiaoqu/members/m1");
  cases.push_back({"member of another organization", foreign_member, "member"});
  att::ListAttendanceRequest unknown_outcome = OfEvent(current_);
  unknown_outcome.add_outcomes(static_cast<common::v1::AttendanceOutcome>(99));
  cases.push_back({"unknown outcome", unknown_outcome, "outcomes"});
  att::ListAttendanceRequest unknown_leave_state = OfEvent(current_);
  unknown_leave_state.add_leave_states(static_cast<att::LeaveState>(99));
  cases.push_back({"unknown leave state", unknown_leave_state, "leave_states"});
  att::ListAttendanceRequest bad_token = OfEvent(current_);
  bad_token.set_page_token("not-a-token");
  cases.push_back({"garbage page token", bad_token, "page_token"});

  att::ListAttendanceResponse first_page;
  ASSERT_TRUE(List(OfEvent(current_, 2), &first_page).ok());
  att::ListAttendanceRequest other_filters = OfEvent(current_, 2);
  other_filters.add_outcomes(common::v1::ATTENDANCE_OUTCOME_ABSENT);
  other_filters.set_page_token(first_page.next_page_token());
  cases.push_back({"page token with other filters", other_filters, "page_token"});

  for (const BadList& bad : cases) {
    att::ListAttendanceResponse response;
    const grpc::Status status = List(bad.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.what << ": " << Describe(status);
    const std::vector<std::string> fields = ViolationFields(status);
    ASSERT_EQ(fields.size(), 1u) << bad.what << ": " << Describe(status);
    EXPECT_TRUE(absl::StartsWith(fields[0], bad.field_prefix)) << bad.what << ": " << fields[0];
  }
}

TEST_F(ListRpcTest, CallersOfAnotherOrganizationGetNotFound) {
  att::ListAttendanceResponse response;
  for (const char* token : {kStaffB, kOrgAdminB}) {
    EXPECT_EQ(List(OfEvent(current_), &response, token).error_code(), grpc::StatusCode::NOT_FOUND)
        << token;
    EXPECT_EQ(List(AcrossEvents(now_ - absl::Hours(24), now_), &response, token).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << token;
  }
  EXPECT_EQ(List(OfEvent(EventName("nope")), &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace fieldwork::testing
