// AttendanceService reads: one record (GetAttendance), and the records of one event or of every
// event in a time range (ListAttendance), with filters and pagination.
#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/page_token.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/attendance/attendance_service.h"

namespace fieldwork::attendance {
namespace {

constexpr int32_t kDefaultPageSize = 100;
constexpr int32_t kMaxPageSize = 1000;
constexpr absl::Duration kMaxListRange = absl::Hours(24 * (5 * 365 + 2));
constexpr absl::string_view kAllEvents = "/events/-";

// What ListAttendance lists: one event, or every event of an organization in a range.
struct ListScope {
  std::string organization;
  std::string event_id;   // empty for every event
  std::string member_id;  // empty for every member
  Interval window;
};

bool Matches(const v1::ListAttendanceRequest& request, const v1::AttendanceRecord& record) {
  const auto& outcomes = request.outcomes();
  if (!outcomes.empty() &&
      std::find(outcomes.begin(), outcomes.end(), record.outcome()) == outcomes.end()) {
    return false;
  }
  const auto& states = request.leave_states();
  if (!states.empty() &&
      std::find(states.begin(), states.end(), record.leave().state()) == states.end()) {
    return false;
  }
  return true;
}

absl::StatusOr<ListScope> ParseScope(const v1::ListAttendanceRequest& request) {
  ListScope scope;
  FieldErrors errors;
  const absl::string_view parent = request.parent();
  if (absl::EndsWith(parent, kAllEvents)) {
    absl::StatusOr<std::string> organization =
        ParseOrganizationName(parent.substr(0, parent.size() - kAllEvents.size()));
    if (organization.ok()) {
      scope.organization = *organization;
    } else {
      errors.Add("parent", "must be organizations/{organization}/events/{event} or …/events/-");
    }
    std::optional<Interval> window =
        CheckTimeRange("time_range", request.time_range(), request.has_time_range(),
                       absl::Seconds(1), kMaxListRange, errors);
    if (window.has_value()) scope.window = *window;
  } else {
    absl::StatusOr<ChildName> event = ParseEventName(parent);
    if (event.ok()) {
      scope.organization = event->organization;
      scope.event_id = event->id;
    } else {
      errors.Add("parent", "must be organizations/{organization}/events/{event} or …/events/-");
    }
  }
  if (!request.member().empty()) {
    absl::StatusOr<ChildName> member = ParseMemberName(request.member());
    if (!member.ok()) {
      errors.Add("member", member.status().message());
    } else if (!scope.organization.empty() && member->organization != scope.organization) {
      errors.Add("member", "must be a member of the parent's organization");
    } else {
      scope.member_id = member->id;
    }
  }
  for (int i = 0; i < request.outcomes_size(); ++i) {
    if (!common::v1::AttendanceOutcome_IsValid(request.outcomes(i))) {
      errors.Add(absl::StrCat("outcomes[", i, "]"), "not an ATTENDANCE_OUTCOME_ value");
    }
  }
  for (int i = 0; i < request.leave_states_size(); ++i) {
    if (!v1::LeaveState_IsValid(request.leave_states(i)) ||
        request.leave_states(i) == v1::LEAVE_STATE_UNSPECIFIED) {
      errors.Add(absl::StrCat("leave_states[", i, "]"), "not a LEAVE_STATE_ value");
    }
  }
  CheckPageSize(request.page_size(), kDefaultPageSize, kMaxPageSize, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  return scope;
}

// The members of `event` a list covers: all participants, or the one asked for if it takes part.
std::vector<std::string> ListedMembers(const EventFacts& event, const std::string& member_id) {
  if (member_id.empty()) return event.members;
  if (event.roles.contains(member_id)) return {member_id};
  return {};
}

// Positions in a list across events: "<start unix seconds>,<event id>,<member id>".
struct Position {
  int64_t start = 0;
  std::string event_id;
  std::string member_id;

  bool operator<(const Position& other) const {
    return std::tie(start, event_id, member_id) <
           std::tie(other.start, other.event_id, other.member_id);
  }
};

std::string FormatPosition(const Position& position) {
  return absl::StrCat(position.start, ",", position.event_id, ",", position.member_id);
}

absl::StatusOr<std::optional<Position>> ParsePosition(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(text, ',');
  Position position;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &position.start)) {
    return InvalidField("page_token", "malformed");
  }
  position.event_id = parts[1];
  position.member_id = parts[2];
  return position;
}

}  // namespace

grpc::Status AttendanceServiceImpl::GetAttendance(grpc::ServerContextBase* context,
                                                  const v1::GetAttendanceRequest* request,
                                                  v1::AttendanceRecord* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const RecordCall call,
                               BeginRecordCall(context, request->name(),
                                               [](const Principal&) { return absl::OkStatus(); }));
    if (!call.event->roles.contains(call.name.member)) {
      return absl::NotFoundError(absl::StrCat(
          request->name(), " not found: ", "the member is not a participant of the event"));
    }
    FIELDWORK_ASSIGN_OR_RETURN(RecordSnapshot snapshot,
                               updater_.Read(*call.event, {call.name.member}, call.deadline));
    *response = std::move(snapshot.records[0]);
    return absl::OkStatus();
  };
  return Finish(run());
}

grpc::Status AttendanceServiceImpl::ListAttendance(grpc::ServerContextBase* context,
                                                   const v1::ListAttendanceRequest* request,
                                                   v1::ListAttendanceResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps_.authorizer->Authenticate(context));
    FIELDWORK_ASSIGN_OR_RETURN(const ListScope scope, ParseScope(*request));
    FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authorize(
        context, caller,
        caller.role == Role::kMember ? AccessTarget::Member(scope.organization, request->member())
                                     : AccessTarget::Organization(scope.organization)));
    const int32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    const std::string digest = FilterDigest(*request);
    FIELDWORK_ASSIGN_OR_RETURN(const std::string after,
                               DecodePageToken(request->page_token(), digest));
    FIELDWORK_ASSIGN_OR_RETURN(const std::optional<Position> resume, ParsePosition(after));
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);

    std::vector<EventFacts> events;
    if (!scope.event_id.empty()) {
      FIELDWORK_ASSIGN_OR_RETURN(
          const std::shared_ptr<const EventFacts> event,
          deps_.scheduling->GetEventFacts(
              caller, FormatEventName(scope.organization, scope.event_id), deadline));
      events.push_back(*event);
    } else {
      // A later page needs only the events starting at or after where the last one ended; the
      // ones overlapping that instant but starting earlier are skipped below.
      Interval window = scope.window;
      if (resume.has_value()) {
        window.start = std::max(window.start, absl::FromUnixSeconds(resume->start));
      }
      FIELDWORK_ASSIGN_OR_RETURN(
          events, deps_.scheduling->ListEventFacts(caller, scope.organization, window,
                                                   request->member(), deadline));
    }
    // Walk events in list order, skipping what the token already returned, until one record past
    // a full page proves there is more. Records are read a batch of events at a time (one Redis
    // round trip each), a batch holding about as many records as the page still needs.
    std::vector<const EventFacts*> pending;
    for (const EventFacts& event : events) {
      const int64_t start = absl::ToUnixSeconds(event.time.start);
      if (resume.has_value() && start < resume->start) continue;
      if (resume.has_value() && start == resume->start && event.event_id < resume->event_id) {
        continue;
      }
      pending.push_back(&event);
    }
    int32_t total = 0;
    bool more = false;
    for (size_t next = 0; next < pending.size() && !(more && scope.event_id.empty());) {
      std::vector<EventRead> batch;
      size_t batch_records = 0;
      const size_t wanted = page_size - response->records_size() + 1;
      while (next < pending.size() && (batch.empty() || batch_records < wanted)) {
        batch.push_back({pending[next], ListedMembers(*pending[next], scope.member_id)});
        batch_records += batch.back().members.size();
        ++next;
      }
      FIELDWORK_ASSIGN_OR_RETURN(std::vector<RecordSnapshot> snapshots,
                                 updater_.ReadEvents(batch, deadline));
      for (size_t b = 0; b < batch.size() && !(more && scope.event_id.empty()); ++b) {
        const int64_t start = absl::ToUnixSeconds(batch[b].event->time.start);
        RecordSnapshot& snapshot = snapshots[b];
        for (size_t i = 0; i < snapshot.records.size(); ++i) {
          if (!Matches(*request, snapshot.records[i])) continue;
          ++total;
          const Position position{start, batch[b].event->event_id, snapshot.members[i]};
          if (resume.has_value() && !(*resume < position)) continue;
          if (response->records_size() == page_size) {
            more = true;
            continue;
          }
          *response->add_records() = std::move(snapshot.records[i]);
          if (response->records_size() == page_size) {
            response->set_next_page_token(EncodePageToken(digest, FormatPosition(position)));
          }
        }
      }
    }
    if (!more) response->clear_next_page_token();
    if (!scope.event_id.empty()) response->set_total_size(total);
    return absl::OkStatus();
  };
  return Finish(run());
}

}  // namespace fieldwork::attendance
