// The role × RPC matrix of AttendanceService (see matrix_fixture.h): one row per RPC, each call
// valid apart from who makes it, on m1's record of a fresh event of kOrgA. The expected codes
// follow attendance_service.proto and services/attendance/permissions.cc.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

class AttendanceMatrixTest : public MatrixFixture {
 protected:
  static std::string SelfRecord(const std::string& event) { return RecordName(event, "m1"); }

  // m1's leave request for a fresh future event, pending; returns the record name.
  std::string PendingLeave() {
    att::RequestLeaveRequest request;
    request.set_name(SelfRecord(FutureEventOfSelf()));
    request.set_reason("身体不适");
    att::AttendanceRecord record;
    const grpc::Status status = Call(&Attendance::RequestLeave, kMemberA1, request, &record);
    EXPECT_TRUE(status.ok()) << "RequestLeave: " << Describe(status);
    return request.name();
  }

  // m1's record of a fresh ended event, finalized by staff; returns the record name.
  std::string FinalizedRecord() {
    att::FinalizeEventRequest request;
    request.set_event(EndedEventOfSelf());
    att::FinalizeEventResponse response;
    const grpc::Status status = Call(&Attendance::FinalizeEvent, kStaffA, request, &response);
    EXPECT_TRUE(status.ok()) << "FinalizeEvent: " << Describe(status);
    return SelfRecord(request.event());
  }

  std::vector<MatrixRow> Rows() {
    return {
        {"Respond", kStaffOrSelf,
         [this] {
           att::RespondRequest request;
           request.set_name(SelfRecord(FutureEventOfSelf()));
           request.set_response(att::RSVP_RESPONSE_ACCEPTED);
           return Calling(&Attendance::Respond, request);
         }},
        {"RequestLeave", kStaffOrSelf,
         [this] {
           att::RequestLeaveRequest request;
           request.set_name(SelfRecord(FutureEventOfSelf()));
           request.set_reason("外出开会");
           return Calling(&Attendance::RequestLeave, request);
         }},
        {"DecideLeave", kStaffOnly,
         [this] {
           att::DecideLeaveRequest request;
           request.set_name(PendingLeave());
           request.set_decision(att::LEAVE_DECISION_APPROVE);
           return Calling(&Attendance::DecideLeave, request);
         }},
        // A member checks itself in with the code staff show on site.
        {"CheckIn", kStaffOrSelf,
         [this] {
           const std::string event = InProgressEventOfSelf();
           att::CheckInRequest request;
           request.set_name(SelfRecord(event));
           request.set_code(IssueCodeOrDie(event));
           return Calling(&Attendance::CheckIn, request);
         }},
        {"CheckOut", kStaffOrSelf,
         [this] {
           const std::string event = InProgressEventOfSelf();
           StaffCheckInOrDie(event, "m1", Now());
           att::CheckOutRequest request;
           request.set_name(SelfRecord(event));
           request.set_code(IssueCodeOrDie(event));
           return Calling(&Attendance::CheckOut, request);
         }},
        {"BatchCheckIn", kStaffOnly,
         [this] {
           att::BatchCheckInRequest request;
           request.set_event(InProgressEventOfSelf());
           att::BatchCheckInRow& row = *request.add_rows();
           row.set_member(SelfMember());
           *row.mutable_check_in_time() = ToTimestamp(Now());
           return Calling(&Attendance::BatchCheckIn, request);
         }},
        {"IssueCheckInCode", kStaffOnly,
         [this] {
           att::IssueCheckInCodeRequest request;
           request.set_event(InProgressEventOfSelf());
           return Calling(&Attendance::IssueCheckInCode, request);
         }},
        {"FinalizeEvent", kStaffOnly,
         [this] {
           att::FinalizeEventRequest request;
           request.set_event(EndedEventOfSelf());
           return Calling(&Attendance::FinalizeEvent, request);
         }},
        {"CorrectOutcome", kStaffOnly,
         [this] {
           att::CorrectOutcomeRequest request;
           request.set_name(FinalizedRecord());
           request.set_outcome(common::v1::ATTENDANCE_OUTCOME_PRESENT);
           request.set_reason("补交签到表");
           return Calling(&Attendance::CorrectOutcome, request);
         }},
        {"GetAttendance", kStaffServiceOrSelf,
         [this] {
           att::GetAttendanceRequest request;
           request.set_name(SelfRecord(FutureEventOfSelf()));
           return Calling(&Attendance::GetAttendance, request);
         }},
        // A member lists only with `member` set to itself.
        {"ListAttendance", kStaffServiceOrSelf,
         [this] {
           att::ListAttendanceRequest request;
           request.set_parent(FutureEventOfSelf());
           request.set_member(SelfMember());
           return Calling(&Attendance::ListAttendance, request);
         }},
    };
  }
};

TEST_F(AttendanceMatrixTest, EveryRpcAnswersEveryCallerAsTheTableSays) {
  RunMatrix("fieldwork.attendance.v1.AttendanceService", Rows());
}

}  // namespace
}  // namespace fieldwork::testing
