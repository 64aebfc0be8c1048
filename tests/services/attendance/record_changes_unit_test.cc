// Unit tests of how each attendance action changes a record: time limits, leave states, the first
// check-in kept, check-out rules, finalization and corrections.
#include <gtest/gtest.h>

#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "services/attendance/record_changes.h"
#include "tests/services/attendance/attendance_unit_test_support.h"

namespace fieldwork::attendance {
namespace {

using ::fieldwork::attendance::testing::MorningInspection;

std::string ChangeReasonOf(const absl::Status& status) {
  auto info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : "";
}

class RecordChangesTest : public ::testing::Test {
 protected:
  Action Staff(absl::Time now) const { return Action{"staff-a", false, now}; }
  Action Member(absl::Time now) const {
    return Action{"organizations/tongguan/members/m2", true, now};
  }

  const EventFacts event_ = MorningInspection();
  v1::AttendanceRecord record_ = EmptyRecord(event_, "m2");
};

TEST_F(RecordChangesTest, RsvpIsAcceptedUntilTheStartAndReplacesTheEarlierAnswer) {
  const absl::Time before = event_.time.start - absl::Seconds(1);
  ASSERT_TRUE(ApplyRespond(event_, Member(before), v1::RSVP_RESPONSE_ACCEPTED, "", record_).ok());
  ASSERT_TRUE(
      ApplyRespond(event_, Member(before), v1::RSVP_RESPONSE_DECLINED, "生病", record_).ok());
  EXPECT_EQ(record_.rsvp().response(), v1::RSVP_RESPONSE_DECLINED);
  EXPECT_EQ(record_.rsvp().comment(), "生病");
  EXPECT_EQ(record_.rsvp().responded_by(), "organizations/tongguan/members/m2");
  const absl::Status late =
      ApplyRespond(event_, Staff(event_.time.start), v1::RSVP_RESPONSE_ACCEPTED, "", record_);
  EXPECT_EQ(ChangeReasonOf(late), "ERROR_REASON_EVENT_STARTED");
  EXPECT_EQ(record_.rsvp().response(), v1::RSVP_RESPONSE_DECLINED);
}

TEST_F(RecordChangesTest, MemberAsksForLeaveOnlyBeforeTheStartButStaffMayRecordItAfter) {
  const absl::Status late =
      ApplyLeaveRequest(event_, Member(event_.time.start), "堵车", false, record_);
  EXPECT_EQ(ChangeReasonOf(late), "ERROR_REASON_EVENT_STARTED");
  EXPECT_FALSE(record_.has_leave());
  ASSERT_TRUE(ApplyLeaveRequest(event_, Staff(event_.time.start + absl::Hours(1)), "电话请假", true,
                                record_)
                  .ok());
  EXPECT_EQ(record_.leave().state(), v1::LEAVE_STATE_APPROVED);
  EXPECT_EQ(record_.leave().decided_by(), "staff-a");
}

TEST_F(RecordChangesTest, LeaveIsDecidedOnceAndAnApprovedOneStays) {
  const absl::Time before = event_.time.start - absl::Hours(2);
  EXPECT_EQ(
      ChangeReasonOf(ApplyLeaveDecision(Staff(before), v1::LEAVE_DECISION_APPROVE, "", record_)),
      "ERROR_REASON_LEAVE_NOT_PENDING");
  ASSERT_TRUE(ApplyLeaveRequest(event_, Member(before), "出差", false, record_).ok());
  EXPECT_EQ(record_.leave().state(), v1::LEAVE_STATE_PENDING);
  ASSERT_TRUE(
      ApplyLeaveDecision(Staff(before), v1::LEAVE_DECISION_REJECT, "会议重要", record_).ok());
  EXPECT_EQ(record_.leave().state(), v1::LEAVE_STATE_REJECTED);
  EXPECT_EQ(
      ChangeReasonOf(ApplyLeaveDecision(Staff(before), v1::LEAVE_DECISION_APPROVE, "", record_)),
      "ERROR_REASON_LEAVE_NOT_PENDING");
  // A rejected request may be replaced by a new one, which is pending again.
  ASSERT_TRUE(ApplyLeaveRequest(event_, Member(before), "住院", false, record_).ok());
  ASSERT_TRUE(ApplyLeaveDecision(Staff(before), v1::LEAVE_DECISION_APPROVE, "", record_).ok());
  EXPECT_EQ(ChangeReasonOf(ApplyLeaveRequest(event_, Member(before), "again", false, record_)),
            "ERROR_REASON_LEAVE_NOT_PENDING");
  EXPECT_EQ(record_.leave().reason(), "住院");
}

TEST_F(RecordChangesTest, RepeatedCheckInKeepsTheFirstTime) {
  const absl::Time first = event_.time.start - absl::Minutes(5);
  absl::StatusOr<CheckInResult> result =
      ApplyCheckIn(event_, Member(first), first, v1::CHECK_IN_METHOD_CODE, record_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->already_checked_in);
  EXPECT_FALSE(result->late);
  const absl::Time again = event_.time.start + absl::Minutes(20);
  result = ApplyCheckIn(event_, Staff(again), again, v1::CHECK_IN_METHOD_STAFF, record_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->already_checked_in);
  EXPECT_FALSE(result->late);
  EXPECT_EQ(ToTime(record_.check_in().time()), first);
  EXPECT_EQ(record_.check_in().method(), v1::CHECK_IN_METHOD_CODE);
}

TEST_F(RecordChangesTest, CheckInOutsideTheWindowChangesNothing) {
  const absl::Time early = event_.time.start - absl::Hours(2);
  absl::StatusOr<CheckInResult> result =
      ApplyCheckIn(event_, Staff(early), early, v1::CHECK_IN_METHOD_STAFF, record_);
  EXPECT_EQ(ChangeReasonOf(result.status()), "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  EXPECT_FALSE(record_.has_check_in());
}

TEST_F(RecordChangesTest, CheckOutNeedsACheckInAndReportsLeavingEarly) {
  const absl::Time noon = event_.time.end;
  EXPECT_EQ(
      ChangeReasonOf(
          ApplyCheckOut(event_, Staff(noon), noon, v1::CHECK_IN_METHOD_STAFF, record_).status()),
      "ERROR_REASON_NOT_CHECKED_IN");
  ASSERT_TRUE(ApplyCheckIn(event_, Staff(event_.time.start), event_.time.start,
                           v1::CHECK_IN_METHOD_STAFF, record_)
                  .ok());
  const absl::Time early = event_.time.end - absl::Hours(1);
  absl::StatusOr<bool> left_early =
      ApplyCheckOut(event_, Staff(early), early, v1::CHECK_IN_METHOD_STAFF, record_);
  ASSERT_TRUE(left_early.ok()) << left_early.status();
  EXPECT_TRUE(*left_early);
  // A later check-out replaces the earlier one.
  left_early = ApplyCheckOut(event_, Staff(noon), noon, v1::CHECK_IN_METHOD_STAFF, record_);
  ASSERT_TRUE(left_early.ok()) << left_early.status();
  EXPECT_FALSE(*left_early);
  EXPECT_EQ(ToTime(record_.check_out().time()), noon);
}

TEST_F(RecordChangesTest, FinalizationFixesTheOutcomeAndCorrectionsKeepHistory) {
  const Action after = Staff(event_.time.end + absl::Hours(1));
  EXPECT_EQ(ChangeReasonOf(
                ApplyCorrection(after, common::v1::ATTENDANCE_OUTCOME_EXCUSED, "病假条", record_)),
            "ERROR_REASON_NOT_FINALIZED");
  ApplyFinalization(event_, after, record_);
  EXPECT_TRUE(record_.finalized());
  EXPECT_EQ(record_.outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(record_.finalized_by(), "staff-a");
  ASSERT_TRUE(
      ApplyCorrection(after, common::v1::ATTENDANCE_OUTCOME_EXCUSED, "补交病假条", record_).ok());
  EXPECT_EQ(record_.outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  ASSERT_EQ(record_.corrections_size(), 1);
  EXPECT_EQ(record_.corrections(0).previous_outcome(), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  EXPECT_EQ(record_.corrections(0).new_outcome(), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  EXPECT_EQ(record_.corrections(0).reason(), "补交病假条");
  EXPECT_EQ(record_.corrections(0).corrected_by(), "staff-a");
}

}  // namespace
}  // namespace fieldwork::attendance
