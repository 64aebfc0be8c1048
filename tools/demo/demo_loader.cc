// Loads the demo plan into the services over gRPC (see demo_loader.h).
#include "tools/demo/demo_loader.h"

#include <grpcpp/client_context.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/channel_factory.h"
#include "common/errors.h"

namespace fieldwork::demo {
namespace {

namespace v1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;

// One unary call with a deadline; the error names what was being done.
template <typename Stub, typename Request, typename Response>
absl::Status Call(Stub& stub,
                  grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response, const std::string& what) {
  OutgoingCall call;
  call.timeout = absl::Seconds(10);
  grpc::ClientContext context;
  PrepareClientContext(&context, call);
  const absl::Status status = FromGrpcStatus((stub.*rpc)(&context, request, response));
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

// The total_size a List RPC answers for everything under `parent`.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<int> TotalSize(Stub& stub,
                              grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                        Response*),
                              const std::string& parent, const std::string& what) {
  Request request;
  request.set_parent(parent);
  request.set_page_size(1);
  Response response;
  const absl::Status status = Call(stub, rpc, request, &response, what);
  if (!status.ok()) return status;
  return response.total_size();
}

// ALREADY_EXISTS means an earlier, interrupted load created it.
absl::Status OkIfExists(absl::Status status) {
  return absl::IsAlreadyExists(status) ? absl::OkStatus() : status;
}

}  // namespace

DemoLoader::DemoLoader(const std::shared_ptr<grpc::Channel>& scheduling,
                       const std::shared_ptr<grpc::Channel>& attendance, std::ostream& log)
    : roster_(v1::RosterService::NewStub(scheduling)),
      scheduling_(v1::SchedulingService::NewStub(scheduling)),
      attendance_(av1::AttendanceService::NewStub(attendance)),
      log_(log) {}

absl::StatusOr<OrganizationState> DemoLoader::State(const std::string& organization_id) {
  v1::GetOrganizationRequest request;
  request.set_name(absl::StrCat("organizations/", organization_id));
  v1::Organization organization;
  const absl::Status status = Call(*scheduling_, &v1::SchedulingService::Stub::GetOrganization,
                                   request, &organization, "GetOrganization");
  if (absl::IsNotFound(status)) return OrganizationState::kAbsent;
  if (!status.ok()) return status;
  return organization.attendance_settings().auto_finalize_disabled() ? OrganizationState::kPartial
                                                                     : OrganizationState::kLoaded;
}

absl::StatusOr<LoadSummary> DemoLoader::Load(const DemoPlan& plan) {
  v1::Organization organization;
  absl::Status status =
      OkIfExists(Call(*scheduling_, &v1::SchedulingService::Stub::CreateOrganization,
                      plan.organization, &organization, "CreateOrganization"));
  if (!status.ok()) return status;
  for (const v1::CreateUnitRequest& request : plan.units) {
    v1::Unit unit;
    status = OkIfExists(Call(*roster_, &v1::RosterService::Stub::CreateUnit, request, &unit,
                             absl::StrCat("CreateUnit ", request.unit_id())));
    if (!status.ok()) return status;
  }
  for (const v1::CreateVenueRequest& request : plan.venues) {
    v1::Venue venue;
    status = OkIfExists(Call(*roster_, &v1::RosterService::Stub::CreateVenue, request, &venue,
                             absl::StrCat("CreateVenue ", request.venue_id())));
    if (!status.ok()) return status;
  }
  v1::ImportMembersResponse imported;
  status = Call(*roster_, &v1::RosterService::Stub::ImportMembers, plan.members, &imported,
                "ImportMembers");
  if (!status.ok()) return status;
  log_ << "roster: " << plan.units.size() << " units, " << plan.venues.size() << " venues, "
       << plan.members.members_size() << " members\n";

  std::vector<v1::Event> past;
  if (status = CreateEvents(plan, &past); !status.ok()) return status;

  LoadSummary summary;
  summary.attendance = true;
  for (const v1::Event& event : past) {
    absl::StatusOr<bool> entered = EnterAttendance(plan, event);
    if (!entered.ok()) return entered.status();
    if (!*entered) {
      summary.attendance = false;
      log_ << "attendance: the attendance service does not serve AttendanceService yet "
              "(UNIMPLEMENTED); past events have no check-ins, leave or outcomes\n";
      break;
    }
    ++summary.past_events;
  }
  if (summary.attendance) log_ << "attendance: " << summary.past_events << " past events\n";

  v1::UpdateOrganizationRequest finish;
  finish.mutable_organization()->set_name(plan.parent);
  finish.mutable_organization()->mutable_attendance_settings()->set_auto_finalize_disabled(false);
  finish.mutable_update_mask()->add_paths("attendance_settings.auto_finalize_disabled");
  finish.set_request_id(plan.RequestId("finish"));
  status = Call(*scheduling_, &v1::SchedulingService::Stub::UpdateOrganization, finish,
                &organization, "UpdateOrganization");
  if (!status.ok()) return status;
  return summary;
}

absl::Status DemoLoader::CreateEvents(const DemoPlan& plan, std::vector<v1::Event>* past) {
  int drafts = 0;
  int cancelled = 0;
  for (const PlannedEvent& planned : plan.events) {
    const std::string what = absl::StrCat("CreateEvent ", planned.create.event_id(), " (",
                                          planned.create.event().title(), ")");
    v1::CreateEventResponse created;
    absl::Status status = Call(*scheduling_, &v1::SchedulingService::Stub::CreateEvent,
                               planned.create, &created, what);
    v1::Event event = created.event();
    if (absl::IsAlreadyExists(status)) {
      v1::GetEventRequest get;
      get.set_name(absl::StrCat(plan.parent, "/events/", planned.create.event_id()));
      status = Call(*scheduling_, &v1::SchedulingService::Stub::GetEvent, get, &event,
                    absl::StrCat("GetEvent ", planned.create.event_id()));
    }
    if (!status.ok()) return status;
    if (event.state() == v1::EVENT_STATE_DRAFT) ++drafts;
    if (!planned.cancel_reason.empty()) {
      ++cancelled;
      if (event.state() == v1::EVENT_STATE_CANCELLED) continue;
      v1::CancelEventRequest cancel;
      cancel.set_name(event.name());
      cancel.set_reason(planned.cancel_reason);
      cancel.set_request_id(plan.RequestId(absl::StrCat("cancel/", planned.create.event_id())));
      status = Call(*scheduling_, &v1::SchedulingService::Stub::CancelEvent, cancel, &event,
                    absl::StrCat("CancelEvent ", planned.create.event_id()));
      if (!status.ok()) return status;
    }
    if (planned.past) past->push_back(std::move(event));
  }
  log_ << "events: " << plan.events.size() << " (" << past->size() << " past, " << drafts
       << " drafts, " << cancelled << " cancelled)\n";
  return absl::OkStatus();
}

absl::StatusOr<bool> DemoLoader::EnterAttendance(const DemoPlan& plan, const v1::Event& event) {
  const AttendancePlan attendance = PlanAttendance(plan, event);
  for (const av1::RequestLeaveRequest& leave : attendance.leaves) {
    av1::AttendanceRecord record;
    const absl::Status status = Call(*attendance_, &av1::AttendanceService::Stub::RequestLeave,
                                     leave, &record, absl::StrCat("RequestLeave ", leave.name()));
    if (absl::IsUnimplemented(status)) return false;
    // FAILED_PRECONDITION: approved or finalized by an earlier, interrupted load.
    if (!status.ok() && !absl::IsFailedPrecondition(status)) return status;
  }
  if (attendance.check_ins.rows_size() > 0) {
    av1::BatchCheckInResponse checked_in;
    const absl::Status status =
        Call(*attendance_, &av1::AttendanceService::Stub::BatchCheckIn, attendance.check_ins,
             &checked_in, absl::StrCat("BatchCheckIn ", event.name()));
    if (absl::IsUnimplemented(status)) return false;
    if (!status.ok()) return status;
    for (const av1::BatchCheckInResult& result : checked_in.results()) {
      if (result.status().code() == 0) continue;
      log_ << "attendance: " << result.name()
           << ": sign-in row refused: " << result.status().message() << "\n";
    }
  }
  av1::FinalizeEventResponse finalized;
  const absl::Status status =
      Call(*attendance_, &av1::AttendanceService::Stub::FinalizeEvent, attendance.finalize,
           &finalized, absl::StrCat("FinalizeEvent ", event.name()));
  if (absl::IsUnimplemented(status)) return false;
  if (!status.ok()) return status;
  return true;
}

absl::StatusOr<OrganizationCounts> DemoLoader::Count(const std::string& parent) {
  using Roster = v1::RosterService::Stub;
  using Scheduling = v1::SchedulingService::Stub;
  absl::StatusOr<int> members = TotalSize(*roster_, &Roster::ListMembers, parent, "ListMembers");
  if (!members.ok()) return members.status();
  absl::StatusOr<int> units = TotalSize(*roster_, &Roster::ListUnits, parent, "ListUnits");
  if (!units.ok()) return units.status();
  absl::StatusOr<int> venues = TotalSize(*roster_, &Roster::ListVenues, parent, "ListVenues");
  if (!venues.ok()) return venues.status();
  absl::StatusOr<int> events =
      TotalSize(*scheduling_, &Scheduling::ListEvents, parent, "ListEvents");
  if (!events.ok()) return events.status();
  return OrganizationCounts{*members, *units, *venues, *events};
}

}  // namespace fieldwork::demo
