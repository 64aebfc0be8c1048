// The processes and roster of a fault scenario (see fault_cluster.h).
#include "tests/fault/fault_cluster.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/services/attendance/attendance_fixture.h"
#include "tests/services/reporting/reporting_fixture.h"
#include "tests/services/scheduling/scheduling_fixture.h"

#ifndef FIELDWORK_SCHEDULING_BINARY
#error "FIELDWORK_SCHEDULING_BINARY must name the fieldwork-scheduling executable"
#endif

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

absl::Status ToAbsl(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", Describe(status)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FaultCluster>> FaultCluster::Start(const ClusterOptions& options) {
  std::unique_ptr<FaultCluster> cluster(new FaultCluster());
  if (absl::Status started = cluster->StartProcesses(options); !started.ok()) return started;
  return cluster;
}

absl::Status FaultCluster::StartProcesses(const ClusterOptions& options) {
  RedisServerOptions redis_options;
  redis_options.appendonly = true;
  redis_options.fsync_always = true;
  absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start(redis_options);
  if (!redis.ok()) return redis.status();
  redis_ = *std::move(redis);

  absl::StatusOr<std::string> tokens = SchedulingTokensFile();
  if (!tokens.ok()) return tokens.status();
  std::vector<std::string> flags = {absl::StrCat("--redis-url=", redis_->url()),
                                    absl::StrCat("--tokens-file=", *tokens), "--log-level=warn"};
  flags.insert(flags.end(), options.scheduling_flags.begin(), options.scheduling_flags.end());
  std::vector<std::string> addresses;
  for (int i = 0; i < options.scheduling_replicas; ++i) {
    std::vector<std::string> replica_flags = flags;
    if (i < static_cast<int>(options.replica_extra_flags.size())) {
      replica_flags.insert(replica_flags.end(), options.replica_extra_flags[i].begin(),
                           options.replica_extra_flags[i].end());
    }
    scheduling_.push_back(
        std::make_unique<RestartableService>(FIELDWORK_SCHEDULING_BINARY, replica_flags));
    if (absl::Status started = scheduling_.back()->Start(); !started.ok()) return started;
    addresses.push_back(scheduling_.back()->address());
  }
  if (!options.with_attendance_and_reporting) return absl::OkStatus();

  // Both peers balance (round_robin) over every scheduling replica.
  const std::string scheduling_target = absl::StrCat("ipv4:", absl::StrJoin(addresses, ","));
  AttendanceReplicaOptions attendance_options;
  attendance_options.redis_url = redis_->url();
  attendance_options.scheduling_target = scheduling_target;
  absl::StatusOr<std::unique_ptr<ServiceProcess>> attendance =
      StartAttendanceReplica(attendance_options);
  if (!attendance.ok()) return attendance.status();
  attendance_ = *std::move(attendance);
  ReportingReplicaOptions reporting_options;
  reporting_options.redis_url = redis_->url();
  reporting_options.scheduling_target = scheduling_target;
  reporting_options.attendance_target = attendance_->address();
  absl::StatusOr<std::unique_ptr<ServiceProcess>> reporting =
      StartReportingReplica(reporting_options);
  if (!reporting.ok()) return reporting.status();
  reporting_ = *std::move(reporting);
  return absl::OkStatus();
}

FaultCluster::~FaultCluster() {
  reporting_.reset();
  attendance_.reset();
  for (auto& replica : scheduling_) replica->Kill();
  scheduling_.clear();
  redis_.reset();
}

std::unique_ptr<scheduling::v1::SchedulingService::Stub> FaultCluster::SchedulingStub(
    int replica) const {
  return scheduling::v1::SchedulingService::NewStub(scheduling_[replica]->channel());
}

std::unique_ptr<attendance::v1::AttendanceService::Stub> FaultCluster::AttendanceStub() const {
  return attendance::v1::AttendanceService::NewStub(attendance_->channel());
}

std::unique_ptr<reporting::v1::ReportingService::Stub> FaultCluster::ReportingStub() const {
  return reporting::v1::ReportingService::NewStub(reporting_->channel());
}

absl::Status FaultCluster::CreateRoster(int members, int venues) {
  auto scheduling = SchedulingStub(0);
  auto roster = scheduling::v1::RosterService::NewStub(scheduling_[0]->channel());
  {
    scheduling::v1::CreateOrganizationRequest request;
    request.set_organization_id(kOrgA);
    request.mutable_organization()->set_display_name("铜官区政协");
    scheduling::v1::Organization organization;
    grpc::ClientContext context;
    PrepareContext(context, kAdmin);
    absl::Status created = ToAbsl(scheduling->CreateOrganization(&context, request, &organization),
                                  "CreateOrganization");
    if (!created.ok()) return created;
  }
  for (int i = 0; i < members; ++i) {
    scheduling::v1::CreateMemberRequest request;
    request.set_parent(kFaultParent);
    request.set_member_id(absl::StrCat("m", i));
    request.mutable_member()->set_display_name(absl::StrCat("委员", i));
    request.mutable_member()->set_role(scheduling::v1::MEMBER_ROLE_MEMBER);
    scheduling::v1::Member member;
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    absl::Status created = ToAbsl(roster->CreateMember(&context, request, &member), "CreateMember");
    if (!created.ok()) return created;
  }
  for (int i = 0; i < venues; ++i) {
    scheduling::v1::CreateVenueRequest request;
    request.set_parent(kFaultParent);
    request.set_venue_id(absl::StrCat("v", i));
    request.mutable_venue()->set_display_name(absl::StrCat("会议室", i));
    request.mutable_venue()->set_kind(scheduling::v1::VENUE_KIND_OFFICE);
    request.mutable_venue()->set_exclusive(true);
    scheduling::v1::Venue venue;
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    absl::Status created = ToAbsl(roster->CreateVenue(&context, request, &venue), "CreateVenue");
    if (!created.ok()) return created;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AttendanceEvent>> FaultCluster::CreateAttendanceEvents(
    int events, int members_per_event) {
  auto scheduling = SchedulingStub(0);
  auto roster = scheduling::v1::RosterService::NewStub(scheduling_[0]->channel());
  const absl::Time start =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now() - absl::Minutes(5)));
  std::vector<AttendanceEvent> created;
  for (int e = 0; e < events; ++e) {
    scheduling::v1::CreateEventRequest request;
    request.set_parent(kFaultParent);
    request.set_event_id(absl::StrCat("att", e));
    scheduling::v1::Event& event = *request.mutable_event();
    event.set_kind(scheduling::v1::EVENT_KIND_INSPECTION);
    event.set_title(absl::StrCat("专题视察 att", e));
    event.set_state(scheduling::v1::EVENT_STATE_SCHEDULED);
    *event.mutable_time_range()->mutable_start_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
    *event.mutable_time_range()->mutable_end_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start + absl::Hours(2)));
    std::vector<std::string> member_ids;
    for (int k = 0; k < members_per_event; ++k) {
      const std::string id = absl::StrCat("a", e * members_per_event + k);
      scheduling::v1::CreateMemberRequest member_request;
      member_request.set_parent(kFaultParent);
      member_request.set_member_id(id);
      member_request.mutable_member()->set_display_name(absl::StrCat("委员 ", id));
      member_request.mutable_member()->set_role(scheduling::v1::MEMBER_ROLE_MEMBER);
      scheduling::v1::Member member;
      grpc::ClientContext context;
      PrepareContext(context, kStaffA);
      absl::Status made =
          ToAbsl(roster->CreateMember(&context, member_request, &member), "CreateMember");
      if (!made.ok()) return made;
      scheduling::v1::Participant& participant = *event.add_participants();
      participant.set_member(absl::StrCat(kFaultParent, "/members/", id));
      participant.set_role(k == 0 ? scheduling::v1::PARTICIPANT_ROLE_LEAD
                                  : scheduling::v1::PARTICIPANT_ROLE_REQUIRED);
      member_ids.push_back(id);
    }
    scheduling::v1::CreateEventResponse response;
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    absl::Status made =
        ToAbsl(scheduling->CreateEvent(&context, request, &response), "CreateEvent");
    if (!made.ok()) return made;
    AttendanceEvent attendance_event{response.event().name(), start, {}};
    for (const std::string& id : member_ids) {
      attendance_event.records.push_back(absl::StrCat(attendance_event.name, "/attendance/", id));
    }
    created.push_back(std::move(attendance_event));
  }
  return created;
}

}  // namespace fieldwork::testing
