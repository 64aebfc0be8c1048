// Unit tests of the attendance rules: settings defaults, the check-in window, late and left-early
// boundaries, and the outcome of each kind of record.
#include <gtest/gtest.h>

#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "services/attendance/attendance_rules.h"
#include "tests/services/attendance/attendance_unit_test_support.h"

namespace fieldwork::attendance {
namespace {

using ::fieldwork::attendance::testing::MorningInspection;
using ::fieldwork::common::v1::AttendanceOutcome;
namespace sv1 = ::fieldwork::scheduling::v1;

std::string ReasonOf(const absl::Status& status) {
  auto info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : "";
}

TEST(CheckInRulesTest, UnsetSettingsTakeTheDocumentedDefaults) {
  const CheckInRules rules = RulesFrom(sv1::AttendanceSettings());
  EXPECT_EQ(rules.opens_before, absl::Minutes(60));
  EXPECT_EQ(rules.grace, absl::Minutes(10));
  EXPECT_EQ(rules.check_out_closes_after, absl::Minutes(60));
  EXPECT_EQ(rules.auto_finalize_after, absl::Hours(24));
  EXPECT_TRUE(rules.auto_finalize);
}

TEST(CheckInRulesTest, SetSettingsReplaceTheDefaults) {
  sv1::AttendanceSettings settings;
  settings.mutable_grace()->set_seconds(300);
  settings.mutable_check_in_opens_before()->set_seconds(1800);
  settings.set_auto_finalize_disabled(true);
  const CheckInRules rules = RulesFrom(settings);
  EXPECT_EQ(rules.grace, absl::Minutes(5));
  EXPECT_EQ(rules.opens_before, absl::Minutes(30));
  EXPECT_FALSE(rules.auto_finalize);
}

TEST(CheckInWindowTest, OpensSixtyMinutesBeforeStartAndClosesAtTheEnd) {
  const EventFacts event = MorningInspection();
  EXPECT_TRUE(CheckInWindowContains(event, event.time.start - absl::Minutes(60)).ok());
  const absl::Status too_early =
      CheckInWindowContains(event, event.time.start - absl::Minutes(60) - absl::Seconds(1));
  EXPECT_TRUE(absl::IsFailedPrecondition(too_early));
  EXPECT_EQ(ReasonOf(too_early), "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW");
  EXPECT_TRUE(CheckInWindowContains(event, event.time.end - absl::Seconds(1)).ok());
  EXPECT_FALSE(CheckInWindowContains(event, event.time.end).ok());
}

TEST(LatenessTest, CheckInExactlyAtGraceIsOnTimeAndOneSecondAfterIsLate) {
  const EventFacts event = MorningInspection();
  EXPECT_FALSE(IsLate(event, event.time.start + absl::Minutes(10)));
  EXPECT_TRUE(IsLate(event, event.time.start + absl::Minutes(10) + absl::Seconds(1)));
}

TEST(LatenessTest, CheckOutExactlyAtEndMinusGraceIsNotEarlyAndOneSecondBeforeIs) {
  const EventFacts event = MorningInspection();
  EXPECT_FALSE(IsLeftEarly(event, event.time.end - absl::Minutes(10)));
  EXPECT_TRUE(IsLeftEarly(event, event.time.end - absl::Minutes(10) - absl::Seconds(1)));
}

TEST(CheckOutTest, MustFollowTheCheckInAndPrecedeTheClose) {
  const EventFacts event = MorningInspection();
  const absl::Time check_in = event.time.start;
  EXPECT_TRUE(CheckOutAllowed(event, check_in, check_in).ok());
  EXPECT_FALSE(CheckOutAllowed(event, check_in, check_in - absl::Seconds(1)).ok());
  EXPECT_TRUE(CheckOutAllowed(event, check_in, event.time.end + absl::Minutes(59)).ok());
  EXPECT_FALSE(CheckOutAllowed(event, check_in, event.time.end + absl::Minutes(60)).ok());
}

TEST(RecordableTest, CancelledAndDraftEventsRefuseWithTheirReasons) {
  EventFacts event = MorningInspection();
  EXPECT_TRUE(CheckRecordable(event).ok());
  event.state = sv1::EVENT_STATE_COMPLETED;
  EXPECT_TRUE(CheckRecordable(event).ok());
  event.state = sv1::EVENT_STATE_CANCELLED;
  EXPECT_EQ(ReasonOf(CheckRecordable(event)), "ERROR_REASON_EVENT_CANCELLED");
  event.state = sv1::EVENT_STATE_DRAFT;
  EXPECT_EQ(ReasonOf(CheckRecordable(event)), "ERROR_REASON_INVALID_STATE");
}

TEST(RoleOfTest, NonParticipantIsRefusedWithItsReason) {
  const EventFacts event = MorningInspection();
  EXPECT_EQ(*RoleOf(event, "m3"), sv1::PARTICIPANT_ROLE_OPTIONAL);
  const absl::Status stranger = RoleOf(event, "m9").status();
  EXPECT_TRUE(absl::IsFailedPrecondition(stranger));
  EXPECT_EQ(ReasonOf(stranger), "ERROR_REASON_NOT_A_PARTICIPANT");
}

class OutcomeTest : public ::testing::Test {
 protected:
  v1::AttendanceRecord Record(const std::string& member) const {
    return EmptyRecord(event_, member);
  }
  void CheckInAt(v1::AttendanceRecord& record, absl::Time time) const {
    *record.mutable_check_in()->mutable_time() = ToTimestamp(time);
  }
  void CheckOutAt(v1::AttendanceRecord& record, absl::Time time) const {
    *record.mutable_check_out()->mutable_time() = ToTimestamp(time);
  }
  const EventFacts event_ = MorningInspection();
};

TEST_F(OutcomeTest, OnTimeAndStayingIsPresent) {
  v1::AttendanceRecord record = Record("m2");
  CheckInAt(record, event_.time.start);
  CheckOutAt(record, event_.time.end);
  EXPECT_EQ(OutcomeOf(record, event_), common::v1::ATTENDANCE_OUTCOME_PRESENT);
}

TEST_F(OutcomeTest, LateTakesPrecedenceOverLeftEarly) {
  v1::AttendanceRecord record = Record("m2");
  CheckInAt(record, event_.time.start + absl::Minutes(30));
  CheckOutAt(record, event_.time.start + absl::Hours(1));
  EXPECT_EQ(OutcomeOf(record, event_), common::v1::ATTENDANCE_OUTCOME_LATE);
}

TEST_F(OutcomeTest, EarlyCheckOutIsLeftEarly) {
  v1::AttendanceRecord record = Record("m1");
  CheckInAt(record, event_.time.start);
  CheckOutAt(record, event_.time.end - absl::Minutes(30));
  EXPECT_EQ(OutcomeOf(record, event_), common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY);
}

TEST_F(OutcomeTest, ApprovedLeaveWithoutCheckInIsExcusedButAttendingWins) {
  v1::AttendanceRecord record = Record("m2");
  record.mutable_leave()->set_state(v1::LEAVE_STATE_APPROVED);
  EXPECT_EQ(OutcomeOf(record, event_), common::v1::ATTENDANCE_OUTCOME_EXCUSED);
  CheckInAt(record, event_.time.start);
  EXPECT_EQ(OutcomeOf(record, event_), common::v1::ATTENDANCE_OUTCOME_PRESENT);
}

TEST_F(OutcomeTest, RequiredOrLeadWithoutCheckInOrApprovedLeaveIsAbsent) {
  v1::AttendanceRecord lead = Record("m1");
  EXPECT_EQ(OutcomeOf(lead, event_), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  v1::AttendanceRecord rejected = Record("m2");
  rejected.mutable_leave()->set_state(v1::LEAVE_STATE_REJECTED);
  EXPECT_EQ(OutcomeOf(rejected, event_), common::v1::ATTENDANCE_OUTCOME_ABSENT);
  v1::AttendanceRecord pending = Record("m2");
  pending.mutable_leave()->set_state(v1::LEAVE_STATE_PENDING);
  EXPECT_EQ(OutcomeOf(pending, event_), common::v1::ATTENDANCE_OUTCOME_ABSENT);
}

TEST_F(OutcomeTest, OptionalParticipantWhoDidNotComeIsNotAttended) {
  EXPECT_EQ(OutcomeOf(Record("m3"), event_), common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED);
}

TEST(FactsFromTest, ReadsParticipantsInNameOrderAndTheOrganizationsRules) {
  sv1::Event event;
  event.set_name("organizations/tongguan/events/e1");
  event.set_state(sv1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range()->mutable_start_time() = ToTimestamp(absl::FromUnixSeconds(1000));
  *event.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromUnixSeconds(4600));
  for (const char* member : {"zhang", "li"}) {
    sv1::Participant& participant = *event.add_resolved_participants();
    participant.set_member(absl::StrCat("organizations/tongguan/members/", member));
    participant.set_role(sv1::PARTICIPANT_ROLE_REQUIRED);
  }
  sv1::Organization organization;
  organization.mutable_attendance_settings()->mutable_grace()->set_seconds(60);
  absl::StatusOr<EventFacts> facts = FactsFrom(event, organization);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->organization, "tongguan");
  EXPECT_EQ(facts->event_id, "e1");
  EXPECT_EQ(facts->members, (std::vector<std::string>{"li", "zhang"}));
  EXPECT_EQ(facts->rules.grace, absl::Minutes(1));
}

TEST(FactsFromTest, EventWithoutTimesIsDataLoss) {
  sv1::Event event;
  event.set_name("organizations/tongguan/events/e1");
  EXPECT_TRUE(absl::IsDataLoss(FactsFrom(event, sv1::Organization()).status()));
}

}  // namespace
}  // namespace fieldwork::attendance
