// Reporting's reads of scheduling and attendance (see peer_reader.h).
#include "services/reporting/peer_reader.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/status_macros.h"

namespace fieldwork::reporting {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace sv1 = ::fieldwork::scheduling::v1;

constexpr int kEventPageSize = 500;
constexpr int kMemberPageSize = 1000;
constexpr int kRecordPageSize = 1000;
constexpr absl::Duration kRecordChunk = absl::Hours(24 * 31);
constexpr size_t kParallelReads = 4;

}  // namespace

PeerReader::PeerReader(std::shared_ptr<grpc::Channel> scheduling,
                       std::shared_ptr<grpc::Channel> attendance, PeerCallOptions options)
    : scheduling_(sv1::SchedulingService::NewStub(scheduling)),
      roster_(sv1::RosterService::NewStub(scheduling)),
      attendance_(av1::AttendanceService::NewStub(std::move(attendance))),
      options_(options) {}

void PeerReader::Prepare(grpc::ClientContext& context, const Call& call) const {
  PreparePeerContext(context, options_, call.caller, call.deadline);
}

absl::Status PeerReader::ReadOrganization(const Call& call, absl::string_view organization,
                                          ReportData& data) const {
  grpc::ClientContext context;
  Prepare(context, call);
  sv1::GetOrganizationRequest request;
  request.set_name(FormatOrganizationName(organization));
  if (absl::Status status = FromPeer(
          "scheduling", scheduling_->GetOrganization(&context, request, &data.organization));
      !status.ok()) {
    return status;
  }
  if (!absl::LoadTimeZone(data.organization.time_zone(), &data.zone)) {
    return absl::DataLossError(absl::StrCat("unknown time zone \"", data.organization.time_zone(),
                                            "\" of ", data.organization.name()));
  }
  return absl::OkStatus();
}

absl::StatusOr<sv1::Member> PeerReader::GetMember(const Call& call, absl::string_view name) const {
  grpc::ClientContext context;
  Prepare(context, call);
  sv1::GetMemberRequest request;
  request.set_name(std::string(name));
  sv1::Member member;
  if (absl::Status status = FromPeer("scheduling", roster_->GetMember(&context, request, &member));
      !status.ok()) {
    return status;
  }
  return member;
}

absl::StatusOr<sv1::Unit> PeerReader::GetUnit(const Call& call, absl::string_view name) const {
  grpc::ClientContext context;
  Prepare(context, call);
  sv1::GetUnitRequest request;
  request.set_name(std::string(name));
  sv1::Unit unit;
  if (absl::Status status = FromPeer("scheduling", roster_->GetUnit(&context, request, &unit));
      !status.ok()) {
    return status;
  }
  return unit;
}

absl::Status PeerReader::ReadMembers(const Call& call, absl::string_view organization,
                                     absl::string_view unit, ReportData& data) const {
  sv1::ListMembersRequest request;
  request.set_parent(FormatOrganizationName(organization));
  request.set_page_size(kMemberPageSize);
  request.set_unit(std::string(unit));
  do {
    grpc::ClientContext context;
    Prepare(context, call);
    sv1::ListMembersResponse page;
    if (absl::Status status =
            FromPeer("scheduling", roster_->ListMembers(&context, request, &page));
        !status.ok()) {
      return status;
    }
    for (sv1::Member& member : *page.mutable_members()) {
      std::string name = member.name();
      data.members.emplace(std::move(name), std::move(member));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

absl::StatusOr<sv1::Event> PeerReader::GetEvent(const Call& call, absl::string_view name) const {
  grpc::ClientContext context;
  Prepare(context, call);
  sv1::GetEventRequest request;
  request.set_name(std::string(name));
  sv1::Event event;
  if (absl::Status status =
          FromPeer("scheduling", scheduling_->GetEvent(&context, request, &event));
      !status.ok()) {
    return status;
  }
  return event;
}

absl::Status PeerReader::ListRecords(const Call& call, av1::ListAttendanceRequest request,
                                     RecordsByEvent& records) const {
  request.set_page_size(kRecordPageSize);
  do {
    grpc::ClientContext context;
    Prepare(context, call);
    av1::ListAttendanceResponse page;
    if (absl::Status status =
            FromPeer("attendance", attendance_->ListAttendance(&context, request, &page));
        !status.ok()) {
      return status;
    }
    for (av1::AttendanceRecord& record : *page.mutable_records()) {
      std::string member = record.member();
      records[record.event()].emplace(std::move(member), std::move(record));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

absl::Status PeerReader::ListEvents(const Call& call, absl::string_view organization,
                                    const Interval& window, absl::string_view member,
                                    ReportData& data) const {
  sv1::ListEventsRequest events;
  events.set_parent(FormatOrganizationName(organization));
  events.set_page_size(kEventPageSize);
  *events.mutable_time_range() = ToTimeRange(window);
  events.set_member(std::string(member));
  // Reports need no participant lists (attendance's records name who was invited): leaving them
  // out shrinks a year of events several times over.
  for (const char* field : {"name", "kind", "title", "topics", "state", "time_range"}) {
    events.mutable_read_mask()->add_paths(field);
  }
  do {
    grpc::ClientContext context;
    Prepare(context, call);
    sv1::ListEventsResponse page;
    if (absl::Status status =
            FromPeer("scheduling", scheduling_->ListEvents(&context, events, &page));
        !status.ok()) {
      return status;
    }
    for (sv1::Event& event : *page.mutable_events()) data.events.push_back(std::move(event));
    events.set_page_token(page.next_page_token());
  } while (!events.page_token().empty());
  return absl::OkStatus();
}

absl::Status PeerReader::ReadEventsAndRecords(const Call& call, absl::string_view organization,
                                              const Interval& window, absl::string_view member,
                                              ReportData& data) const {
  // Everyone's records are read a month at a time: attendance lists the events of the asked range
  // on every page, so short ranges keep each page cheap. (One member's records fit a page or two,
  // read in one range.) Up to kParallelReads months are read at once, beside the events, since
  // each read mostly waits on attendance and scheduling. An event overlapping two months is read
  // twice; the second copy of a record is ignored.
  const absl::Duration length = member.empty() ? kRecordChunk : window.end - window.start;
  std::vector<av1::ListAttendanceRequest> chunks;
  for (absl::Time start = window.start; start < window.end; start += length) {
    av1::ListAttendanceRequest& records = chunks.emplace_back();
    records.set_parent(absl::StrCat(FormatOrganizationName(organization), "/events/-"));
    records.set_member(std::string(member));
    *records.mutable_time_range() = ToTimeRange({start, std::min(window.end, start + length)});
  }
  const size_t readers = std::min(chunks.size(), kParallelReads);
  std::vector<RecordsByEvent> found(readers);
  std::vector<absl::Status> read(readers);
  std::vector<std::thread> threads;
  for (size_t r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      for (size_t c = r; c < chunks.size() && read[r].ok(); c += readers) {
        read[r] = ListRecords(call, std::move(chunks[c]), found[r]);
      }
    });
  }
  absl::Status listed = ListEvents(call, organization, window, member, data);
  for (std::thread& thread : threads) thread.join();
  FIELDWORK_RETURN_IF_ERROR(listed);
  for (size_t r = 0; r < readers; ++r) {
    FIELDWORK_RETURN_IF_ERROR(read[r]);
    for (auto& [event, records] : found[r]) {
      EventRecords& into = data.records[event];
      for (auto& [name, record] : records) into.emplace(name, std::move(record));
    }
  }
  return absl::OkStatus();
}

absl::Status PeerReader::ReadEventRecords(const Call& call, absl::string_view event,
                                          ReportData& data) const {
  av1::ListAttendanceRequest request;
  request.set_parent(std::string(event));
  return ListRecords(call, std::move(request), data.records);
}

}  // namespace fieldwork::reporting
