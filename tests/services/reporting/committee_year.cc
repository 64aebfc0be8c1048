// The committee year of the reporting tests (see committee_year.h), booked and attended through
// the real scheduling and attendance RPCs.
#include "tests/services/reporting/committee_year.h"

#include <map>

#include "absl/time/civil_time.h"

namespace fieldwork::testing {
namespace {

using Outcome = common::v1::AttendanceOutcome;

constexpr v1::ParticipantRole kLead = v1::PARTICIPANT_ROLE_LEAD;
constexpr v1::ParticipantRole kRequired = v1::PARTICIPANT_ROLE_REQUIRED;
constexpr v1::ParticipantRole kOptional = v1::PARTICIPANT_ROLE_OPTIONAL;

}  // namespace

void ExpectFigures(const rep::AttendanceStats& actual, const Figures& expected,
                   absl::string_view what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(actual.invited(), expected.invited);
  EXPECT_EQ(actual.present(), expected.present);
  EXPECT_EQ(actual.late(), expected.late);
  EXPECT_EQ(actual.left_early(), expected.left_early);
  EXPECT_EQ(actual.excused(), expected.excused);
  EXPECT_EQ(actual.absent(), expected.absent);
  EXPECT_EQ(actual.not_attended(), expected.not_attended);
  EXPECT_EQ(actual.attended(), expected.attended);
  EXPECT_EQ(actual.pending(), expected.pending);
  EXPECT_EQ(actual.has_attendance_rate(), expected.attendance_rate.has_value());
  if (actual.has_attendance_rate() && expected.attendance_rate.has_value()) {
    EXPECT_NEAR(actual.attendance_rate(), *expected.attendance_rate, 1e-9);
  }
  EXPECT_DOUBLE_EQ(actual.hours(), expected.hours);
  EXPECT_DOUBLE_EQ(actual.points(), expected.points);
}

void CommitteeYearFixture::SetUp() {
  ReportingFixture::SetUp();
  if (HasFatalFailure()) return;
  BookYear();
}

absl::Time CommitteeYearFixture::At(int year, int month, int day, int hour, int minute) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    absl::LoadTimeZone("Asia/Shanghai", &loaded);
    return loaded;
  }();
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), zone);
}

int64_t CommitteeYearFixture::ScoringTableVersion() {
  v1::GetOrganizationRequest request;
  request.set_name(OrganizationA());
  v1::Organization organization;
  const grpc::Status status = Call(&Scheduling::GetOrganization, kStaffA, request, &organization);
  EXPECT_TRUE(status.ok()) << "GetOrganization: " << Describe(status);
  return organization.reporting_settings().scoring_table().version();
}

void CommitteeYearFixture::BookYear() {
  // Outcomes are fixed by FinalizeEvent only, so the pending event stays pending.
  v1::AttendanceSettings settings;
  settings.set_auto_finalize_disabled(true);
  SetAttendanceSettings(settings);

  AddUnit(kSector, "经济界", v1::UNIT_KIND_SECTOR);
  AddUnit(kCommittee, "提案委员会", v1::UNIT_KIND_COMMITTEE);
  AddMember(kWang, "王建国", v1::MEMBER_ROLE_MEMBER, {kSector, kCommittee});
  AddMember(kLi, "李芳", v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER, {kSector});
  AddMember(kZhang, "张伟", v1::MEMBER_ROLE_MEMBER, {kSector, kCommittee});
  AddMember(kChen, "陈静", v1::MEMBER_ROLE_VICE_CHAIR, {kCommittee});
  AddMember(kZhou, "周敏", v1::MEMBER_ROLE_MEMBER, {kSector}, /*active=*/false);
  AddMember(kSun, "孙丽", v1::MEMBER_ROLE_MEMBER, {kSector});
  AddMember(kWu, "吴刚", v1::MEMBER_ROLE_MEMBER, {kSector});
  if (HasFailure()) return;

  BookEvent({kNewYearTrip,
             v1::EVENT_KIND_RESEARCH_TRIP,
             "营商环境跨年调研",
             {"营商环境"},
             At(2025, 12, 31, 9),
             At(2026, 1, 1, 17),
             {{kWang, kLead}, {kLi, kRequired}},
             ""});
  BookEvent({kTrip,
             v1::EVENT_KIND_RESEARCH_TRIP,
             "民营经济发展专题调研",
             {"营商环境", "民营经济"},
             At(2026, 3, 10, 9),
             At(2026, 3, 10, 12),
             {{kWang, kLead}, {kLi, kRequired}, {kZhang, kRequired}, {kChen, kOptional}},
             ""});
  BookEvent({kInspection,
             v1::EVENT_KIND_INSPECTION,
             "生态环境保护集中视察",
             {"生态环境"},
             At(2026, 4, 14, 9),
             At(2026, 4, 16, 17),
             {{kWang, kRequired}, {kLi, kRequired}, {kZhang, kRequired}, {kChen, kLead}},
             ""});
  BookEvent({kMeeting,
             v1::EVENT_KIND_MEETING,
             "常委会议",
             {"年度工作"},
             At(2026, 5, 20, 14, 30),
             At(2026, 5, 20, 17),
             {{kLi, kRequired}, {kChen, kLead}, {kWang, kOptional}},
             ""});
  BookEvent({kConsultation,
             v1::EVENT_KIND_CONSULTATION,
             "营商环境协商议事会",
             {"营商环境"},
             At(2026, 6, 18, 9),
             At(2026, 6, 18, 11, 30),
             {{kLi, kOptional}},
             kCommittee});
  BookEvent({kCancelledVisit,
             v1::EVENT_KIND_VISIT,
             "乡村振兴大走访",
             {"乡村振兴"},
             At(2026, 12, 10, 9),
             At(2026, 12, 10, 12),
             {{kWang, kRequired}, {kLi, kRequired}},
             ""});
  BookEvent({kOversight,
             v1::EVENT_KIND_OVERSIGHT,
             "民营企业减负民主监督",
             {"民营经济"},
             At(2026, 9, 9, 9),
             At(2026, 9, 9, 12),
             {{kWang, kRequired}, {kLi, kRequired}, {kZhang, kLead}},
             ""});
  BookEvent({kStudy,
             v1::EVENT_KIND_STUDY,
             "政协大讲堂",
             {"理论学习"},
             At(2026, 10, 15, 14),
             At(2026, 10, 15, 16),
             {{kWang, kRequired},
              {kLi, kRequired},
              {kZhang, kRequired},
              {kChen, kRequired},
              {kSun, kRequired}},
             ""});
  BookEvent({kTraining,
             v1::EVENT_KIND_TRAINING,
             "委员履职能力培训班",
             {"履职能力"},
             At(2026, 11, 20, 9),
             At(2026, 11, 20, 17),
             {{kWang, kRequired}, {kLi, kRequired}, {kZhang, kOptional}},
             ""});
  if (HasFailure()) return;

  CheckIn(kNewYearTrip, kWang, At(2025, 12, 31, 8, 55), At(2026, 1, 1, 17));
  Finalize(kNewYearTrip);

  CheckIn(kTrip, kWang, At(2026, 3, 10, 8, 50), At(2026, 3, 10, 12));
  CheckIn(kTrip, kLi, At(2026, 3, 10, 9, 20), At(2026, 3, 10, 12));
  ApprovedLeave(kTrip, kZhang, kTripLeaveReason);
  Finalize(kTrip);

  PaperSheet(kInspection, {{kWang, At(2026, 4, 14, 8, 45), At(2026, 4, 16, 16, 55)},
                           {kChen, At(2026, 4, 14, 9, 5), At(2026, 4, 16, 17)},
                           {kZhang, At(2026, 4, 14, 9), At(2026, 4, 16, 15)}});
  Finalize(kInspection);

  CheckIn(kMeeting, kChen, At(2026, 5, 20, 14, 20), At(2026, 5, 20, 17));
  CheckIn(kMeeting, kWang, At(2026, 5, 20, 14, 25), At(2026, 5, 20, 16));
  RejectedLeave(kMeeting, kLi, kMeetingLeaveReason);
  Finalize(kMeeting);

  CheckIn(kConsultation, kWang, At(2026, 6, 18, 8, 55), At(2026, 6, 18, 11, 30));
  CheckIn(kConsultation, kZhang, At(2026, 6, 18, 9), At(2026, 6, 18, 11, 30));
  ApprovedLeave(kConsultation, kChen, kConsultationLeaveReason);
  Finalize(kConsultation);

  CancelEventOrDie(Event(kCancelledVisit));

  CheckIn(kOversight, kZhang, At(2026, 9, 9, 9));
  Finalize(kOversight);

  PaperSheet(kStudy, {{kLi, At(2026, 10, 15, 13, 55), std::nullopt},
                      {kZhang, At(2026, 10, 15, 14, 30), std::nullopt},
                      {kChen, At(2026, 10, 15, 14), std::nullopt},
                      {kSun, At(2026, 10, 15, 14, 5), std::nullopt}});
  Finalize(kStudy);

  CheckIn(kTraining, kWang, At(2026, 11, 20, 8, 50));
  ApprovedLeave(kTraining, kLi, kTrainingLeaveReason);
  if (HasFailure()) return;

  // The year as attendance fixed it: a wrong booking shows up here, not as a report mismatch.
  const std::map<std::pair<std::string, std::string>, Outcome> expected = {
      {{kNewYearTrip, kWang}, kPresent},
      {{kNewYearTrip, kLi}, kAbsent},
      {{kTrip, kWang}, kPresent},
      {{kTrip, kLi}, kLate},
      {{kTrip, kZhang}, kExcused},
      {{kTrip, kChen}, kNotAttended},
      {{kInspection, kWang}, kPresent},
      {{kInspection, kLi}, kAbsent},
      {{kInspection, kZhang}, kLeftEarly},
      {{kInspection, kChen}, kPresent},
      {{kMeeting, kWang}, kLeftEarly},
      {{kMeeting, kLi}, kAbsent},
      {{kMeeting, kChen}, kPresent},
      {{kConsultation, kWang}, kPresent},
      {{kConsultation, kLi}, kNotAttended},
      {{kConsultation, kZhang}, kPresent},
      {{kConsultation, kChen}, kExcused},
      {{kOversight, kWang}, kAbsent},
      {{kOversight, kLi}, kAbsent},
      {{kOversight, kZhang}, kPresent},
      {{kStudy, kWang}, kAbsent},
      {{kStudy, kLi}, kPresent},
      {{kStudy, kZhang}, kLate},
      {{kStudy, kChen}, kPresent},
      {{kStudy, kSun}, kPresent},
      {{kTraining, kWang}, common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED},
      {{kTraining, kLi}, common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED},
      {{kTraining, kZhang}, common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED},
  };
  std::map<std::pair<std::string, std::string>, Outcome> recorded;
  for (const char* event_id :
       {kNewYearTrip, kTrip, kInspection, kMeeting, kConsultation, kOversight, kStudy, kTraining}) {
    att::ListAttendanceRequest request;
    request.set_parent(Event(event_id));
    for (const att::AttendanceRecord& record : ListAllRecords(request)) {
      const std::string member_id = record.member().substr(record.member().rfind('/') + 1);
      recorded[{event_id, member_id}] = record.outcome();
    }
  }
  ASSERT_EQ(recorded, expected) << "attendance did not record the year as planned";
}

void CommitteeYearFixture::AddUnit(absl::string_view id, absl::string_view display_name,
                                   v1::UnitKind kind) {
  v1::CreateUnitRequest request;
  request.set_parent(OrganizationA());
  request.set_unit_id(std::string(id));
  request.mutable_unit()->set_display_name(std::string(display_name));
  request.mutable_unit()->set_kind(kind);
  v1::Unit unit;
  const grpc::Status status = Call(&Roster::CreateUnit, kStaffA, request, &unit);
  EXPECT_TRUE(status.ok()) << "CreateUnit " << id << ": " << Describe(status);
}

void CommitteeYearFixture::AddMember(absl::string_view id, absl::string_view display_name,
                                     v1::MemberRole role, const std::vector<std::string>& unit_ids,
                                     bool active) {
  v1::CreateMemberRequest request;
  request.set_parent(OrganizationA());
  request.set_member_id(std::string(id));
  v1::Member& member = *request.mutable_member();
  member.set_display_name(std::string(display_name));
  member.set_role(role);
  member.set_status(active ? v1::MEMBER_STATUS_ACTIVE : v1::MEMBER_STATUS_INACTIVE);
  for (const std::string& unit_id : unit_ids) member.add_units(Unit(unit_id));
  v1::Member created;
  const grpc::Status status = Call(&Roster::CreateMember, kStaffA, request, &created);
  EXPECT_TRUE(status.ok()) << "CreateMember " << id << ": " << Describe(status);
}

void CommitteeYearFixture::BookEvent(const EventSpec& spec) {
  v1::CreateEventRequest request;
  request.set_parent(OrganizationA());
  request.set_event_id(std::string(spec.id));
  v1::Event& event = *request.mutable_event();
  event.set_kind(spec.kind);
  event.set_title(std::string(spec.title));
  for (const std::string& topic : spec.topics) event.add_topics(topic);
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range() = Range(spec.start, spec.end);
  for (const Invitee& invitee : spec.invitees) {
    v1::Participant& participant = *event.add_participants();
    participant.set_member(Member(invitee.member_id));
    participant.set_role(invitee.role);
  }
  if (!spec.invited_unit.empty()) {
    v1::InvitedUnit& unit = *event.add_invited_units();
    unit.set_unit(Unit(spec.invited_unit));
    unit.set_role(kRequired);
  }
  v1::CreateEventResponse response;
  const grpc::Status status = Call(&Scheduling::CreateEvent, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "CreateEvent " << spec.id << ": " << Describe(status);
}

void CommitteeYearFixture::CheckIn(absl::string_view event_id, absl::string_view member_id,
                                   absl::Time in, std::optional<absl::Time> out) {
  StaffCheckInOrDie(Event(event_id), member_id, in);
  if (out.has_value()) StaffCheckOutOrDie(Event(event_id), member_id, *out);
}

void CommitteeYearFixture::PaperSheet(absl::string_view event_id,
                                      const std::vector<SheetRow>& rows) {
  att::BatchCheckInRequest request;
  request.set_event(Event(event_id));
  for (const SheetRow& row : rows) {
    att::BatchCheckInRow& line = *request.add_rows();
    line.set_member(Member(row.member_id));
    *line.mutable_check_in_time() = ToTimestamp(row.check_in);
    if (row.check_out.has_value()) *line.mutable_check_out_time() = ToTimestamp(*row.check_out);
  }
  att::BatchCheckInResponse response;
  const grpc::Status status = Call(&Attendance::BatchCheckIn, kStaffA, request, &response);
  ASSERT_TRUE(status.ok()) << "BatchCheckIn " << event_id << ": " << Describe(status);
  EXPECT_EQ(response.applied_count(), static_cast<int>(rows.size())) << response.DebugString();
}

void CommitteeYearFixture::ApprovedLeave(absl::string_view event_id, absl::string_view member_id,
                                         absl::string_view reason) {
  att::RequestLeaveRequest request;
  request.set_name(RecordName(Event(event_id), member_id));
  request.set_reason(std::string(reason));
  request.set_approve(true);
  att::AttendanceRecord record;
  const grpc::Status status = Call(&Attendance::RequestLeave, kStaffA, request, &record);
  EXPECT_TRUE(status.ok()) << "RequestLeave " << request.name() << ": " << Describe(status);
}

void CommitteeYearFixture::RejectedLeave(absl::string_view event_id, absl::string_view member_id,
                                         absl::string_view reason) {
  att::RequestLeaveRequest request;
  request.set_name(RecordName(Event(event_id), member_id));
  request.set_reason(std::string(reason));
  att::AttendanceRecord record;
  grpc::Status status = Call(&Attendance::RequestLeave, kStaffA, request, &record);
  ASSERT_TRUE(status.ok()) << "RequestLeave " << request.name() << ": " << Describe(status);
  att::DecideLeaveRequest decide;
  decide.set_name(request.name());
  decide.set_decision(att::LEAVE_DECISION_REJECT);
  decide.set_comment("常委会议须出席");
  status = Call(&Attendance::DecideLeave, kStaffA, decide, &record);
  EXPECT_TRUE(status.ok()) << "DecideLeave " << decide.name() << ": " << Describe(status);
}

void CommitteeYearFixture::Finalize(absl::string_view event_id) {
  att::FinalizeEventRequest request;
  request.set_event(Event(event_id));
  att::FinalizeEventResponse response;
  const grpc::Status status = Call(&Attendance::FinalizeEvent, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "FinalizeEvent " << event_id << ": " << Describe(status);
}

}  // namespace fieldwork::testing
