// Leave requests (请假) over gRPC against the real attendance and scheduling binaries and a real
// Redis: RequestLeave by the member before the start, by staff until finalization (optionally
// approved at once); DecideLeave by staff; replacement rules, LEAVE_NOT_PENDING, role rules, field
// rules and retries with the same request_id.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

std::string Repeat(absl::string_view text, int times) {
  std::string repeated;
  for (int i = 0; i < times; ++i) repeated.append(text.data(), text.size());
  return repeated;
}

class LeaveRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2", "m3"});
    event_ = CreateFutureEvent("meeting", {{"m1"}, {"m2"}});
    m1_ = RecordName(event_, "m1");
  }

  static att::RequestLeaveRequest Leave(const std::string& record_name,
                                        const std::string& reason = "参加市里培训",
                                        bool approve = false, const std::string& request_id = "") {
    att::RequestLeaveRequest request;
    request.set_name(record_name);
    request.set_reason(reason);
    request.set_approve(approve);
    request.set_request_id(request_id);
    return request;
  }

  static att::DecideLeaveRequest Decide(const std::string& record_name, att::LeaveDecision decision,
                                        const std::string& comment = "",
                                        const std::string& request_id = "") {
    att::DecideLeaveRequest request;
    request.set_name(record_name);
    request.set_decision(decision);
    request.set_comment(comment);
    request.set_request_id(request_id);
    return request;
  }

  grpc::Status RequestLeave(const att::RequestLeaveRequest& request, absl::string_view token,
                            att::AttendanceRecord* record) {
    return Call(&Attendance::RequestLeave, token, request, record);
  }
  grpc::Status DecideLeave(const att::DecideLeaveRequest& request, absl::string_view token,
                           att::AttendanceRecord* record) {
    return Call(&Attendance::DecideLeave, token, request, record);
  }

  // Asks for leave for m1 as the member; fails the test otherwise.
  void RequestLeaveOrDie() {
    att::AttendanceRecord record;
    const grpc::Status status = RequestLeave(Leave(m1_), kMemberA1, &record);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  std::string event_;
  std::string m1_;
};

TEST_F(LeaveRpcTest, MemberRequestsLeaveForItselfBeforeTheStart) {
  const absl::Time before = Now();
  att::AttendanceRecord record;
  const grpc::Status status = RequestLeave(Leave(m1_), kMemberA1, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_PENDING);
  EXPECT_EQ(record.leave().reason(), "参加市里培训");
  EXPECT_EQ(record.leave().requested_by(), kMemberA1Subject);
  EXPECT_GE(FromTimestamp(record.leave().request_time()), before);
  EXPECT_FALSE(record.leave().has_decide_time());
  EXPECT_EQ(GetRecordOrDie(m1_).leave().SerializeAsString(), record.leave().SerializeAsString());
}

TEST_F(LeaveRpcTest, MemberCannotRequestLeaveForAnotherMember) {
  att::AttendanceRecord record;
  const grpc::Status status = RequestLeave(Leave(RecordName(event_, "m2")), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m2")).has_leave());
}

TEST_F(LeaveRpcTest, MemberCannotApproveItsOwnLeave) {
  att::AttendanceRecord record;
  const grpc::Status status = RequestLeave(Leave(m1_, "家中有事", true), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_FALSE(GetRecordOrDie(m1_).has_leave());
}

TEST_F(LeaveRpcTest, MemberCannotRequestLeaveAfterTheStart) {
  const absl::Time now = Now();
  const std::string started =
      CreateEventOrDie("started", now - absl::Minutes(5), now + absl::Hours(1), {{"m1"}});
  att::AttendanceRecord record;
  const grpc::Status status = RequestLeave(Leave(RecordName(started, "m1")), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_STARTED");
}

TEST_F(LeaveRpcTest, StaffRecordsApprovedLeaveAfterTheStartAndAfterTheEnd) {
  const std::string started = CreateInProgressEvent("started", {{"m3"}});
  const std::string ended = CreateEndedEvent("ended", {{"m3"}});
  for (const std::string& event : {started, ended}) {
    att::AttendanceRecord record;
    const grpc::Status status =
        RequestLeave(Leave(RecordName(event, "m3"), "电话请假", true), kStaffA, &record);
    ASSERT_TRUE(status.ok()) << event << ": " << Describe(status);
    EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_APPROVED) << event;
    EXPECT_EQ(record.leave().requested_by(), kStaffA) << event;
  }
}

TEST_F(LeaveRpcTest, StaffRecordsPendingLeaveForAnyParticipant) {
  att::AttendanceRecord record;
  const grpc::Status status = RequestLeave(Leave(RecordName(event_, "m2")), kStaffA, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_PENDING);
  EXPECT_EQ(record.leave().requested_by(), kStaffA);
}

TEST_F(LeaveRpcTest, ReasonIsRequiredAndAtMostFiveHundredCharacters) {
  att::AttendanceRecord record;
  for (const std::string& reason : {std::string(), Repeat("请", 501)}) {
    const grpc::Status status = RequestLeave(Leave(m1_, reason), kMemberA1, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"reason"});
  }
  EXPECT_FALSE(GetRecordOrDie(m1_).has_leave());
  const grpc::Status longest = RequestLeave(Leave(m1_, Repeat("请", 500)), kMemberA1, &record);
  ASSERT_TRUE(longest.ok()) << Describe(longest);
  EXPECT_EQ(record.leave().reason(), Repeat("请", 500));
}

TEST_F(LeaveRpcTest, RejectsMalformedNames) {
  for (const std::string& name : {std::string(), event_, RecordName(event_, "M1")}) {
    att::AttendanceRecord record;
    const grpc::Status status = RequestLeave(Leave(name), kStaffA, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"name"}) << name;
    const grpc::Status decided =
        DecideLeave(Decide(name, att::LEAVE_DECISION_APPROVE), kStaffA, &record);
    EXPECT_EQ(decided.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(decided);
    EXPECT_EQ(ViolationFields(decided), std::vector<std::string>{"name"}) << name;
  }
}

TEST_F(LeaveRpcTest, NewRequestReplacesPendingAndRejectedOnes) {
  RequestLeaveOrDie();
  att::AttendanceRecord record;
  ASSERT_TRUE(RequestLeave(Leave(m1_, "改为：单位有紧急任务"), kMemberA1, &record).ok());
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_PENDING);
  EXPECT_EQ(record.leave().reason(), "改为：单位有紧急任务");

  ASSERT_TRUE(
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_REJECT, "本次活动很重要"), kStaffA, &record)
          .ok());
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_REJECTED);
  const grpc::Status again = RequestLeave(Leave(m1_, "身体不适"), kMemberA1, &record);
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_PENDING);
  EXPECT_EQ(record.leave().reason(), "身体不适");
}

TEST_F(LeaveRpcTest, ApprovedLeaveStays) {
  RequestLeaveOrDie();
  att::AttendanceRecord record;
  ASSERT_TRUE(DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), kStaffA, &record).ok());
  const grpc::Status status = RequestLeave(Leave(m1_, "另一个理由"), kMemberA1, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_LEAVE_NOT_PENDING");
  const att::AttendanceRecord stored = GetRecordOrDie(m1_);
  EXPECT_EQ(stored.leave().state(), att::LEAVE_STATE_APPROVED);
  EXPECT_EQ(stored.leave().reason(), "参加市里培训");
}

TEST_F(LeaveRpcTest, StaffApprovesPendingLeave) {
  RequestLeaveOrDie();
  const absl::Time before = Now();
  att::AttendanceRecord record;
  const grpc::Status status =
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE, "同意"), kStaffA, &record);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(record.leave().state(), att::LEAVE_STATE_APPROVED);
  EXPECT_EQ(record.leave().decided_by(), kStaffA);
  EXPECT_EQ(record.leave().decision_comment(), "同意");
  EXPECT_GE(FromTimestamp(record.leave().decide_time()), before);
  EXPECT_EQ(record.leave().requested_by(), kMemberA1Subject);
}

TEST_F(LeaveRpcTest, RejectingNeedsAComment) {
  RequestLeaveOrDie();
  att::AttendanceRecord record;
  const grpc::Status status =
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_REJECT), kStaffA, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"comment"});
  EXPECT_EQ(GetRecordOrDie(m1_).leave().state(), att::LEAVE_STATE_PENDING);
}

TEST_F(LeaveRpcTest, DecisionIsRequiredAndCommentAtMostFiveHundredCharacters) {
  RequestLeaveOrDie();
  struct BadDecision {
    att::DecideLeaveRequest request;
    std::string field;
  };
  const std::vector<BadDecision> cases = {
      {Decide(m1_, att::LEAVE_DECISION_UNSPECIFIED), "decision"},
      {Decide(m1_, static_cast<att::LeaveDecision>(9)), "decision"},
      {Decide(m1_, att::LEAVE_DECISION_APPROVE, Repeat("批", 501)), "comment"},
  };
  for (const BadDecision& bad : cases) {
    att::AttendanceRecord record;
    const grpc::Status status = DecideLeave(bad.request, kStaffA, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{bad.field});
  }
  EXPECT_EQ(GetRecordOrDie(m1_).leave().state(), att::LEAVE_STATE_PENDING);
}

TEST_F(LeaveRpcTest, DecidingTwiceOrWithoutARequestIsRefused) {
  att::AttendanceRecord record;
  const grpc::Status none = DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), kStaffA, &record);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(none);
  EXPECT_EQ(ErrorReasonOf(none), "ERROR_REASON_LEAVE_NOT_PENDING");

  RequestLeaveOrDie();
  ASSERT_TRUE(DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), kStaffA, &record).ok());
  const grpc::Status twice =
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_REJECT, "改主意了"), kStaffA, &record);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(twice);
  EXPECT_EQ(ErrorReasonOf(twice), "ERROR_REASON_LEAVE_NOT_PENDING");
  EXPECT_EQ(GetRecordOrDie(m1_).leave().state(), att::LEAVE_STATE_APPROVED);
}

TEST_F(LeaveRpcTest, MembersAndServicesCannotDecideLeave) {
  RequestLeaveOrDie();
  for (const char* token : {kMemberA1, kMemberA2, kService}) {
    att::AttendanceRecord record;
    const grpc::Status status =
        DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), token, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token << ": " << Describe(status);
  }
  EXPECT_EQ(GetRecordOrDie(m1_).leave().state(), att::LEAVE_STATE_PENDING);
}

TEST_F(LeaveRpcTest, CallersOfAnotherOrganizationGetNotFound) {
  RequestLeaveOrDie();
  att::AttendanceRecord record;
  const grpc::Status asked = RequestLeave(Leave(m1_), kMemberB1, &record);
  EXPECT_EQ(asked.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(asked);
  const grpc::Status decided =
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), kStaffB, &record);
  EXPECT_EQ(decided.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(decided);
  EXPECT_EQ(GetRecordOrDie(m1_).leave().state(), att::LEAVE_STATE_PENDING);
}

TEST_F(LeaveRpcTest, NonParticipantAndCancelledEventAreRefused) {
  att::AttendanceRecord record;
  const grpc::Status outsider = RequestLeave(Leave(RecordName(event_, "m3")), kStaffA, &record);
  EXPECT_EQ(outsider.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(outsider);
  EXPECT_EQ(ErrorReasonOf(outsider), "ERROR_REASON_NOT_A_PARTICIPANT");

  RequestLeaveOrDie();
  CancelEventOrDie(event_);
  const grpc::Status asked = RequestLeave(Leave(RecordName(event_, "m2")), kStaffA, &record);
  EXPECT_EQ(asked.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(asked);
  EXPECT_EQ(ErrorReasonOf(asked), "ERROR_REASON_EVENT_CANCELLED");
  const grpc::Status decided =
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE), kStaffA, &record);
  EXPECT_EQ(decided.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(decided);
  EXPECT_EQ(ErrorReasonOf(decided), "ERROR_REASON_EVENT_CANCELLED");
}

TEST_F(LeaveRpcTest, RetriedRequestAndDecisionAreAppliedOnce) {
  att::AttendanceRecord asked;
  ASSERT_TRUE(RequestLeave(Leave(m1_, "参加市里培训", false, "leave-1"), kMemberA1, &asked).ok());
  att::AttendanceRecord approved;
  ASSERT_TRUE(
      DecideLeave(Decide(m1_, att::LEAVE_DECISION_APPROVE, "", "decide-1"), kStaffA, &approved)
          .ok());

  // The retried request answers what it first answered (PENDING) without replacing the approval;
  // the retried decision answers the approval instead of LEAVE_NOT_PENDING.
  att::AttendanceRecord asked_again;
  const grpc::Status retried_ask =
      RequestLeave(Leave(m1_, "参加市里培训", false, "leave-1"), kMemberA1, &asked_again);
  ASSERT_TRUE(retried_ask.ok()) << Describe(retried_ask);
  EXPECT_EQ(asked_again.SerializeAsString(), asked.SerializeAsString());
  att::AttendanceRecord approved_again;
  const grpc::Status retried_decision = DecideLeave(
      Decide(m1_, att::LEAVE_DECISION_APPROVE, "", "decide-1"), kStaffA, &approved_again);
  ASSERT_TRUE(retried_decision.ok()) << Describe(retried_decision);
  EXPECT_EQ(approved_again.SerializeAsString(), approved.SerializeAsString());

  const att::AttendanceRecord stored = GetRecordOrDie(m1_);
  EXPECT_EQ(stored.leave().state(), att::LEAVE_STATE_APPROVED);
  EXPECT_EQ(stored.update_time().SerializeAsString(), approved.update_time().SerializeAsString());

  const grpc::Status reused =
      RequestLeave(Leave(m1_, "换了理由", false, "leave-1"), kMemberA1, &asked_again);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reused);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
}

}  // namespace
}  // namespace fieldwork::testing
