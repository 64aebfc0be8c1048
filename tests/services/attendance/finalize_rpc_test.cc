// FinalizeEvent and CorrectOutcome over gRPC against the real attendance and scheduling binaries
// and a real Redis: one participant per outcome rule (PRESENT, LATE, LEFT_EARLY, EXCUSED, ABSENT,
// NOT_ATTENDED and their precedence), finalizing again, events not ended or cancelled, changes
// refused once finalized, corrections with their history, automatic finalization by the sweeper,
// roles, field rules and retries with the same request_id.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

using Outcome = common::v1::AttendanceOutcome;

class FinalizeRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    const absl::Time now = Now();
    start_ = now - absl::Hours(4);
    end_ = now - absl::Hours(2);
  }

  grpc::Status Finalize(const std::string& event, att::FinalizeEventResponse* response,
                        absl::string_view token = kStaffA, const std::string& request_id = "") {
    att::FinalizeEventRequest request;
    request.set_event(event);
    request.set_request_id(request_id);
    return Call(&Attendance::FinalizeEvent, token, request, response);
  }

  att::FinalizeEventResponse FinalizeOrDie(const std::string& event) {
    att::FinalizeEventResponse response;
    const grpc::Status status = Finalize(event, &response);
    EXPECT_TRUE(status.ok()) << "FinalizeEvent " << event << ": " << Describe(status);
    return response;
  }

  static att::CorrectOutcomeRequest Correction(const std::string& record_name, Outcome outcome,
                                               const std::string& reason,
                                               const std::string& request_id = "") {
    att::CorrectOutcomeRequest request;
    request.set_name(record_name);
    request.set_outcome(outcome);
    request.set_reason(reason);
    request.set_request_id(request_id);
    return request;
  }

  grpc::Status Correct(const att::CorrectOutcomeRequest& request, att::AttendanceRecord* record,
                       absl::string_view token = kStaffA) {
    return Call(&Attendance::CorrectOutcome, token, request, record);
  }

  // Records approved leave for `member_id` as staff; fails the test otherwise.
  void ApproveLeaveOrDie(const std::string& event, absl::string_view member_id) {
    att::RequestLeaveRequest request;
    request.set_name(RecordName(event, member_id));
    request.set_reason("区里临时安排的任务");
    request.set_approve(true);
    att::AttendanceRecord record;
    const grpc::Status status = Call(&Attendance::RequestLeave, kStaffA, request, &record);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  // An ended event of one REQUIRED participant, m1, who never came.
  std::string CreateEventWithOneAbsentee(absl::string_view event_id = "ended") {
    CreateMembers({"m1"});
    return CreateEventOrDie(event_id, start_, end_, {{"m1"}});
  }

  absl::Time start_;
  absl::Time end_;
};

TEST_F(FinalizeRpcTest, FixesEachParticipantsOutcomeByTheRules) {
  const absl::Duration grace = absl::Minutes(10);
  struct Case {
    std::string member_id;
    v1::ParticipantRole role;
    Outcome expected;
  };
  const std::vector<Case> cases = {
      {"a-present", v1::PARTICIPANT_ROLE_LEAD, common::v1::ATTENDANCE_OUTCOME_PRESENT},
      {"b-on-grace", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_PRESENT},
      {"c-late", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_LATE},
      {"d-left-early", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY},
      {"e-late-and-left", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_LATE},
      {"f-excused", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_EXCUSED},
      {"g-came-anyway", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_PRESENT},
      {"h-absent", v1::PARTICIPANT_ROLE_REQUIRED, common::v1::ATTENDANCE_OUTCOME_ABSENT},
      {"i-pending-leave", v1::PARTICIPANT_ROLE_LEAD, common::v1::ATTENDANCE_OUTCOME_ABSENT},
      {"j-optional", v1::PARTICIPANT_ROLE_OPTIONAL, common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED},
      {"k-optional-excused", v1::PARTICIPANT_ROLE_OPTIONAL, common::v1::ATTENDANCE_OUTCOME_EXCUSED},
      {"l-optional-came", v1::PARTICIPANT_ROLE_OPTIONAL, common::v1::ATTENDANCE_OUTCOME_PRESENT},
  };
  std::vector<Invitee> invitees;
  for (const Case& c : cases) {
    CreateMember(c.member_id);
    invitees.push_back({c.member_id, c.role});
  }
  const std::string event = CreateEventOrDie("research", start_, end_, invitees);

  StaffCheckInOrDie(event, "a-present", start_ - absl::Minutes(20));
  StaffCheckOutOrDie(event, "a-present", end_);
  StaffCheckInOrDie(event, "b-on-grace", start_ + grace);
  StaffCheckOutOrDie(event, "b-on-grace", end_ - grace);
  StaffCheckInOrDie(event, "c-late", start_ + grace + absl::Seconds(1));
  StaffCheckInOrDie(event, "d-left-early", start_);
  StaffCheckOutOrDie(event, "d-left-early", end_ - grace - absl::Seconds(1));
  StaffCheckInOrDie(event, "e-late-and-left", start_ + absl::Minutes(30));
  StaffCheckOutOrDie(event, "e-late-and-left", start_ + absl::Minutes(40));
  ApproveLeaveOrDie(event, "f-excused");
  ApproveLeaveOrDie(event, "g-came-anyway");
  StaffCheckInOrDie(event, "g-came-anyway", start_);
  ApproveLeaveOrDie(event, "k-optional-excused");
  StaffCheckInOrDie(event, "l-optional-came", start_);
  att::RequestLeaveRequest pending;
  pending.set_name(RecordName(event, "i-pending-leave"));
  pending.set_reason("等待批准");
  att::AttendanceRecord record;
  ASSERT_TRUE(Call(&Attendance::RequestLeave, kStaffA, pending, &record).ok());

  const absl::Time before = Now();
  att::FinalizeEventResponse response;
  const grpc::Status status = Finalize(event, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.event(), event);
  EXPECT_FALSE(response.already_finalized());
  EXPECT_GE(FromTimestamp(response.finalize_time()), before);
  ASSERT_EQ(response.records_size(), static_cast<int>(cases.size()));
  for (size_t i = 0; i < cases.size(); ++i) {
    const att::AttendanceRecord& finalized = response.records(static_cast<int>(i));
    EXPECT_EQ(finalized.member(), MemberName(cases[i].member_id)) << "ordered by member name";
    EXPECT_EQ(finalized.outcome(), cases[i].expected)
        << cases[i].member_id << " got " << common::v1::AttendanceOutcome_Name(finalized.outcome());
    EXPECT_TRUE(finalized.finalized());
    EXPECT_EQ(finalized.finalized_by(), kStaffA);
    EXPECT_EQ(finalized.finalize_time().SerializeAsString(),
              response.finalize_time().SerializeAsString());
    EXPECT_EQ(finalized.participant_role(), cases[i].role);
    EXPECT_EQ(GetRecordOrDie(finalized.name()).outcome(), cases[i].expected) << cases[i].member_id;
  }
}

TEST_F(FinalizeRpcTest, FinalizingAgainAnswersTheExistingOutcomes) {
  const std::string event = CreateEventWithOneAbsentee();
  const att::FinalizeEventResponse first = FinalizeOrDie(event);
  ASSERT_EQ(first.records_size(), 1);

  att::FinalizeEventResponse again;
  const grpc::Status status = Finalize(event, &again, kOrgAdminA);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(again.already_finalized());
  EXPECT_EQ(again.finalize_time().SerializeAsString(), first.finalize_time().SerializeAsString());
  ASSERT_EQ(again.records_size(), 1);
  EXPECT_EQ(again.records(0).outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(again.records(0).finalized_by(), kStaffA);
}

TEST_F(FinalizeRpcTest, FinalizedEventRefusesFurtherChanges) {
  const std::string event = CreateEventWithOneAbsentee();
  FinalizeOrDie(event);
  const std::string m1 = RecordName(event, "m1");

  att::CheckInRequest check_in;
  check_in.set_name(m1);
  *check_in.mutable_check_in_time() = ToTimestamp(start_);
  att::CheckInResponse checked_in;
  const grpc::Status in = Call(&Attendance::CheckIn, kStaffA, check_in, &checked_in);
  EXPECT_EQ(in.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(in);
  EXPECT_EQ(ErrorReasonOf(in), "ERROR_REASON_ALREADY_FINALIZED");

  att::RequestLeaveRequest leave;
  leave.set_name(m1);
  leave.set_reason("补请假");
  leave.set_approve(true);
  att::AttendanceRecord record;
  const grpc::Status asked = Call(&Attendance::RequestLeave, kStaffA, leave, &record);
  EXPECT_EQ(asked.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(asked);
  EXPECT_EQ(ErrorReasonOf(asked), "ERROR_REASON_ALREADY_FINALIZED");

  att::BatchCheckInRequest sheet;
  sheet.set_event(event);
  sheet.add_rows()->set_member(MemberName("m1"));
  *sheet.mutable_rows(0)->mutable_check_in_time() = ToTimestamp(start_);
  att::BatchCheckInResponse batch;
  const grpc::Status batched = Call(&Attendance::BatchCheckIn, kStaffA, sheet, &batch);
  if (batched.ok()) {
    ASSERT_EQ(batch.results_size(), 1);
    EXPECT_EQ(ErrorReasonOf(ToGrpcStatus(batch.results(0).status())),
              "ERROR_REASON_ALREADY_FINALIZED");
  } else {
    EXPECT_EQ(ErrorReasonOf(batched), "ERROR_REASON_ALREADY_FINALIZED") << Describe(batched);
  }

  const att::AttendanceRecord stored = GetRecordOrDie(m1);
  EXPECT_FALSE(stored.has_check_in());
  EXPECT_FALSE(stored.has_leave());
  EXPECT_EQ(stored.outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
}

TEST_F(FinalizeRpcTest, RefusesAnEventThatHasNotEnded) {
  CreateMembers({"m1"});
  const std::string event = CreateInProgressEvent("running", {{"m1"}});
  att::FinalizeEventResponse response;
  const grpc::Status status = Finalize(event, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_NOT_ENDED");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event, "m1")).finalized());
}

TEST_F(FinalizeRpcTest, RefusesACancelledEvent) {
  CreateMembers({"m1"});
  const std::string event = CreateFutureEvent("called-off", {{"m1"}});
  CancelEventOrDie(event);
  att::FinalizeEventResponse response;
  const grpc::Status status = Finalize(event, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_EVENT_CANCELLED");
}

TEST_F(FinalizeRpcTest, RefusesMalformedAndUnknownEvents) {
  att::FinalizeEventResponse response;
  for (const std::string& event : {std::string(), std::string("organizations/tongguan"),
                                   std::string("organizations/tongguan/events/E1")}) {
    const grpc::Status status = Finalize(event, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"event"}) << event;
  }
  EXPECT_EQ(Finalize(EventName("nope"), &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(FinalizeRpcTest, OnlyStaffAndAdminsOfTheOrganizationFinalize) {
  const std::string event = CreateEventWithOneAbsentee();
  att::FinalizeEventResponse response;
  for (const char* token : {kMemberA1, kService}) {
    EXPECT_EQ(Finalize(event, &response, token).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_EQ(Finalize(event, &response, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event, "m1")).finalized());
  const grpc::Status admin = Finalize(event, &response, kAdmin);
  ASSERT_TRUE(admin.ok()) << Describe(admin);
  EXPECT_EQ(response.records(0).finalized_by(), kAdmin);
}

TEST_F(FinalizeRpcTest, RetriedFinalizeReturnsTheFirstAnswer) {
  const std::string event = CreateEventWithOneAbsentee();
  att::FinalizeEventResponse first;
  ASSERT_TRUE(Finalize(event, &first, kStaffA, "finalize-1").ok());
  att::FinalizeEventResponse retried;
  const grpc::Status status = Finalize(event, &retried, kStaffA, "finalize-1");
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_FALSE(retried.already_finalized());
}

TEST_F(FinalizeRpcTest, CorrectionNeedsAFinalizedEvent) {
  const std::string event = CreateEventWithOneAbsentee();
  att::AttendanceRecord record;
  const grpc::Status status = Correct(
      Correction(RecordName(event, "m1"), common::v1::ATTENDANCE_OUTCOME_EXCUSED, "补交了请假条"),
      &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_NOT_FINALIZED");
}

TEST_F(FinalizeRpcTest, CorrectionsChangeTheOutcomeAndAreKeptInOrder) {
  const std::string event = CreateEventWithOneAbsentee();
  FinalizeOrDie(event);
  const std::string m1 = RecordName(event, "m1");
  const absl::Time before = Now();
  att::AttendanceRecord record;
  const grpc::Status first =
      Correct(Correction(m1, common::v1::ATTENDANCE_OUTCOME_EXCUSED, "补交了请假条"), &record);
  ASSERT_TRUE(first.ok()) << Describe(first);
  EXPECT_EQ(record.outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  ASSERT_EQ(record.corrections_size(), 1);
  EXPECT_EQ(record.corrections(0).previous_outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(record.corrections(0).new_outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  EXPECT_EQ(record.corrections(0).reason(), "补交了请假条");
  EXPECT_EQ(record.corrections(0).corrected_by(), kStaffA);
  EXPECT_GE(FromTimestamp(record.corrections(0).correct_time()), before);

  const grpc::Status second = Correct(
      Correction(m1, common::v1::ATTENDANCE_OUTCOME_PRESENT, "签到表漏登"), &record, kOrgAdminA);
  ASSERT_TRUE(second.ok()) << Describe(second);
  const att::AttendanceRecord stored = GetRecordOrDie(m1);
  EXPECT_EQ(stored.outcome(), common::v1::ATTENDANCE_OUTCOME_PRESENT);
  EXPECT_TRUE(stored.finalized());
  ASSERT_EQ(stored.corrections_size(), 2);
  EXPECT_EQ(stored.corrections(0).reason(), "补交了请假条");
  EXPECT_EQ(stored.corrections(1).previous_outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  EXPECT_EQ(stored.corrections(1).new_outcome(), common::v1::ATTENDANCE_OUTCOME_PRESENT);
  EXPECT_EQ(stored.corrections(1).corrected_by(), kOrgAdminA);

  const grpc::Status same =
      Correct(Correction(m1, common::v1::ATTENDANCE_OUTCOME_PRESENT, "复核确认"), &record);
  ASSERT_TRUE(same.ok()) << Describe(same);
  EXPECT_EQ(record.corrections_size(), 3);
}

TEST_F(FinalizeRpcTest, CorrectionRejectsBadFields) {
  const std::string event = CreateEventWithOneAbsentee();
  FinalizeOrDie(event);
  const std::string m1 = RecordName(event, "m1");
  std::string long_reason;
  for (int i = 0; i < 501; ++i) long_reason += "因";
  struct BadCorrection {
    att::CorrectOutcomeRequest request;
    std::string field;
  };
  const std::vector<BadCorrection> cases = {
      {Correction(m1, common::v1::ATTENDANCE_OUTCOME_EXCUSED, ""), "reason"},
      {Correction(m1, common::v1::ATTENDANCE_OUTCOME_EXCUSED, long_reason), "reason"},
      {Correction(m1, common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED, "理由"), "outcome"},
      {Correction(m1, static_cast<Outcome>(42), "理由"), "outcome"},
      {Correction(event, common::v1::ATTENDANCE_OUTCOME_EXCUSED, "理由"), "name"},
  };
  for (const BadCorrection& bad : cases) {
    att::AttendanceRecord record;
    const grpc::Status status = Correct(bad.request, &record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{bad.field});
  }
  const att::AttendanceRecord stored = GetRecordOrDie(m1);
  EXPECT_EQ(stored.outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(stored.corrections_size(), 0);
}

TEST_F(FinalizeRpcTest, OnlyStaffAndAdminsOfTheOrganizationCorrect) {
  const std::string event = CreateEventWithOneAbsentee();
  FinalizeOrDie(event);
  const att::CorrectOutcomeRequest request =
      Correction(RecordName(event, "m1"), common::v1::ATTENDANCE_OUTCOME_PRESENT, "我来了");
  att::AttendanceRecord record;
  for (const char* token : {kMemberA1, kService}) {
    EXPECT_EQ(Correct(request, &record, token).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_EQ(Correct(request, &record, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetRecordOrDie(RecordName(event, "m1")).corrections_size(), 0);
}

TEST_F(FinalizeRpcTest, RetriedCorrectionIsAppendedOnce) {
  const std::string event = CreateEventWithOneAbsentee();
  FinalizeOrDie(event);
  const att::CorrectOutcomeRequest request = Correction(
      RecordName(event, "m1"), common::v1::ATTENDANCE_OUTCOME_EXCUSED, "补交了请假条", "fix-1");
  att::AttendanceRecord first;
  ASSERT_TRUE(Correct(request, &first).ok());
  att::AttendanceRecord retried;
  const grpc::Status status = Correct(request, &retried);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(GetRecordOrDie(RecordName(event, "m1")).corrections_size(), 1);

  att::CorrectOutcomeRequest different = request;
  different.set_reason("另一个理由");
  const grpc::Status reused = Correct(different, &retried);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reused);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
}

TEST_F(FinalizeRpcTest, SweeperFinalizesAnEventAutoFinalizeAfterItsEnd) {
  v1::AttendanceSettings settings;
  settings.mutable_auto_finalize_after()->set_seconds(3600);
  SetAttendanceSettings(settings);
  CreateMembers({"m1", "m2"});
  const std::string event = CreateEventOrDie("old", start_, end_, {{"m1"}, {"m2"}});
  StaffCheckInOrDie(event, "m2", start_);

  // The shared attendance sweeps every second (see AttendanceReplicaOptions).
  att::AttendanceRecord m1;
  const absl::Status finalized = WaitFor(
      [&] {
        att::GetAttendanceRequest request;
        request.set_name(RecordName(event, "m1"));
        return Call(&Attendance::GetAttendance, kStaffA, request, &m1).ok() && m1.finalized();
      },
      absl::Seconds(60), "automatic finalization of " + event);
  ASSERT_TRUE(finalized.ok()) << finalized;
  EXPECT_EQ(m1.outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(m1.finalized_by(), "system");
  const att::AttendanceRecord m2 = GetRecordOrDie(RecordName(event, "m2"));
  EXPECT_TRUE(m2.finalized());
  EXPECT_EQ(m2.outcome(), common::v1::ATTENDANCE_OUTCOME_PRESENT);

  att::FinalizeEventResponse again;
  ASSERT_TRUE(Finalize(event, &again).ok());
  EXPECT_TRUE(again.already_finalized());
}

TEST_F(FinalizeRpcTest, SweeperLeavesEventsOfOrganizationsThatTurnedItOff) {
  // kOrgB turns automatic finalization off, kOrgA keeps it on (both after one hour). Organizations
  // are swept in id order (jiaoqu before tongguan), so once kOrgA's event is finalized the sweeper
  // has also passed kOrgB's.
  CreateOtherOrganization();
  v1::AttendanceSettings settings;
  settings.mutable_auto_finalize_after()->set_seconds(3600);
  SetAttendanceSettings(settings);
  settings.set_auto_finalize_disabled(true);
  SetAttendanceSettings(settings, kOrgB);
  const std::string enabled = CreateEventWithOneAbsentee();
  v1::CreateEventRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgB));
  request.set_event_id("ended");
  request.mutable_event()->set_kind(v1::EVENT_KIND_VISIT);
  request.mutable_event()->set_title("走访企业");
  request.mutable_event()->set_state(v1::EVENT_STATE_SCHEDULED);
  *request.mutable_event()->mutable_time_range() = Range(start_, end_);
  v1::Participant& participant = *request.mutable_event()->add_participants();
  participant.set_member(absl::StrCat("organizations/", kOrgB, "/members/m1"));
  participant.set_role(v1::PARTICIPANT_ROLE_REQUIRED);
  v1::CreateEventResponse created;
  const grpc::Status status = Call(&Scheduling::CreateEvent, kStaffB, request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);

  const absl::Status finalized = WaitFor(
      [&] {
        att::GetAttendanceRequest get;
        get.set_name(RecordName(enabled, "m1"));
        att::AttendanceRecord record;
        return Call(&Attendance::GetAttendance, kStaffA, get, &record).ok() && record.finalized();
      },
      absl::Seconds(60), "automatic finalization of " + enabled);
  ASSERT_TRUE(finalized.ok()) << finalized;
  const att::AttendanceRecord disabled =
      GetRecordOrDie(RecordName(created.event().name(), "m1"), kStaffB);
  EXPECT_FALSE(disabled.finalized());
  EXPECT_EQ(disabled.outcome(), common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);
}

}  // namespace
}  // namespace fieldwork::testing
