// The attendance rules of one event (see attendance_rules.h).
#include "services/attendance/attendance_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "google/protobuf/util/time_util.h"

namespace fieldwork::attendance {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;
using ::fieldwork::common::v1::AttendanceOutcome;

absl::Duration ToDuration(const google::protobuf::Duration& value) {
  return absl::Seconds(value.seconds()) + absl::Nanoseconds(value.nanos());
}

}  // namespace

CheckInRules RulesFrom(const sv1::AttendanceSettings& settings) {
  CheckInRules rules;
  // Unset messages take the defaults; a set zero is a real zero (e.g. no grace at all).
  if (settings.has_check_in_opens_before()) {
    rules.opens_before = ToDuration(settings.check_in_opens_before());
  }
  if (settings.has_grace()) rules.grace = ToDuration(settings.grace());
  if (settings.has_check_out_closes_after()) {
    rules.check_out_closes_after = ToDuration(settings.check_out_closes_after());
  }
  if (settings.has_auto_finalize_after()) {
    rules.auto_finalize_after = ToDuration(settings.auto_finalize_after());
  }
  rules.auto_finalize = !settings.auto_finalize_disabled();
  return rules;
}

absl::StatusOr<EventFacts> FactsFrom(const sv1::Event& event,
                                     const sv1::Organization& organization) {
  absl::StatusOr<ChildName> name = ParseEventName(event.name());
  if (!name.ok()) return absl::DataLossError(absl::StrCat("scheduling sent event ", event.name()));
  EventFacts facts;
  facts.organization = name->organization;
  facts.event_id = name->id;
  facts.event_name = event.name();
  facts.state = event.state();
  facts.time = {ToTime(event.time_range().start_time()), ToTime(event.time_range().end_time())};
  if (facts.time.end <= facts.time.start) {
    return absl::DataLossError(
        absl::StrCat("scheduling sent event ", event.name(), " without a valid time range"));
  }
  for (const sv1::Participant& participant : event.resolved_participants()) {
    absl::StatusOr<ChildName> member = ParseMemberName(participant.member());
    if (!member.ok()) continue;
    if (facts.roles.emplace(member->id, participant.role()).second) {
      facts.members.push_back(member->id);
    }
  }
  std::sort(facts.members.begin(), facts.members.end());
  facts.rules = RulesFrom(organization.attendance_settings());
  return facts;
}

absl::Status CheckRecordable(const EventFacts& event) {
  switch (event.state) {
    case sv1::EVENT_STATE_SCHEDULED:
    case sv1::EVENT_STATE_COMPLETED:
      return absl::OkStatus();
    case sv1::EVENT_STATE_CANCELLED:
      return WithReason(
          absl::FailedPreconditionError(absl::StrCat("event ", event.event_name, " is cancelled")),
          common::v1::ERROR_REASON_EVENT_CANCELLED);
    default:
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "event ", event.event_name, " is a draft: schedule it first")),
                        common::v1::ERROR_REASON_INVALID_STATE);
  }
}

absl::StatusOr<sv1::ParticipantRole> RoleOf(const EventFacts& event, absl::string_view member_id) {
  auto found = event.roles.find(member_id);
  if (found == event.roles.end()) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat("member ", FormatMemberName(event.organization, member_id),
                                       " is not a participant of ", event.event_name)),
                      common::v1::ERROR_REASON_NOT_A_PARTICIPANT);
  }
  return found->second;
}

Interval CheckInWindow(const EventFacts& event) {
  return {event.time.start - event.rules.opens_before, event.time.end};
}

absl::Time CheckOutCloses(const EventFacts& event) {
  return event.time.end + event.rules.check_out_closes_after;
}

bool IsLate(const EventFacts& event, absl::Time check_in) {
  return check_in > event.time.start + event.rules.grace;
}

bool IsLeftEarly(const EventFacts& event, absl::Time check_out) {
  return check_out < event.time.end - event.rules.grace;
}

absl::Status CheckInWindowContains(const EventFacts& event, absl::Time time) {
  const Interval window = CheckInWindow(event);
  if (time >= window.start && time < window.end) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "check-in at ", absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone()),
          " is outside the check-in window [",
          absl::FormatTime(absl::RFC3339_sec, window.start, absl::UTCTimeZone()), ", ",
          absl::FormatTime(absl::RFC3339_sec, window.end, absl::UTCTimeZone()), ")")),
      common::v1::ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW);
}

absl::Status CheckOutAllowed(const EventFacts& event, absl::Time check_in, absl::Time time) {
  const absl::Time closes = CheckOutCloses(event);
  if (time >= check_in && time < closes) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "check-out at ", absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone()),
          " must lie between the check-in (",
          absl::FormatTime(absl::RFC3339_sec, check_in, absl::UTCTimeZone()),
          ") and the close of check-out (",
          absl::FormatTime(absl::RFC3339_sec, closes, absl::UTCTimeZone()), ")")),
      common::v1::ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW);
}

AttendanceOutcome OutcomeOf(const v1::AttendanceRecord& record, const EventFacts& event) {
  // The role is the record's, which every write refreshes from the event.
  if (record.has_check_in()) {
    if (IsLate(event, ToTime(record.check_in().time()))) return common::v1::ATTENDANCE_OUTCOME_LATE;
    if (record.has_check_out() && IsLeftEarly(event, ToTime(record.check_out().time()))) {
      return common::v1::ATTENDANCE_OUTCOME_LEFT_EARLY;
    }
    return common::v1::ATTENDANCE_OUTCOME_PRESENT;
  }
  if (record.has_leave() && record.leave().state() == v1::LEAVE_STATE_APPROVED) {
    return common::v1::ATTENDANCE_OUTCOME_EXCUSED;
  }
  if (record.participant_role() == sv1::PARTICIPANT_ROLE_OPTIONAL) {
    return common::v1::ATTENDANCE_OUTCOME_NOT_ATTENDED;
  }
  return common::v1::ATTENDANCE_OUTCOME_ABSENT;
}

v1::AttendanceRecord EmptyRecord(const EventFacts& event, absl::string_view member_id) {
  v1::AttendanceRecord record;
  record.set_name(FormatAttendanceName(event.organization, event.event_id, member_id));
  record.set_event(event.event_name);
  record.set_member(FormatMemberName(event.organization, member_id));
  auto role = event.roles.find(member_id);
  if (role != event.roles.end()) record.set_participant_role(role->second);
  return record;
}

}  // namespace fieldwork::attendance
