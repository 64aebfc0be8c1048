// Seeds the reporting benchmark's organization (see report_seed.h).
#include "tools/load-generator/report_seed.h"

#include <grpcpp/client_context.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/api/field_checks.h"
#include "common/api/peer_call.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"

namespace fieldwork::bench {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace sv1 = ::fieldwork::scheduling::v1;

// Long enough for a 1,000-row paper sheet or a 300-member event on a busy machine.
constexpr absl::Duration kSeedCallTimeout = absl::Seconds(60);
constexpr char kUnitId[] = "sector60";

void PrepareSeedCall(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + kSeedCallTimeout));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

template <typename Stub, typename Request, typename Response>
absl::Status Call(Stub& stub,
                  grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                  const std::string& token, const Request& request, Response& response,
                  absl::string_view peer) {
  grpc::ClientContext context;
  PrepareSeedCall(context, token);
  return FromPeer(peer, (stub.*rpc)(&context, request, &response));
}

std::string MemberId(int index) { return absl::StrFormat("m%04d", index); }

}  // namespace

ReportOrganization SeededReportOrganization(const std::string& organization, int year) {
  ReportOrganization seeded;
  seeded.organization = organization;
  seeded.unit = absl::StrCat("organizations/", organization, "/units/", kUnitId);
  seeded.member = absl::StrCat("organizations/", organization, "/members/", MemberId(0));
  seeded.year = year;
  return seeded;
}

absl::StatusOr<ReportOrganization> SeedReportOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                          std::shared_ptr<grpc::Channel> attendance,
                                                          const std::string& token,
                                                          const ReportOrganizationSize& size) {
  auto organizations = sv1::SchedulingService::NewStub(scheduling);
  auto roster = sv1::RosterService::NewStub(scheduling);
  auto records = av1::AttendanceService::NewStub(attendance);
  ReportOrganization seeded;
  seeded.organization = absl::StrCat("report", absl::ToUnixMillis(absl::Now()));
  const std::string parent = absl::StrCat("organizations/", seeded.organization);
  const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);  // the default Asia/Shanghai offset
  seeded.year = static_cast<int>(absl::ToCivilYear(absl::Now(), zone).year());

  sv1::CreateOrganizationRequest organization;
  organization.set_organization_id(seeded.organization);
  organization.mutable_organization()->set_display_name("报告压测政协");
  // The seeder finalizes every event itself.
  organization.mutable_organization()->mutable_attendance_settings()->set_auto_finalize_disabled(
      true);
  sv1::Organization created_organization;
  if (absl::Status status = Call(*organizations, &sv1::SchedulingService::Stub::CreateOrganization,
                                 token, organization, created_organization, "scheduling");
      !status.ok()) {
    return status;
  }
  sv1::CreateUnitRequest unit;
  unit.set_parent(parent);
  unit.set_unit_id(kUnitId);
  unit.mutable_unit()->set_display_name("压测界别");
  unit.mutable_unit()->set_kind(sv1::UNIT_KIND_SECTOR);
  sv1::Unit created_unit;
  if (absl::Status status = Call(*roster, &sv1::RosterService::Stub::CreateUnit, token, unit,
                                 created_unit, "scheduling");
      !status.ok()) {
    return status;
  }
  seeded.unit = created_unit.name();
  std::vector<std::string> members;
  for (int i = 0; i < size.members; ++i) {
    sv1::CreateMemberRequest member;
    member.set_parent(parent);
    member.set_member_id(MemberId(i));
    member.mutable_member()->set_display_name(absl::StrCat("报告委员", i));
    member.mutable_member()->set_role(i % 10 == 0 ? sv1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER
                                                  : sv1::MEMBER_ROLE_MEMBER);
    member.mutable_member()->set_status(sv1::MEMBER_STATUS_ACTIVE);
    if (i < size.unit_members) member.mutable_member()->add_units(seeded.unit);
    sv1::Member created;
    if (absl::Status status = Call(*roster, &sv1::RosterService::Stub::CreateMember, token, member,
                                   created, "scheduling");
        !status.ok()) {
      return status;
    }
    members.push_back(created.name());
  }
  seeded.member = members.front();

  // Two-hour events every 19 hours from 2 January: disjoint, and 400 of them end before late
  // November, so each can be finalized.
  const absl::Time first = absl::FromCivil(absl::CivilHour(seeded.year, 1, 2, 9), zone);
  const sv1::EventKind kinds[] = {sv1::EVENT_KIND_RESEARCH_TRIP, sv1::EVENT_KIND_INSPECTION,
                                  sv1::EVENT_KIND_MEETING, sv1::EVENT_KIND_CONSULTATION};
  for (int e = 0; e < size.events; ++e) {
    const absl::Time start = first + absl::Hours(19) * e;
    const absl::Time end = start + absl::Hours(2);
    if (end > absl::Now()) break;
    sv1::CreateEventRequest event;
    event.set_parent(parent);
    event.set_event_id(absl::StrFormat("e%04d", e));
    sv1::Event& body = *event.mutable_event();
    body.set_kind(kinds[e % 4]);
    body.set_title(absl::StrCat("报告压测活动 ", e));
    body.add_topics(absl::StrCat("课题", e % 12));
    body.set_state(sv1::EVENT_STATE_SCHEDULED);
    *body.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
    *body.mutable_time_range()->mutable_end_time() = ToTimestamp(end);
    std::vector<std::string> invited;
    for (int p = 0; p < size.participants; ++p) {
      invited.push_back(members[(e * size.participants + p) % members.size()]);
    }
    for (const std::string& member : invited) {
      sv1::Participant& participant = *body.add_participants();
      participant.set_member(member);
      participant.set_role(sv1::PARTICIPANT_ROLE_REQUIRED);
    }
    sv1::CreateEventResponse created;
    if (absl::Status status = Call(*organizations, &sv1::SchedulingService::Stub::CreateEvent,
                                   token, event, created, "scheduling");
        !status.ok()) {
      return status;
    }
    // Attendance: the last two ask for leave (approved), one in ten of the rest stays away, the
    // others sign the paper sheet (every seventh late).
    av1::BatchCheckInRequest sheet;
    sheet.set_event(created.event().name());
    for (size_t p = 0; p + 2 < invited.size(); ++p) {
      if (p % 10 == 9) continue;
      av1::BatchCheckInRow& row = *sheet.add_rows();
      row.set_member(invited[p]);
      *row.mutable_check_in_time() =
          ToTimestamp(start + (p % 7 == 6 ? absl::Minutes(25) : absl::Minutes(-5)));
    }
    av1::BatchCheckInResponse signed_in;
    if (absl::Status status = Call(*records, &av1::AttendanceService::Stub::BatchCheckIn, token,
                                   sheet, signed_in, "attendance");
        !status.ok()) {
      return status;
    }
    for (size_t p = invited.size() - 2; p < invited.size(); ++p) {
      const std::string member_id = invited[p].substr(invited[p].rfind('/') + 1);
      av1::RequestLeaveRequest leave;
      leave.set_name(absl::StrCat(created.event().name(), "/attendance/", member_id));
      leave.set_reason("外出考察");
      leave.set_approve(true);
      av1::AttendanceRecord recorded;
      if (absl::Status status = Call(*records, &av1::AttendanceService::Stub::RequestLeave, token,
                                     leave, recorded, "attendance");
          !status.ok()) {
        return status;
      }
    }
    av1::FinalizeEventRequest finalize;
    finalize.set_event(created.event().name());
    av1::FinalizeEventResponse finalized;
    if (absl::Status status = Call(*records, &av1::AttendanceService::Stub::FinalizeEvent, token,
                                   finalize, finalized, "attendance");
        !status.ok()) {
      return status;
    }
    seeded.records += finalized.records_size();
  }
  return seeded;
}

}  // namespace fieldwork::bench
