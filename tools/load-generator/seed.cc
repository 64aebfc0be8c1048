// Seeds benchmark organizations (see seed.h).
#include "tools/load-generator/seed.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/api/field_checks.h"
#include "common/api/peer_call.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"

namespace fieldwork::bench {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;

constexpr int kImportRows = 2000;  // ImportMembers' most rows per call

template <typename Stub, typename Request, typename Response>
absl::Status Call(Stub& stub,
                  grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                  const std::string& token, const Request& request, Response& response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return FromPeer("scheduling", (stub.*rpc)(&context, request, &response));
}

// The organization `id` with `members` active members m0000, m0001, ….
absl::StatusOr<SeededOrganization> CreateWithMembers(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& token,
                                                     const std::string& id, int members) {
  auto organizations = sv1::SchedulingService::NewStub(channel);
  auto roster = sv1::RosterService::NewStub(channel);
  SeededOrganization seeded;
  seeded.organization = id;
  sv1::CreateOrganizationRequest organization;
  organization.set_organization_id(id);
  organization.mutable_organization()->set_display_name("压测政协");
  sv1::Organization created;
  if (absl::Status status = Call(*organizations, &sv1::SchedulingService::Stub::CreateOrganization,
                                 token, organization, created);
      !status.ok()) {
    return status;
  }
  for (int first = 0; first < members; first += kImportRows) {
    sv1::ImportMembersRequest import;
    import.set_parent(OrganizationName(seeded));
    for (int i = first; i < std::min(members, first + kImportRows); ++i) {
      seeded.members.push_back(absl::StrFormat("m%04d", i));
      sv1::Member& member = *import.add_members();
      member.set_name(absl::StrCat(OrganizationName(seeded), "/members/", seeded.members.back()));
      member.set_display_name(absl::StrCat("压测委员", i));
      member.set_role(sv1::MEMBER_ROLE_MEMBER);
      member.set_status(sv1::MEMBER_STATUS_ACTIVE);
    }
    sv1::ImportMembersResponse imported;
    if (absl::Status status =
            Call(*roster, &sv1::RosterService::Stub::ImportMembers, token, import, imported);
        !status.ok()) {
      return status;
    }
  }
  return seeded;
}

std::string UniqueId(absl::string_view prefix) {
  return absl::StrCat(prefix, absl::ToUnixMillis(absl::Now()));
}

// Creates a SCHEDULED event [start, start + length) with `participants` in `role`; appends its
// name to seeded.events.
absl::Status AddEvent(sv1::SchedulingService::Stub& stub, const std::string& token,
                      const std::vector<std::string>& participants, sv1::ParticipantRole role,
                      absl::Time start, absl::Duration length, SeededOrganization& seeded) {
  sv1::CreateEventRequest request;
  request.set_parent(OrganizationName(seeded));
  sv1::Event& event = *request.mutable_event();
  event.set_kind(sv1::EVENT_KIND_MEETING);
  event.set_title(absl::StrCat("压测会议 ", seeded.events.size()));
  event.set_state(sv1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
  *event.mutable_time_range()->mutable_end_time() = ToTimestamp(start + length);
  for (const std::string& member : participants) {
    sv1::Participant& participant = *event.add_participants();
    participant.set_member(absl::StrCat(OrganizationName(seeded), "/members/", member));
    participant.set_role(role);
  }
  sv1::CreateEventResponse created;
  if (absl::Status status =
          Call(stub, &sv1::SchedulingService::Stub::CreateEvent, token, request, created);
      !status.ok()) {
    return status;
  }
  seeded.events.push_back(created.event().name());
  return absl::OkStatus();
}

}  // namespace

std::string OrganizationName(const SeededOrganization& seeded) {
  return absl::StrCat("organizations/", seeded.organization);
}

absl::StatusOr<SeededOrganization> SeedOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                    const std::string& token, int members,
                                                    int events) {
  absl::StatusOr<SeededOrganization> seeded =
      CreateWithMembers(scheduling, token, UniqueId("bench"), members);
  if (!seeded.ok()) return seeded.status();
  auto stub = sv1::SchedulingService::NewStub(scheduling);
  // In progress: started ten minutes ago, ends in three hours, so check-in is open.
  const absl::Time start =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now())) - absl::Minutes(10);
  for (int i = 0; i < events; ++i) {
    if (absl::Status status =
            AddEvent(*stub, token, seeded->members, sv1::PARTICIPANT_ROLE_OPTIONAL, start,
                     absl::Hours(3), *seeded);
        !status.ok()) {
      return status;
    }
  }
  return seeded;
}

absl::StatusOr<std::vector<SeededOrganization>> SeedOrganizations(
    std::shared_ptr<grpc::Channel> scheduling, const std::string& token, int organizations,
    int members) {
  const std::string prefix = UniqueId("bench");
  std::vector<SeededOrganization> seeded;
  for (int i = 0; i < organizations; ++i) {
    absl::StatusOr<SeededOrganization> one =
        CreateWithMembers(scheduling, token, absl::StrCat(prefix, "-", i), members);
    if (!one.ok()) return one.status();
    seeded.push_back(*std::move(one));
  }
  return seeded;
}

absl::StatusOr<SeededOrganization> SeedCalendar(std::shared_ptr<grpc::Channel> scheduling,
                                                const std::string& token,
                                                const CalendarSize& size) {
  absl::StatusOr<SeededOrganization> seeded =
      CreateWithMembers(scheduling, token, UniqueId("calendar"), size.members);
  if (!seeded.ok()) return seeded.status();
  auto stub = sv1::SchedulingService::NewStub(scheduling);
  for (int e = 0; e < size.events; ++e) {
    std::vector<std::string> participants;
    for (int p = 0; p < size.participants; ++p) {
      participants.push_back(seeded->members[(e * size.participants + p) % size.members]);
    }
    if (absl::Status status = AddEvent(*stub, token, participants, sv1::PARTICIPANT_ROLE_REQUIRED,
                                       size.first_start + size.spacing * e, size.length, *seeded);
        !status.ok()) {
      return status;
    }
  }
  return seeded;
}

}  // namespace fieldwork::bench
