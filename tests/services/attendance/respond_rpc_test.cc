// Respond (RSVP) over gRPC against the real attendance and scheduling binaries and a real Redis:
// members answer for themselves only, staff for anyone, until the event starts; cancelled, draft
// and unknown events, non-participants, other organizations, every field rule, and retries with the
// same request_id.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

class RespondRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2", "m3"});
    event_ = CreateFutureEvent("visit", {{"m1"}, {"m2", v1::PARTICIPANT_ROLE_OPTIONAL}});
  }

  static att::RespondRequest Request(const std::string& record_name,
                                     att::RsvpResponse response = att::RSVP_RESPONSE_ACCEPTED,
                                     const std::string& request_id = "") {
    att::RespondRequest request;
    request.set_name(record_name);
    request.set_response(response);
    request.set_request_id(request_id);
    return request;
  }

  grpc::Status Respond(const att::RespondRequest& request, absl::string_view token,
                       att::AttendanceRecord* record) {
    return Call(&Attendance::Respond, token, request, record);
  }

  std::string event_;
};

TEST_F(RespondRpcTest, MemberAcceptsForItself) {
  att::RespondRequest request = Request(RecordName(event_, "m1"));
  request.set_comment("准时参加");
  const absl::Time before = Now();
  att::AttendanceRecord record;
  const grpc::Status status = Respond(request, kMemberA1, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.name(), RecordName(event_, "m1"));
  EXPECT_EQ(record.event(), event_);
  EXPECT_EQ(record.member(), MemberName("m1"));
  EXPECT_EQ(record.participant_role(), v1::PARTICIPANT_ROLE_REQUIRED);
  EXPECT_EQ(record.rsvp().response(), att::RSVP_RESPONSE_ACCEPTED);
  EXPECT_EQ(record.rsvp().comment(), "准时参加");
  EXPECT_EQ(record.rsvp().responded_by(), kMemberA1Subject);
  EXPECT_GE(FromTimestamp(record.rsvp().respond_time()), before);
  EXPECT_TRUE(record.has_update_time());
  EXPECT_EQ(record.outcome(), common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);

  EXPECT_EQ(GetRecordOrDie(record.name(), kMemberA1).SerializeAsString(),
            record.SerializeAsString());
}

TEST_F(RespondRpcTest, NewAnswerReplacesThePreviousOne) {
  att::AttendanceRecord record;
  ASSERT_TRUE(Respond(Request(RecordName(event_, "m1")), kMemberA1, &record).ok());
  att::RespondRequest decline = Request(RecordName(event_, "m1"), att::RSVP_RESPONSE_DECLINED);
  decline.set_comment("临时出差");
  const grpc::Status status = Respond(decline, kMemberA1, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.rsvp().response(), att::RSVP_RESPONSE_DECLINED);
  EXPECT_EQ(GetRecordOrDie(RecordName(event_, "m1")).rsvp().comment(), "临时出差");
}

TEST_F(RespondRpcTest, StaffAndAdminsRespondForAnyParticipant) {
  for (const char* token : {kStaffA, kOrgAdminA, kAdmin}) {
    att::AttendanceRecord record;
    const grpc::Status status = Respond(Request(RecordName(event_, "m2")), token, &record);
    ASSERT_TRUE(status.ok()) << token << ": " << Describe(status);
    EXPECT_EQ(record.rsvp().responded_by(), token);
    EXPECT_EQ(record.participant_role(), v1::PARTICIPANT_ROLE_OPTIONAL);
  }
}

TEST_F(RespondRpcTest, MemberCannotRespondForAnotherMember) {
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(event_, "m2")), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m2")).has_rsvp());
}

TEST_F(RespondRpcTest, ServiceCannotRespond) {
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(event_, "m1")), kService, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
}

TEST_F(RespondRpcTest, CallersOfAnotherOrganizationGetNotFound) {
  CreateOtherOrganization();
  for (const char* token : {kMemberB1, kStaffB, kOrgAdminB}) {
    att::AttendanceRecord record;
    const grpc::Status status = Respond(Request(RecordName(event_, "m1")), token, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
        << token << ": " << Describe(status);
  }
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_rsvp());
}

TEST_F(RespondRpcTest, UnknownEventIsNotFound) {
  att::AttendanceRecord record;
  const grpc::Status status =
      Respond(Request(RecordName(EventName("no-such-event"), "m1")), kStaffA, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
}

TEST_F(RespondRpcTest, NonParticipantIsRefused) {
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(event_, "m3")), kStaffA, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_NOT_A_PARTICIPANT");
}

TEST_F(RespondRpcTest, StaffIsRefusedOnceTheEventHasStarted) {
  const std::string started = CreateInProgressEvent("started", {{"m3"}});
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(started, "m3")), kStaffA, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_STARTED");
  EXPECT_FALSE(GetRecordOrDie(RecordName(started, "m3")).has_rsvp());
}

TEST_F(RespondRpcTest, MemberIsRefusedOnceTheEventHasStarted) {
  const absl::Time now = Now();
  const std::string started =
      CreateEventOrDie("started", now - absl::Minutes(5), now + absl::Hours(2),
                       {{"m1", v1::PARTICIPANT_ROLE_OPTIONAL}});
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(started, "m1")), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_STARTED");
}

TEST_F(RespondRpcTest, CancelledEventRefusesAnswers) {
  CancelEventOrDie(event_);
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(event_, "m1")), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_CANCELLED");
}

TEST_F(RespondRpcTest, DraftEventRefusesAnswers) {
  const absl::Time now = Now();
  const std::string draft = CreateEventOrDie("draft", now + absl::Hours(48), now + absl::Hours(50),
                                             {{"m3"}}, v1::EVENT_STATE_DRAFT);
  att::AttendanceRecord record;
  const grpc::Status status = Respond(Request(RecordName(draft, "m3")), kStaffA, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_INVALID_STATE");
}

TEST_F(RespondRpcTest, RejectsBadFieldsNamingEachAndWritesNothing) {
  struct BadRequest {
    std::string what;
    att::RespondRequest request;
    std::string field;
  };
  const std::string m1 = RecordName(event_, "m1");
  std::vector<BadRequest> cases;
  for (const std::string& name :
       {std::string(), event_, std::string("organizations/tongguan/members/m1"),
        RecordName(event_, "M1"), RecordName(event_, "m1/extra"), RecordName(event_, "-m1"),
        RecordName(EventName("e_1"), "m1")}) {
    cases.push_back({"name " + name, Request(name), "name"});
  }
  cases.push_back({"no response", Request(m1, att::RSVP_RESPONSE_UNSPECIFIED), "response"});
  cases.push_back({"unknown response", Request(m1, static_cast<att::RsvpResponse>(7)), "response"});
  att::RespondRequest long_comment = Request(m1);
  std::string comment;
  for (int i = 0; i < 201; ++i) comment += "好";
  long_comment.set_comment(comment);
  cases.push_back({"comment of 201 characters", long_comment, "comment"});
  cases.push_back({"request_id of 65 characters",
                   Request(m1, att::RSVP_RESPONSE_ACCEPTED, std::string(65, 'r')), "request_id"});
  cases.push_back({"request_id not printable",
                   Request(m1, att::RSVP_RESPONSE_ACCEPTED, "id\twith tab"), "request_id"});

  for (const BadRequest& bad : cases) {
    att::AttendanceRecord record;
    const grpc::Status status = Respond(bad.request, kStaffA, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.what << ": " << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{bad.field}) << bad.what;
  }
  EXPECT_FALSE(GetRecordOrDie(m1).has_rsvp());
}

TEST_F(RespondRpcTest, CommentOfTwoHundredCharactersIsAccepted) {
  att::RespondRequest request = Request(RecordName(event_, "m1"));
  std::string comment;
  for (int i = 0; i < 200; ++i) comment += "好";
  request.set_comment(comment);
  att::AttendanceRecord record;
  const grpc::Status status = Respond(request, kMemberA1, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.rsvp().comment(), comment);
}

TEST_F(RespondRpcTest, RetryWithSameRequestIdReturnsFirstAnswerAndChangesNothing) {
  const std::string m1 = RecordName(event_, "m1");
  att::AttendanceRecord first;
  ASSERT_TRUE(Respond(Request(m1, att::RSVP_RESPONSE_ACCEPTED, "rsvp-1"), kMemberA1, &first).ok());
  att::AttendanceRecord declined;
  ASSERT_TRUE(
      Respond(Request(m1, att::RSVP_RESPONSE_DECLINED, "rsvp-2"), kMemberA1, &declined).ok());

  att::AttendanceRecord retried;
  const grpc::Status status =
      Respond(Request(m1, att::RSVP_RESPONSE_ACCEPTED, "rsvp-1"), kMemberA1, &retried);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  const att::AttendanceRecord stored = GetRecordOrDie(m1);
  EXPECT_EQ(stored.rsvp().response(), att::RSVP_RESPONSE_DECLINED);
  EXPECT_EQ(stored.update_time().SerializeAsString(), declined.update_time().SerializeAsString());
}

TEST_F(RespondRpcTest, SameRequestIdWithADifferentRequestIsRejected) {
  const std::string m1 = RecordName(event_, "m1");
  att::AttendanceRecord record;
  ASSERT_TRUE(Respond(Request(m1, att::RSVP_RESPONSE_ACCEPTED, "rsvp-1"), kMemberA1, &record).ok());
  const grpc::Status reused =
      Respond(Request(m1, att::RSVP_RESPONSE_DECLINED, "rsvp-1"), kMemberA1, &record);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reused);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
  EXPECT_EQ(ViolationFields(reused), std::vector<std::string>{"request_id"});
  EXPECT_EQ(GetRecordOrDie(m1).rsvp().response(), att::RSVP_RESPONSE_ACCEPTED);
}

TEST_F(RespondRpcTest, FailedCallStoresNoAnswerSoItsRetryRunsAgain) {
  const std::string m1 = RecordName(event_, "m1");
  att::RespondRequest request = Request(m1, att::RSVP_RESPONSE_ACCEPTED, "rsvp-1");
  att::AttendanceRecord record;
  ASSERT_EQ(Respond(request, kMemberA2, &record).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status status = Respond(request, kMemberA1, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.rsvp().response(), att::RSVP_RESPONSE_ACCEPTED);
}

}  // namespace
}  // namespace fieldwork::testing
