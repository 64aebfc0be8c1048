// Seeds a benchmark organization (see seed.h).
#include "tools/load-generator/seed.h"

#include <grpcpp/client_context.h>

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

void Prepare(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

}  // namespace

absl::StatusOr<SeededOrganization> SeedOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                    const std::string& token, int members,
                                                    int events) {
  auto organizations = sv1::SchedulingService::NewStub(scheduling);
  auto roster = sv1::RosterService::NewStub(scheduling);
  SeededOrganization seeded;
  seeded.organization = absl::StrCat("bench", absl::ToUnixMillis(absl::Now()));
  const std::string parent = absl::StrCat("organizations/", seeded.organization);
  {
    grpc::ClientContext context;
    Prepare(context, token);
    sv1::CreateOrganizationRequest request;
    request.set_organization_id(seeded.organization);
    request.mutable_organization()->set_display_name("压测政协");
    sv1::Organization created;
    if (auto status =
            FromPeer("scheduling", organizations->CreateOrganization(&context, request, &created));
        !status.ok()) {
      return status;
    }
  }
  for (int i = 0; i < members; ++i) {
    grpc::ClientContext context;
    Prepare(context, token);
    sv1::CreateMemberRequest request;
    request.set_parent(parent);
    request.set_member_id(absl::StrFormat("m%04d", i));
    request.mutable_member()->set_display_name(absl::StrCat("压测委员", i));
    request.mutable_member()->set_role(sv1::MEMBER_ROLE_MEMBER);
    request.mutable_member()->set_status(sv1::MEMBER_STATUS_ACTIVE);
    sv1::Member created;
    if (auto status = FromPeer("scheduling", roster->CreateMember(&context, request, &created));
        !status.ok()) {
      return status;
    }
    seeded.members.push_back(request.member_id());
  }
  // In progress: started ten minutes ago, ends in three hours, so check-in is open.
  const absl::Time start =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now())) - absl::Minutes(10);
  for (int i = 0; i < events; ++i) {
    grpc::ClientContext context;
    Prepare(context, token);
    sv1::CreateEventRequest request;
    request.set_parent(parent);
    sv1::Event& event = *request.mutable_event();
    event.set_kind(sv1::EVENT_KIND_MEETING);
    event.set_title(absl::StrCat("压测会议 ", i));
    event.set_state(sv1::EVENT_STATE_SCHEDULED);
    *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
    *event.mutable_time_range()->mutable_end_time() = ToTimestamp(start + absl::Hours(3));
    for (const std::string& member : seeded.members) {
      sv1::Participant& participant = *event.add_participants();
      participant.set_member(absl::StrCat(parent, "/members/", member));
      participant.set_role(sv1::PARTICIPANT_ROLE_OPTIONAL);
    }
    sv1::CreateEventResponse created;
    if (auto status =
            FromPeer("scheduling", organizations->CreateEvent(&context, request, &created));
        !status.ok()) {
      return status;
    }
    seeded.events.push_back(created.event().name());
  }
  return seeded;
}

}  // namespace fieldwork::bench
