// A synthetic year of one organization (see synthetic_year.h).
#include "tests/bench/synthetic_year.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/field_checks.h"
#include "services/scheduling/organization_settings.h"

namespace fieldwork::bench {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace cv1 = ::fieldwork::common::v1;
namespace sv1 = ::fieldwork::scheduling::v1;

constexpr int kYear = 2026;
constexpr char kOrganization[] = "organizations/bench";

cv1::AttendanceOutcome OutcomeOf(int event, int participant) {
  switch ((event + participant) % 20) {
    case 0:
      return cv1::ATTENDANCE_OUTCOME_ABSENT;
    case 1:
    case 2:
      return cv1::ATTENDANCE_OUTCOME_EXCUSED;
    case 3:
      return cv1::ATTENDANCE_OUTCOME_LATE;
    default:
      return cv1::ATTENDANCE_OUTCOME_PRESENT;
  }
}

}  // namespace

SyntheticYear MakeSyntheticYear(int members, int events, int participants) {
  participants = std::min(participants, members);
  SyntheticYear year;
  const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  year.data.zone = zone;
  year.data.as_of = absl::FromCivil(absl::CivilDay(kYear + 1, 1, 1), zone);
  year.data.organization.set_name(kOrganization);
  year.data.organization.set_display_name("压测政协");
  year.data.organization.set_time_zone("Asia/Shanghai");
  *year.data.organization.mutable_reporting_settings()->mutable_scoring_table() =
      scheduling::DefaultScoringTable();
  year.period = {
      absl::CivilDay(kYear, 1, 1), absl::CivilDay(kYear, 12, 31),
      reporting::DaysToInstants(absl::CivilDay(kYear, 1, 1), absl::CivilDay(kYear, 12, 31), zone)};
  year.unit.set_name(absl::StrCat(kOrganization, "/units/sector"));
  year.unit.set_display_name("压测界别");
  year.unit.set_kind(sv1::UNIT_KIND_SECTOR);
  std::vector<std::string> names;
  for (int i = 0; i < members; ++i) {
    sv1::Member member;
    member.set_name(absl::StrFormat("%s/members/m%04d", kOrganization, i));
    member.set_display_name(absl::StrCat("压测委员", i));
    member.set_role(sv1::MEMBER_ROLE_MEMBER);
    member.set_status(sv1::MEMBER_STATUS_ACTIVE);
    member.add_units(year.unit.name());
    names.push_back(member.name());
    year.data.members.emplace(member.name(), std::move(member));
  }
  const sv1::EventKind kinds[] = {sv1::EVENT_KIND_RESEARCH_TRIP, sv1::EVENT_KIND_INSPECTION,
                                  sv1::EVENT_KIND_MEETING, sv1::EVENT_KIND_CONSULTATION};
  const absl::Time first = absl::FromCivil(absl::CivilHour(kYear, 1, 2, 9), zone);
  for (int e = 0; e < events; ++e) {
    const absl::Time start = first + absl::Hours(19) * e;
    sv1::Event event;
    event.set_name(absl::StrFormat("%s/events/e%04d", kOrganization, e));
    event.set_kind(kinds[e % 4]);
    event.set_title(absl::StrCat("压测活动 ", e));
    event.add_topics(absl::StrCat("课题", e % 12));
    event.set_state(sv1::EVENT_STATE_COMPLETED);
    *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
    *event.mutable_time_range()->mutable_end_time() = ToTimestamp(start + absl::Hours(2));
    reporting::EventRecords& records = year.data.records[event.name()];
    for (int p = 0; p < participants; ++p) {
      const std::string& member = names[(e * participants + p) % members];
      sv1::Participant& participant = *event.add_participants();
      participant.set_member(member);
      participant.set_role(sv1::PARTICIPANT_ROLE_REQUIRED);
      *event.add_resolved_participants() = participant;
      av1::AttendanceRecord record;
      record.set_name(
          absl::StrCat(event.name(), "/attendance/", member.substr(member.rfind('/') + 1)));
      record.set_event(event.name());
      record.set_member(member);
      record.set_participant_role(sv1::PARTICIPANT_ROLE_REQUIRED);
      record.set_outcome(OutcomeOf(e, p));
      record.set_finalized(true);
      records.emplace(member, std::move(record));
    }
    year.data.events.push_back(std::move(event));
  }
  return year;
}

}  // namespace fieldwork::bench
