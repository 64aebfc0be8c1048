// GetEventSheet over the committee year (committee_year.h) against the three real services: lines
// ordered by outcome then name, with check-in times, leave states and reasons; final outcomes once
// finalized, provisional ones (and "not recorded") before, with totals counting them as if final.
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/reporting/committee_year.h"

namespace fieldwork::testing {
namespace {

// One expected line of a sheet.
struct SheetLine {
  const char* member_id;
  const char* display_name;
  v1::ParticipantRole role;
  common::v1::AttendanceOutcome outcome;
  bool provisional;
  std::optional<absl::Time> check_in;
  std::optional<absl::Time> check_out;
  att::LeaveState leave_state;
  const char* leave_reason;
};

class EventSheetRpcTest : public CommitteeYearFixture {
 protected:
  rep::EventSheet SheetOrDie(absl::string_view event_id) {
    rep::GetEventSheetRequest request;
    request.set_event(Event(event_id));
    rep::EventSheet sheet;
    const grpc::Status status = Call(&Reporting::GetEventSheet, kStaffA, request, &sheet);
    EXPECT_TRUE(status.ok()) << "GetEventSheet " << event_id << ": " << Describe(status);
    return sheet;
  }

  static void ExpectLines(const rep::EventSheet& sheet, const std::vector<SheetLine>& lines) {
    ASSERT_EQ(sheet.lines_size(), static_cast<int>(lines.size())) << sheet.DebugString();
    for (size_t i = 0; i < lines.size(); ++i) {
      const rep::EventSheetLine& actual = sheet.lines(static_cast<int>(i));
      const SheetLine& expected = lines[i];
      SCOPED_TRACE(absl::StrCat("line ", i, " ", expected.display_name));
      EXPECT_EQ(actual.member(), MemberName(expected.member_id));
      EXPECT_EQ(actual.display_name(), expected.display_name);
      EXPECT_EQ(actual.role(), expected.role);
      EXPECT_EQ(actual.outcome(), expected.outcome);
      EXPECT_EQ(actual.provisional(), expected.provisional);
      EXPECT_EQ(actual.has_check_in_time(), expected.check_in.has_value());
      if (expected.check_in.has_value()) {
        EXPECT_EQ(FromTimestamp(actual.check_in_time()), *expected.check_in);
      }
      EXPECT_EQ(actual.has_check_out_time(), expected.check_out.has_value());
      if (expected.check_out.has_value()) {
        EXPECT_EQ(FromTimestamp(actual.check_out_time()), *expected.check_out);
      }
      EXPECT_EQ(actual.leave_state(), expected.leave_state);
      EXPECT_EQ(actual.leave_reason(), expected.leave_reason);
      EXPECT_EQ(actual.rsvp(), att::RSVP_RESPONSE_UNSPECIFIED);
    }
  }
};

constexpr auto kNotRecorded = common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED;
constexpr auto kNoLeave = att::LEAVE_STATE_UNSPECIFIED;

TEST_F(EventSheetRpcTest, FinalizedSheetOrdersOutcomesAndShowsLeaveReasons) {
  const rep::EventSheet sheet = SheetOrDie(kTrip);
  EXPECT_EQ(sheet.event(), Event(kTrip));
  EXPECT_EQ(sheet.title(), "民营经济发展专题调研");
  EXPECT_EQ(sheet.kind(), v1::EVENT_KIND_RESEARCH_TRIP);
  EXPECT_EQ(FromTimestamp(sheet.time_range().start_time()), At(2026, 3, 10, 9));
  EXPECT_EQ(FromTimestamp(sheet.time_range().end_time()), At(2026, 3, 10, 12));
  // Scheduling completes ended events on its own sweep; either state is a booked event.
  EXPECT_TRUE(sheet.state() == v1::EVENT_STATE_SCHEDULED ||
              sheet.state() == v1::EVENT_STATE_COMPLETED)
      << v1::EventState_Name(sheet.state());
  EXPECT_TRUE(sheet.finalized());
  EXPECT_EQ(sheet.metadata().organization(), OrganizationA());
  EXPECT_EQ(sheet.metadata().scoring_table_version(), ScoringTableVersion());
  EXPECT_FALSE(sheet.metadata().has_period());
  ExpectLines(sheet, {{kWang, "王建国", v1::PARTICIPANT_ROLE_LEAD, kPresent, false,
                       At(2026, 3, 10, 8, 50), At(2026, 3, 10, 12), kNoLeave, ""},
                      {kLi, "李芳", v1::PARTICIPANT_ROLE_REQUIRED, kLate, false,
                       At(2026, 3, 10, 9, 20), At(2026, 3, 10, 12), kNoLeave, ""},
                      {kZhang, "张伟", v1::PARTICIPANT_ROLE_REQUIRED, kExcused, false, std::nullopt,
                       std::nullopt, att::LEAVE_STATE_APPROVED, kTripLeaveReason},
                      {kChen, "陈静", v1::PARTICIPANT_ROLE_OPTIONAL, kNotAttended, false,
                       std::nullopt, std::nullopt, kNoLeave, ""}});
  // invited 3 (present, late, excused), attended 2, rate 2 / (3 − 1) = 1, hours 3 + 3 = 6,
  // points RESEARCH_TRIP PRESENT 3 + LATE 2 = 5.
  ExpectFigures(sheet.totals(), {3, 1, 1, 0, 1, 0, 1, 2, 0, 1.0, 6, 5}, "e1 totals");
}

TEST_F(EventSheetRpcTest, RejectedLeaveLeavesTheMemberAbsentWithItsReason) {
  const rep::EventSheet sheet = SheetOrDie(kMeeting);
  ExpectLines(sheet, {{kChen, "陈静", v1::PARTICIPANT_ROLE_LEAD, kPresent, false,
                       At(2026, 5, 20, 14, 20), At(2026, 5, 20, 17), kNoLeave, ""},
                      {kWang, "王建国", v1::PARTICIPANT_ROLE_OPTIONAL, kLeftEarly, false,
                       At(2026, 5, 20, 14, 25), At(2026, 5, 20, 16), kNoLeave, ""},
                      {kLi, "李芳", v1::PARTICIPANT_ROLE_REQUIRED, kAbsent, false, std::nullopt,
                       std::nullopt, att::LEAVE_STATE_REJECTED, kMeetingLeaveReason}});
  // invited 3, attended 2, rate 2 / 3, hours 2 × 2.5, points MEETING PRESENT 1 + LEFT_EARLY 0 −
  // ABSENT 5 = −4.
  ExpectFigures(sheet.totals(), {3, 1, 0, 1, 0, 1, 0, 2, 0, 2.0 / 3.0, 5, -4}, "e3 totals");
}

TEST_F(EventSheetRpcTest, SameOutcomeLinesSortByNameAcrossUnitInvitations) {
  // 张 (U+5F20) before 王 (U+738B); m1, m3, m4 came through the invited 提案委员会.
  const rep::EventSheet sheet = SheetOrDie(kConsultation);
  ExpectLines(sheet, {{kZhang, "张伟", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, false,
                       At(2026, 6, 18, 9), At(2026, 6, 18, 11, 30), kNoLeave, ""},
                      {kWang, "王建国", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, false,
                       At(2026, 6, 18, 8, 55), At(2026, 6, 18, 11, 30), kNoLeave, ""},
                      {kChen, "陈静", v1::PARTICIPANT_ROLE_REQUIRED, kExcused, false, std::nullopt,
                       std::nullopt, att::LEAVE_STATE_APPROVED, kConsultationLeaveReason},
                      {kLi, "李芳", v1::PARTICIPANT_ROLE_OPTIONAL, kNotAttended, false,
                       std::nullopt, std::nullopt, kNoLeave, ""}});
}

TEST_F(EventSheetRpcTest, UnfinalizedSheetShowsProvisionalOutcomesThenUnrecorded) {
  const rep::EventSheet sheet = SheetOrDie(kTraining);
  EXPECT_FALSE(sheet.finalized());
  ExpectLines(sheet, {{kWang, "王建国", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, true,
                       At(2026, 11, 20, 8, 50), std::nullopt, kNoLeave, ""},
                      {kLi, "李芳", v1::PARTICIPANT_ROLE_REQUIRED, kExcused, true, std::nullopt,
                       std::nullopt, att::LEAVE_STATE_APPROVED, kTrainingLeaveReason},
                      {kZhang, "张伟", v1::PARTICIPANT_ROLE_OPTIONAL, kNotRecorded, false,
                       std::nullopt, std::nullopt, kNoLeave, ""}});
  // Provisional outcomes count as if final, the unrecorded line as pending: invited 2 (present,
  // excused), attended 1, rate 1 / (2 − 1) = 1, hours 8, points TRAINING PRESENT 1.
  ExpectFigures(sheet.totals(), {2, 1, 0, 0, 1, 0, 0, 1, 1, 1.0, 8, 1}, "e8 totals");
}

TEST_F(EventSheetRpcTest, PaperSheetTimesAppearOnTheSheet) {
  // e7: 孙丽 (U+5B59), 李芳 (U+674E), 陈静 (U+9648) present; 张伟 late; 王建国 absent.
  const rep::EventSheet sheet = SheetOrDie(kStudy);
  ExpectLines(sheet, {{kSun, "孙丽", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, false,
                       At(2026, 10, 15, 14, 5), std::nullopt, kNoLeave, ""},
                      {kLi, "李芳", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, false,
                       At(2026, 10, 15, 13, 55), std::nullopt, kNoLeave, ""},
                      {kChen, "陈静", v1::PARTICIPANT_ROLE_REQUIRED, kPresent, false,
                       At(2026, 10, 15, 14), std::nullopt, kNoLeave, ""},
                      {kZhang, "张伟", v1::PARTICIPANT_ROLE_REQUIRED, kLate, false,
                       At(2026, 10, 15, 14, 30), std::nullopt, kNoLeave, ""},
                      {kWang, "王建国", v1::PARTICIPANT_ROLE_REQUIRED, kAbsent, false, std::nullopt,
                       std::nullopt, kNoLeave, ""}});
  // invited 5, attended 4, rate 4 / 5, hours 4 × 2, points STUDY 1 + 1 + 1 + 0 − 5 = −2.
  ExpectFigures(sheet.totals(), {5, 3, 1, 0, 0, 1, 0, 4, 0, 0.8, 8, -2}, "e7 totals");
}

TEST_F(EventSheetRpcTest, CancelledEventHasASheetAndDraftHasNone) {
  const rep::EventSheet cancelled = SheetOrDie(kCancelledVisit);
  EXPECT_EQ(cancelled.state(), v1::EVENT_STATE_CANCELLED);
  EXPECT_FALSE(cancelled.finalized());
  for (const rep::EventSheetLine& line : cancelled.lines()) {
    EXPECT_EQ(line.outcome(), kNotRecorded) << line.member();
  }

  v1::CreateEventRequest request;
  request.set_parent(OrganizationA());
  request.set_event_id("draft");
  request.mutable_event()->set_kind(v1::EVENT_KIND_VISIT);
  request.mutable_event()->set_title("走访计划（草稿）");
  request.mutable_event()->set_state(v1::EVENT_STATE_DRAFT);
  *request.mutable_event()->mutable_time_range() = Range(At(2026, 12, 20, 9), At(2026, 12, 20, 11));
  v1::CreateEventResponse created;
  const grpc::Status status = Call(&Scheduling::CreateEvent, kStaffA, request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  rep::GetEventSheetRequest sheet_request;
  sheet_request.set_event(Event("draft"));
  rep::EventSheet sheet;
  const grpc::Status refused = Call(&Reporting::GetEventSheet, kStaffA, sheet_request, &sheet);
  EXPECT_FALSE(refused.ok()) << sheet.DebugString();
  EXPECT_TRUE(refused.error_code() == grpc::StatusCode::NOT_FOUND ||
              refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
      << Describe(refused);
}

}  // namespace
}  // namespace fieldwork::testing
