// Check-in codes, CheckIn and CheckOut over gRPC against the real attendance and scheduling
// binaries and a real Redis: codes issued to staff only while check-in is open; members check in
// for themselves with the current code (a wrong code or another event's code is refused), staff for
// anyone at a given time; the window and grace from the organization's settings, late and
// left-early flags, repeated check-ins keeping the first time, check-out rules, refusals and
// retries with the same request_id.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/duration.pb.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

class CheckInRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2", "m3"});
    const absl::Time now = Now();
    start_ = now - absl::Minutes(30);
    end_ = now + absl::Hours(1);
    event_ = CreateEventOrDie("inspection", start_, end_, {{"m1"}, {"m2"}});
  }

  static att::CheckInRequest MemberCheckIn(const std::string& record_name, const std::string& code,
                                           const std::string& request_id = "") {
    att::CheckInRequest request;
    request.set_name(record_name);
    request.set_code(code);
    request.set_request_id(request_id);
    return request;
  }

  static att::CheckInRequest StaffCheckIn(const std::string& record_name, absl::Time time,
                                          const std::string& request_id = "") {
    att::CheckInRequest request;
    request.set_name(record_name);
    *request.mutable_check_in_time() = ToTimestamp(time);
    request.set_request_id(request_id);
    return request;
  }

  static att::CheckOutRequest StaffCheckOut(const std::string& record_name, absl::Time time) {
    att::CheckOutRequest request;
    request.set_name(record_name);
    *request.mutable_check_out_time() = ToTimestamp(time);
    return request;
  }

  grpc::Status CheckIn(const att::CheckInRequest& request, absl::string_view token,
                       att::CheckInResponse* response) {
    return Call(&Attendance::CheckIn, token, request, response);
  }
  grpc::Status CheckOut(const att::CheckOutRequest& request, absl::string_view token,
                        att::CheckOutResponse* response) {
    return Call(&Attendance::CheckOut, token, request, response);
  }
  grpc::Status Issue(const std::string& event, absl::string_view token,
                     att::IssueCheckInCodeResponse* response) {
    att::IssueCheckInCodeRequest request;
    request.set_event(event);
    return Call(&Attendance::IssueCheckInCode, token, request, response);
  }

  static void ExpectRefused(const grpc::Status& status, grpc::StatusCode code,
                            const std::string& reason) {
    EXPECT_EQ(status.error_code(), code) << Describe(status);
    EXPECT_EQ(ErrorReasonOf(status), reason) << Describe(status);
  }

  absl::Time start_;
  absl::Time end_;
  std::string event_;
};

TEST_F(CheckInRpcTest, StaffGetsASixDigitCodeWithItsQrPayloadAndValidity) {
  const absl::Time before = Now();
  att::IssueCheckInCodeResponse issued;
  const grpc::Status status = Issue(event_, kStaffA, &issued);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(issued.code().size(), 6u);
  for (const char digit : issued.code()) EXPECT_TRUE(absl::ascii_isdigit(digit)) << issued.code();
  EXPECT_EQ(issued.qr_payload(),
            absl::StrCat("fieldwork:check-in?event=", event_, "&code=", issued.code()));
  EXPECT_EQ(issued.step_seconds(), 30);
  const absl::Time valid_from = FromTimestamp(issued.valid_from());
  EXPECT_LE(valid_from, Now());
  EXPECT_GT(valid_from + absl::Seconds(30), before);
  EXPECT_EQ(FromTimestamp(issued.refresh_time()), valid_from + absl::Seconds(30));
  EXPECT_EQ(FromTimestamp(issued.valid_until()), valid_from + absl::Seconds(60));
  EXPECT_EQ(absl::ToUnixSeconds(valid_from) % 30, 0);
}

TEST_F(CheckInRpcTest, AdminsMayIssueCodesButMembersAndServicesMayNot) {
  att::IssueCheckInCodeResponse issued;
  for (const char* token : {kOrgAdminA, kAdmin}) {
    const grpc::Status status = Issue(event_, token, &issued);
    EXPECT_TRUE(status.ok()) << token << ": " << Describe(status);
  }
  for (const char* token : {kMemberA1, kService}) {
    const grpc::Status status = Issue(event_, token, &issued);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token << ": " << Describe(status);
  }
  EXPECT_EQ(Issue(event_, kStaffB, &issued).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CheckInRpcTest, NoCodeOutsideTheWindowOrForCancelledUnknownOrMalformedEvents) {
  const std::string future = CreateFutureEvent("future", {{"m3"}});
  const std::string ended = CreateEndedEvent("ended", {{"m3"}});
  att::IssueCheckInCodeResponse issued;
  ExpectRefused(Issue(future, kStaffA, &issued), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  ExpectRefused(Issue(ended, kStaffA, &issued), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  EXPECT_EQ(Issue(EventName("nope"), kStaffA, &issued).error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status malformed = Issue("organizations/tongguan/events/", kStaffA, &issued);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(malformed);
  EXPECT_EQ(ViolationFields(malformed), std::vector<std::string>{"event"});
  CancelEventOrDie(event_);
  ExpectRefused(Issue(event_, kStaffA, &issued), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_EVENT_CANCELLED");
}

TEST_F(CheckInRpcTest, MemberChecksInForItselfWithTheCurrentCode) {
  const std::string code = IssueCodeOrDie(event_);
  const absl::Time before = Now();
  att::CheckInResponse response;
  const grpc::Status status =
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), code), kMemberA1, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(response.already_checked_in());
  EXPECT_TRUE(response.late());  // 30 minutes after the start, grace 10 minutes
  const att::PresenceRecord& check_in = response.record().check_in();
  EXPECT_EQ(check_in.method(), att::CHECK_IN_METHOD_CODE);
  EXPECT_EQ(check_in.recorded_by(), kMemberA1Subject);
  EXPECT_GE(FromTimestamp(check_in.time()), before);
  EXPECT_LE(FromTimestamp(check_in.time()), absl::Now());
  EXPECT_EQ(GetRecordOrDie(RecordName(event_, "m1")).check_in().SerializeAsString(),
            check_in.SerializeAsString());
}

TEST_F(CheckInRpcTest, WrongCodeIsRefused) {
  const std::string code = IssueCodeOrDie(event_);
  att::CheckInResponse response;
  ExpectRefused(
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), OtherCode(code)), kMemberA1, &response),
      grpc::StatusCode::PERMISSION_DENIED, "ERROR_REASON_CHECK_IN_CODE_INVALID");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, CodeOfAnotherEventIsRefused) {
  const std::string other = CreateEventOrDie("other", start_, end_, {{"m3"}});
  const std::string other_code = IssueCodeOrDie(other);
  ASSERT_NE(other_code, IssueCodeOrDie(event_)) << "two events share a code (1 in 10^6)";
  att::CheckInResponse response;
  ExpectRefused(CheckIn(MemberCheckIn(RecordName(event_, "m1"), other_code), kMemberA1, &response),
                grpc::StatusCode::PERMISSION_DENIED, "ERROR_REASON_CHECK_IN_CODE_INVALID");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, MemberWithoutACodeIsRefused) {
  att::CheckInResponse response;
  const grpc::Status status =
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), ""), kMemberA1, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"code"});
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

// A code that is not 6 digits breaks the field's format (INVALID_ARGUMENT, like every field rule),
// unlike a well-formed code that is wrong or stale (PERMISSION_DENIED).
TEST_F(CheckInRpcTest, MalformedCodeIsAnInvalidArgument) {
  for (const char* code : {"12345", "12a456", "1234567"}) {
    att::CheckInResponse response;
    const grpc::Status status =
        CheckIn(MemberCheckIn(RecordName(event_, "m1"), code), kMemberA1, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "code \"" << code << "\": " << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"code"}) << code;
  }
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, MemberCannotCheckInForAnotherMember) {
  const std::string code = IssueCodeOrDie(event_);
  att::CheckInResponse response;
  const grpc::Status status =
      CheckIn(MemberCheckIn(RecordName(event_, "m2"), code), kMemberA1, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m2")).has_check_in());
}

TEST_F(CheckInRpcTest, MemberCannotChooseItsCheckInTime) {
  att::CheckInRequest request = MemberCheckIn(RecordName(event_, "m1"), IssueCodeOrDie(event_));
  *request.mutable_check_in_time() = ToTimestamp(start_);
  att::CheckInResponse response;
  const grpc::Status status = CheckIn(request, kMemberA1, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"check_in_time"});
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, StaffChecksInAnyParticipantWithoutACode) {
  att::CheckInResponse response;
  const grpc::Status status = CheckIn(
      StaffCheckIn(RecordName(event_, "m2"), start_ - absl::Minutes(10)), kStaffA, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(response.late());
  EXPECT_EQ(FromTimestamp(response.record().check_in().time()), start_ - absl::Minutes(10));
  EXPECT_EQ(response.record().check_in().method(), att::CHECK_IN_METHOD_STAFF);
  EXPECT_EQ(response.record().check_in().recorded_by(), kStaffA);

  att::CheckInRequest now_request;
  now_request.set_name(RecordName(event_, "m1"));
  const absl::Time before = Now();
  ASSERT_TRUE(CheckIn(now_request, kOrgAdminA, &response).ok());
  EXPECT_GE(FromTimestamp(response.record().check_in().time()), before);
}

TEST_F(CheckInRpcTest, RepeatedCheckInKeepsTheFirstTime) {
  StaffCheckInOrDie(event_, "m1", start_ - absl::Minutes(10));
  att::CheckInResponse again;
  const grpc::Status staff =
      CheckIn(StaffCheckIn(RecordName(event_, "m1"), start_ + absl::Minutes(20)), kStaffA, &again);
  ASSERT_TRUE(staff.ok()) << Describe(staff);
  EXPECT_TRUE(again.already_checked_in());
  EXPECT_FALSE(again.late());
  EXPECT_EQ(FromTimestamp(again.record().check_in().time()), start_ - absl::Minutes(10));

  const grpc::Status member =
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), IssueCodeOrDie(event_)), kMemberA1, &again);
  ASSERT_TRUE(member.ok()) << Describe(member);
  EXPECT_TRUE(again.already_checked_in());
  EXPECT_EQ(again.record().check_in().method(), att::CHECK_IN_METHOD_STAFF);
  EXPECT_EQ(FromTimestamp(GetRecordOrDie(RecordName(event_, "m1")).check_in().time()),
            start_ - absl::Minutes(10));
}

TEST_F(CheckInRpcTest, LateIsStrictlyAfterStartPlusGrace) {
  const att::CheckInResponse on_time = StaffCheckInOrDie(event_, "m1", start_ + absl::Minutes(10));
  EXPECT_FALSE(on_time.late());
  const att::CheckInResponse late =
      StaffCheckInOrDie(event_, "m2", start_ + absl::Minutes(10) + absl::Seconds(1));
  EXPECT_TRUE(late.late());
}

TEST_F(CheckInRpcTest, GraceComesFromTheOrganizationSettings) {
  v1::AttendanceSettings settings;
  settings.mutable_grace()->set_seconds(0);
  SetAttendanceSettings(settings);
  v1::GetOrganizationRequest get;
  get.set_name("organizations/tongguan");
  v1::Organization organization;
  ASSERT_TRUE(Call(&Scheduling::GetOrganization, kStaffA, get, &organization).ok());
  ASSERT_TRUE(organization.attendance_settings().has_grace());
  ASSERT_EQ(organization.attendance_settings().grace().seconds(), 0)
      << "scheduling reports the effective grace";
  EXPECT_TRUE(StaffCheckInOrDie(event_, "m1", start_ + absl::Seconds(1)).late());
  EXPECT_FALSE(StaffCheckInOrDie(event_, "m2", start_).late());
}

TEST_F(CheckInRpcTest, CheckInOutsideTheWindowIsRefused) {
  att::CheckInResponse response;
  ExpectRefused(CheckIn(StaffCheckIn(RecordName(event_, "m1"), start_ - absl::Minutes(61)), kStaffA,
                        &response),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  ExpectRefused(CheckIn(StaffCheckIn(RecordName(event_, "m1"), end_), kStaffA, &response),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");

  const std::string future = CreateFutureEvent("future", {{"m3"}});
  att::CheckInRequest now_request;
  now_request.set_name(RecordName(future, "m3"));
  ExpectRefused(CheckIn(now_request, kStaffA, &response), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  const std::string ended = CreateEndedEvent("ended", {{"m3"}});
  now_request.set_name(RecordName(ended, "m3"));
  ExpectRefused(CheckIn(now_request, kStaffA, &response), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
  EXPECT_FALSE(GetRecordOrDie(RecordName(ended, "m3")).has_check_in());
}

TEST_F(CheckInRpcTest, WindowOpensAsEarlyAsTheOrganizationSays) {
  const absl::Time opens = start_ - absl::Minutes(60);
  StaffCheckInOrDie(event_, "m1", opens);
  v1::AttendanceSettings settings;
  settings.mutable_check_in_opens_before()->set_seconds(2 * 3600);
  SetAttendanceSettings(settings);
  const att::CheckInResponse early = StaffCheckInOrDie(event_, "m2", opens - absl::Minutes(30));
  EXPECT_EQ(FromTimestamp(early.record().check_in().time()), opens - absl::Minutes(30));
}

TEST_F(CheckInRpcTest, ZeroOpeningTimeOpensTheWindowAtTheStart) {
  v1::AttendanceSettings settings;
  settings.mutable_check_in_opens_before()->set_seconds(0);
  SetAttendanceSettings(settings);
  att::CheckInResponse response;
  ExpectRefused(CheckIn(StaffCheckIn(RecordName(event_, "m1"), start_ - absl::Seconds(1)), kStaffA,
                        &response),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  StaffCheckInOrDie(event_, "m2", start_);
}

TEST_F(CheckInRpcTest, PreviousStepsCodeIsStillAccepted) {
  att::IssueCheckInCodeResponse first;
  ASSERT_TRUE(Issue(event_, kStaffA, &first).ok());
  // Wait for the next 30-second step: ask for the code again only once the screen says to.
  att::IssueCheckInCodeResponse next;
  const absl::Status stepped = WaitFor(
      [&] {
        if (absl::Now() < FromTimestamp(first.refresh_time())) return false;
        return Issue(event_, kStaffA, &next).ok() &&
               FromTimestamp(next.valid_from()) == FromTimestamp(first.refresh_time());
      },
      absl::Seconds(60), "the next check-in code step");
  ASSERT_TRUE(stepped.ok()) << stepped;
  att::CheckInResponse response;
  const grpc::Status status =
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), first.code()), kMemberA1, &response);
  EXPECT_TRUE(status.ok()) << "the previous step's code: " << Describe(status);
  const grpc::Status current =
      CheckIn(MemberCheckIn(RecordName(event_, "m2"), next.code()), kMemberA2, &response);
  EXPECT_TRUE(current.ok()) << Describe(current);
}

TEST_F(CheckInRpcTest, StaffRecordsACheckInAfterTheEndAtATimeInsideTheWindow) {
  const absl::Time now = Now();
  const std::string ended =
      CreateEventOrDie("ended", now - absl::Hours(3), now - absl::Hours(2), {{"m3"}});
  const att::CheckInResponse response =
      StaffCheckInOrDie(ended, "m3", now - absl::Hours(3) + absl::Minutes(1));
  EXPECT_FALSE(response.late());
}

TEST_F(CheckInRpcTest, NonParticipantIsRefused) {
  att::CheckInResponse response;
  ExpectRefused(CheckIn(StaffCheckIn(RecordName(event_, "m3"), start_), kStaffA, &response),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_NOT_A_PARTICIPANT");
  att::CheckOutResponse out;
  ExpectRefused(CheckOut(StaffCheckOut(RecordName(event_, "m3"), start_), kStaffA, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_NOT_A_PARTICIPANT");
}

TEST_F(CheckInRpcTest, CancelledEventRefusesCheckInAndCheckOut) {
  StaffCheckInOrDie(event_, "m1", start_);
  CancelEventOrDie(event_);
  att::CheckInResponse response;
  ExpectRefused(CheckIn(StaffCheckIn(RecordName(event_, "m2"), start_), kStaffA, &response),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_EVENT_CANCELLED");
  att::CheckOutResponse out;
  ExpectRefused(
      CheckOut(StaffCheckOut(RecordName(event_, "m1"), start_ + absl::Minutes(5)), kStaffA, &out),
      grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_EVENT_CANCELLED");
}

// A replica caching events for 1 s: once the cached entry is past half that, a check-in that
// finds it so reads the event again without waiting for it, so a cancellation made in scheduling
// reaches the replica's check-ins within the TTL and a little, however busy the event.
TEST_F(CheckInRpcTest, ACachedEventIsReadAgainSoACancellationSoonRefusesCheckIns) {
  AttendanceReplicaOptions options;
  options.redis_url = redis().url();
  options.scheduling_target = service().address();
  options.extra_flags = {"--event-cache-ttl=1s"};
  absl::StatusOr<std::unique_ptr<ServiceProcess>> replica = StartAttendanceReplica(options);
  ASSERT_TRUE(replica.ok()) << replica.status();
  const std::unique_ptr<Attendance> cached = att::AttendanceService::NewStub((*replica)->channel());
  const auto check_in = [&](absl::string_view member, att::CheckInResponse* response) {
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    return cached->CheckIn(&context, StaffCheckIn(RecordName(event_, member), start_), response);
  };
  att::CheckInResponse response;
  // The first check-in reads the event into the cache; the next ones are answered from it.
  ASSERT_TRUE(check_in("m1", &response).ok());
  CancelEventOrDie(event_);
  // Repeated check-ins of m1 are answered until the cached event is read again; then refused.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  grpc::Status status;
  int answered_after_cancel = 0;
  while (absl::Now() < give_up) {
    status = check_in("m1", &response);
    if (!status.ok()) break;
    EXPECT_TRUE(response.already_checked_in());
    ++answered_after_cancel;
  }
  ExpectRefused(status, grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_EVENT_CANCELLED");
  // And the refusal sticks: the cache now holds the cancelled event.
  ExpectRefused(check_in("m2", &response), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_EVENT_CANCELLED");
  RecordProperty("answered_after_cancel", answered_after_cancel);
}

TEST_F(CheckInRpcTest, CallersOfAnotherOrganizationGetNotFound) {
  att::CheckInResponse response;
  for (const char* token : {kStaffB, kMemberB1}) {
    const grpc::Status status =
        CheckIn(StaffCheckIn(RecordName(event_, "m1"), start_), token, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
        << token << ": " << Describe(status);
  }
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, RejectsMalformedNamesAndRequestIds) {
  att::CheckInResponse response;
  for (const std::string& name : {std::string(), event_, RecordName(event_, "m_1")}) {
    const grpc::Status status = CheckIn(StaffCheckIn(name, start_), kStaffA, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"name"}) << name;
  }
  const grpc::Status long_id = CheckIn(
      StaffCheckIn(RecordName(event_, "m1"), start_, std::string(65, 'x')), kStaffA, &response);
  EXPECT_EQ(ViolationFields(long_id), std::vector<std::string>{"request_id"}) << Describe(long_id);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(CheckInRpcTest, RetriedCheckInReturnsTheFirstAnswer) {
  const std::string code = IssueCodeOrDie(event_);
  att::CheckInResponse first;
  ASSERT_TRUE(
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), code, "scan-1"), kMemberA1, &first).ok());
  att::CheckInResponse retried;
  const grpc::Status status =
      CheckIn(MemberCheckIn(RecordName(event_, "m1"), code, "scan-1"), kMemberA1, &retried);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_FALSE(retried.already_checked_in());

  const grpc::Status reused =
      CheckIn(StaffCheckIn(RecordName(event_, "m2"), start_, "staff-1"), kStaffA, &retried);
  ASSERT_TRUE(reused.ok()) << Describe(reused);
  const grpc::Status different =
      CheckIn(StaffCheckIn(RecordName(event_, "m2"), start_ + absl::Minutes(1), "staff-1"), kStaffA,
              &retried);
  EXPECT_EQ(different.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(different);
  EXPECT_EQ(ErrorReasonOf(different), "ERROR_REASON_REQUEST_ID_REUSED");
}

TEST_F(CheckInRpcTest, RetriedCheckOutReturnsTheFirstAnswer) {
  StaffCheckInOrDie(event_, "m1", start_);
  att::CheckOutRequest request = StaffCheckOut(RecordName(event_, "m1"), start_ + absl::Minutes(5));
  request.set_request_id("out-1");
  att::CheckOutResponse first;
  ASSERT_TRUE(CheckOut(request, kStaffA, &first).ok());
  StaffCheckOutOrDie(event_, "m1", start_ + absl::Minutes(20));

  att::CheckOutResponse retried;
  const grpc::Status status = CheckOut(request, kStaffA, &retried);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(FromTimestamp(GetRecordOrDie(RecordName(event_, "m1")).check_out().time()),
            start_ + absl::Minutes(20))
      << "the retry must not replace the later check-out";

  *request.mutable_check_out_time() = ToTimestamp(start_ + absl::Minutes(6));
  const grpc::Status reused = CheckOut(request, kStaffA, &retried);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reused);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
}

TEST_F(CheckInRpcTest, CheckOutNeedsACheckIn) {
  att::CheckOutResponse out;
  ExpectRefused(CheckOut(StaffCheckOut(RecordName(event_, "m1"), Now()), kStaffA, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_NOT_CHECKED_IN");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_out());
}

TEST_F(CheckInRpcTest, MemberChecksOutWithTheCodeAndLeavesEarly) {
  StaffCheckInOrDie(event_, "m1", start_);
  att::CheckOutRequest request;
  request.set_name(RecordName(event_, "m1"));
  request.set_code(IssueCodeOrDie(event_));
  att::CheckOutResponse out;
  const grpc::Status status = CheckOut(request, kMemberA1, &out);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(out.left_early());  // the event ends in an hour
  EXPECT_EQ(out.record().check_out().method(), att::CHECK_IN_METHOD_CODE);
  EXPECT_EQ(out.record().check_out().recorded_by(), kMemberA1Subject);

  request.set_code(OtherCode(request.code()));
  ExpectRefused(CheckOut(request, kMemberA1, &out), grpc::StatusCode::PERMISSION_DENIED,
                "ERROR_REASON_CHECK_IN_CODE_INVALID");
  request.set_name(RecordName(event_, "m2"));
  StaffCheckInOrDie(event_, "m2", start_);
  request.set_code(IssueCodeOrDie(event_));
  EXPECT_EQ(CheckOut(request, kMemberA1, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CheckInRpcTest, LeftEarlyIsStrictlyBeforeEndMinusGraceAndLaterCheckOutReplaces) {
  const absl::Time now = Now();
  const absl::Time start = now - absl::Hours(4);
  const absl::Time end = now - absl::Minutes(30);
  const std::string ended = CreateEventOrDie("ended", start, end, {{"m3"}});
  StaffCheckInOrDie(ended, "m3", start);
  EXPECT_TRUE(
      StaffCheckOutOrDie(ended, "m3", end - absl::Minutes(10) - absl::Seconds(1)).left_early());
  const att::CheckOutResponse replaced = StaffCheckOutOrDie(ended, "m3", end - absl::Minutes(10));
  EXPECT_FALSE(replaced.left_early());
  EXPECT_EQ(FromTimestamp(GetRecordOrDie(RecordName(ended, "m3")).check_out().time()),
            end - absl::Minutes(10));
}

TEST_F(CheckInRpcTest, CheckOutMustFollowTheCheckInAndCloseInTime) {
  const absl::Time now = Now();
  const absl::Time start = now - absl::Hours(4);
  const absl::Time end = now - absl::Hours(2);
  const std::string ended = CreateEventOrDie("ended", start, end, {{"m3"}});
  StaffCheckInOrDie(ended, "m3", start + absl::Minutes(5));
  att::CheckOutResponse out;
  ExpectRefused(CheckOut(StaffCheckOut(RecordName(ended, "m3"), start), kStaffA, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  ExpectRefused(
      CheckOut(StaffCheckOut(RecordName(ended, "m3"), end + absl::Minutes(61)), kStaffA, &out),
      grpc::StatusCode::FAILED_PRECONDITION, "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  att::CheckOutRequest now_request;
  now_request.set_name(RecordName(ended, "m3"));
  ExpectRefused(CheckOut(now_request, kStaffA, &out), grpc::StatusCode::FAILED_PRECONDITION,
                "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  EXPECT_FALSE(GetRecordOrDie(RecordName(ended, "m3")).has_check_out());
  EXPECT_FALSE(StaffCheckOutOrDie(ended, "m3", end + absl::Minutes(59)).left_early());
}

}  // namespace
}  // namespace fieldwork::testing
