// Attendance with scheduling down, against real binaries and a real Redis: a dedicated attendance
// talks to a dedicated scheduling replica that the test stops; every call that needs the event
// answers UNAVAILABLE (ERROR_REASON_PEER_UNAVAILABLE) within the deadline instead of hanging,
// writes nothing to Redis, and stores no answer under its request_id, so the retry runs again once
// scheduling answers.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

class SchedulingUnavailableRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2"});
    const absl::Time now = Now();
    start_ = now - absl::Minutes(5);
    running_ = CreateEventOrDie("running", start_, now + absl::Hours(2), {{"m1"}, {"m2"}});
    future_ = CreateFutureEvent("future", {{"m1"}});
    wiring_ = CreateFutureEvent("wiring", {{"m2"}});

    absl::StatusOr<std::unique_ptr<ServiceProcess>> scheduling =
        StartSchedulingReplica(redis().url());
    ASSERT_TRUE(scheduling.ok()) << scheduling.status();
    scheduling_ = *std::move(scheduling);
    AttendanceReplicaOptions options;
    options.redis_url = redis().url();
    options.scheduling_target = scheduling_->address();
    options.extra_flags = {"--call-timeout=2s"};
    absl::StatusOr<std::unique_ptr<ServiceProcess>> attendance = StartAttendanceReplica(options);
    ASSERT_TRUE(attendance.ok()) << attendance.status();
    isolated_ = *std::move(attendance);
    stub_ = att::AttendanceService::NewStub(isolated_->channel());
  }

  // Calls `rpc` on the dedicated attendance with a deadline well above its call timeout, so a
  // service that waits for scheduling past its own deadline shows up as DEADLINE_EXCEEDED.
  template <typename Request, typename Response>
  grpc::Status CallIsolated(grpc::Status (Attendance::*rpc)(grpc::ClientContext*, const Request&,
                                                            Response*),
                            absl::string_view token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(20));
    return (stub_.get()->*rpc)(&context, request, response);
  }

  // Every key in Redis, sorted, with its value's type and size (a cheap fingerprint of the data),
  // the audit streams aside (a failed mutation is recorded there, in the background).
  std::string RedisFingerprint() {
    const absl::StatusOr<std::string> keys = redis().Command({"KEYS", "*"});
    EXPECT_TRUE(keys.ok()) << keys.status();
    std::vector<std::string> sorted = absl::StrSplit(keys.value_or(""), '\n', absl::SkipEmpty());
    std::sort(sorted.begin(), sorted.end());
    std::string fingerprint;
    for (const std::string& key : sorted) {
      if (absl::StrContains(key, "}:audit:")) continue;
      const absl::StatusOr<std::string> digest = redis().Command({"DUMP", key});
      absl::StrAppend(&fingerprint, key, "=", digest.ok() ? std::hash<std::string>()(*digest) : 0,
                      "\n");
    }
    return fingerprint;
  }

  static void ExpectPeerUnavailable(const grpc::Status& status, absl::string_view what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << what << ": " << Describe(status);
    EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_PEER_UNAVAILABLE") << what;
  }

  absl::Time start_;
  std::string running_;
  std::string future_;
  std::string wiring_;  // read once while scheduling is up; no other call touches it
  std::unique_ptr<ServiceProcess> scheduling_;
  std::unique_ptr<ServiceProcess> isolated_;
  std::unique_ptr<Attendance> stub_;
};

TEST_F(SchedulingUnavailableRpcTest, AnswersUnavailableAndWritesNothing) {
  // Served while scheduling answers: the dedicated attendance is wired up correctly. (Another
  // event than the ones below, so no cache of the event can answer for scheduling.)
  att::GetAttendanceRequest wiring;
  wiring.set_name(RecordName(wiring_, "m2"));
  att::AttendanceRecord record;
  const grpc::Status served = CallIsolated(&Attendance::GetAttendance, kStaffA, wiring, &record);
  ASSERT_TRUE(served.ok()) << Describe(served);

  const absl::StatusOr<int> stopped = scheduling_->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  const std::string before = RedisFingerprint();

  att::RespondRequest respond;
  respond.set_name(RecordName(future_, "m1"));
  respond.set_response(att::RSVP_RESPONSE_ACCEPTED);
  respond.set_request_id("rsvp-while-down");
  ExpectPeerUnavailable(CallIsolated(&Attendance::Respond, kMemberA1, respond, &record), "Respond");

  att::CheckInRequest check_in;
  check_in.set_name(RecordName(running_, "m1"));
  check_in.set_request_id("check-in-while-down");
  att::CheckInResponse checked_in;
  ExpectPeerUnavailable(CallIsolated(&Attendance::CheckIn, kStaffA, check_in, &checked_in),
                        "CheckIn");

  att::RequestLeaveRequest leave;
  leave.set_name(RecordName(running_, "m2"));
  leave.set_reason("电话请假");
  leave.set_approve(true);
  ExpectPeerUnavailable(CallIsolated(&Attendance::RequestLeave, kStaffA, leave, &record),
                        "RequestLeave");

  att::BatchCheckInRequest sheet;
  sheet.set_event(running_);
  sheet.add_rows()->set_member(MemberName("m2"));
  *sheet.mutable_rows(0)->mutable_check_in_time() = ToTimestamp(start_);
  att::BatchCheckInResponse batch;
  ExpectPeerUnavailable(CallIsolated(&Attendance::BatchCheckIn, kStaffA, sheet, &batch),
                        "BatchCheckIn");

  att::IssueCheckInCodeRequest issue;
  issue.set_event(running_);
  att::IssueCheckInCodeResponse code;
  ExpectPeerUnavailable(CallIsolated(&Attendance::IssueCheckInCode, kStaffA, issue, &code),
                        "IssueCheckInCode");
  att::GetAttendanceRequest get;
  get.set_name(RecordName(running_, "m1"));
  ExpectPeerUnavailable(CallIsolated(&Attendance::GetAttendance, kStaffA, get, &record),
                        "GetAttendance");

  EXPECT_EQ(RedisFingerprint(), before) << "a call refused for scheduling being down wrote data";

  // Through the shared attendance (its scheduling is up) the same request_ids run afresh.
  const grpc::Status responded = Call(&Attendance::Respond, kMemberA1, respond, &record);
  ASSERT_TRUE(responded.ok()) << Describe(responded);
  EXPECT_EQ(record.rsvp().response(), att::RSVP_RESPONSE_ACCEPTED);
  const grpc::Status checked = Call(&Attendance::CheckIn, kStaffA, check_in, &checked_in);
  ASSERT_TRUE(checked.ok()) << Describe(checked);
  EXPECT_FALSE(checked_in.already_checked_in());
}

}  // namespace
}  // namespace fieldwork::testing
