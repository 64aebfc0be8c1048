// The fault suite's checker (see checker.h).
#include "tests/fault/checker.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "tests/fault/booking_load.h"
#include "tests/fault/retrying_call.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;

constexpr absl::Duration kTravelBuffer = absl::Minutes(30);  // the organization's default
constexpr char kKeyPrefix[] = "fw:{tongguan}:";
constexpr size_t kMaxViolationsShown = 30;

absl::Time StartOf(const sv1::Event& event) {
  return absl::FromUnixSeconds(event.time_range().start_time().seconds());
}
absl::Time EndOf(const sv1::Event& event) {
  return absl::FromUnixSeconds(event.time_range().end_time().seconds());
}

// The last segment of a resource name: "organizations/x/members/m3" → "m3".
std::string IdOf(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::set<std::string> RequiredMembers(const sv1::Event& event) {
  std::set<std::string> members;
  for (const sv1::Participant& participant : event.resolved_participants()) {
    if (participant.role() != sv1::PARTICIPANT_ROLE_OPTIONAL) members.insert(participant.member());
  }
  return members;
}

// Lines of a harness Redis reply (arrays come back joined by '\n'); none for "".
std::vector<std::string> Lines(const std::string& reply) {
  if (reply.empty()) return {};
  return absl::StrSplit(reply, '\n');
}

RetryPolicy CheckerRetryPolicy() {
  RetryPolicy policy;
  policy.attempt_timeout = absl::Seconds(20);
  return policy;
}

}  // namespace

std::string Verdict::ToString() const {
  std::vector<std::string> counts;
  for (const auto& [what, count] : checked) counts.push_back(absl::StrCat(what, "=", count));
  const std::string checked_text = absl::StrJoin(counts, " ");
  if (ok()) return absl::StrCat("PASS (", checked_text, ")");
  std::vector<std::string> shown(
      violations.begin(), violations.begin() + std::min(violations.size(), kMaxViolationsShown));
  return absl::StrCat("FAIL: ", violations.size(), " violation(s) (", checked_text, "):\n  ",
                      absl::StrJoin(shown, "\n  "));
}

Checker::Checker(FaultCluster& cluster, const History& history, CheckOptions options)
    : cluster_(cluster), operations_(history.operations()), options_(options) {}

Verdict Checker::Check() {
  Verdict verdict;
  const std::vector<sv1::Event> events = ListEvents(verdict);
  CheckNoDoubleBooking(events, verdict);
  CheckBookingsPresent(events, verdict);
  CheckNoLingeringLocks(verdict);
  CheckCalendars(events, verdict);
  CheckAttendance(verdict);
  if (options_.replay) ReplayBookings(verdict);
  return verdict;
}

std::vector<sv1::Event> Checker::ListEvents(Verdict& verdict) {
  std::vector<std::unique_ptr<sv1::SchedulingService::Stub>> stubs;
  for (int i = 0; i < cluster_.scheduling_replicas(); ++i) {
    stubs.push_back(cluster_.SchedulingStub(i));
  }
  sv1::ListEventsRequest request;
  request.set_parent(kFaultParent);
  request.set_page_size(500);
  std::vector<sv1::Event> events;
  for (int page = 0; page < 1000; ++page) {
    sv1::ListEventsResponse response;
    Operation read;
    const grpc::Status status = CallWithRetry(
        CheckerRetryPolicy(), static_cast<int>(stubs.size()), page, kStaffA,
        [&](int replica, grpc::ClientContext* context) {
          response.Clear();
          return stubs[replica]->ListEvents(context, request, &response);
        },
        read);
    if (!status.ok()) {
      verdict.violations.push_back(absl::StrCat("ListEvents failed: ", Describe(status)));
      return events;
    }
    events.insert(events.end(), response.events().begin(), response.events().end());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  verdict.checked["events"] = static_cast<int>(events.size());
  return events;
}

void Checker::CheckNoDoubleBooking(const std::vector<sv1::Event>& events, Verdict& verdict) {
  std::vector<const sv1::Event*> scheduled;
  for (const sv1::Event& event : events) {
    if (event.state() == sv1::EVENT_STATE_SCHEDULED) scheduled.push_back(&event);
  }
  for (size_t i = 0; i < scheduled.size(); ++i) {
    const sv1::Event& a = *scheduled[i];
    const std::set<std::string> a_members = RequiredMembers(a);
    for (size_t j = i + 1; j < scheduled.size(); ++j) {
      const sv1::Event& b = *scheduled[j];
      const bool within_buffer =
          StartOf(a) < EndOf(b) + kTravelBuffer && StartOf(b) < EndOf(a) + kTravelBuffer;
      const bool overlapping = StartOf(a) < EndOf(b) && StartOf(b) < EndOf(a);
      if (within_buffer) {
        for (const std::string& member : RequiredMembers(b)) {
          if (a_members.count(member) > 0) {
            verdict.violations.push_back(absl::StrCat("double booking: ", member, " required by ",
                                                      a.name(), " and ", b.name()));
          }
        }
      }
      if (overlapping && !a.venue().empty() && a.venue() == b.venue()) {
        verdict.violations.push_back(
            absl::StrCat("double booking: ", a.venue(), " used by ", a.name(), " and ", b.name()));
      }
    }
  }
  verdict.checked["scheduled_pairs"] +=
      static_cast<int>(scheduled.size() * (scheduled.size() - (scheduled.empty() ? 0 : 1)) / 2);
}

void Checker::CheckBookingsPresent(const std::vector<sv1::Event>& events, Verdict& verdict) {
  std::map<std::string, std::vector<const sv1::Event*>> by_title;
  std::map<std::string, const sv1::Event*> by_name;
  for (const sv1::Event& event : events) {
    by_title[event.title()].push_back(&event);
    by_name[event.name()] = &event;
  }
  // Events whose cancellation may have happened (acknowledged or ambiguous).
  std::set<std::string> maybe_cancelled;
  for (const Operation& operation : operations_) {
    if (operation.kind != OperationKind::kCancelEvent) continue;
    if (operation.acknowledged() || operation.ambiguous()) maybe_cancelled.insert(operation.target);
    if (!operation.acknowledged()) continue;
    ++verdict.checked["acknowledged_cancellations"];
    auto it = by_name.find(operation.target);
    if (it == by_name.end() || it->second->state() != sv1::EVENT_STATE_CANCELLED) {
      verdict.violations.push_back(absl::StrCat("acknowledged CancelEvent ", operation.request_id,
                                                " of ", operation.target, " is not CANCELLED"));
    }
  }
  for (const Operation& operation : operations_) {
    if (operation.kind != OperationKind::kCreateEvent) continue;
    const std::vector<const sv1::Event*>& made = by_title[TitleOf(operation.request_id)];
    if (operation.acknowledged()) {
      ++verdict.checked["acknowledged_bookings"];
      if (made.size() != 1 || made[0]->name() != operation.result) {
        verdict.violations.push_back(
            absl::StrCat("acknowledged CreateEvent ", operation.request_id, " answered ",
                         operation.result, " but ", made.size(), " event(s) carry its title",
                         made.empty() ? "" : absl::StrCat(", first ", made[0]->name())));
      } else if (made[0]->state() != sv1::EVENT_STATE_SCHEDULED &&
                 maybe_cancelled.count(operation.result) == 0) {
        std::vector<std::string> cancels;
        for (const Operation& cancel : operations_) {
          if (cancel.target == operation.result) cancels.push_back(Describe(cancel));
        }
        verdict.violations.push_back(absl::StrCat(
            "acknowledged booking ", operation.result, " is in state ",
            sv1::EventState_Name(made[0]->state()),
            " though no cancellation of it succeeded: ", absl::StrJoin(cancels, "; ")));
      }
    } else if (!made.empty() &&
               std::find(operation.conflicts_with.begin(), operation.conflicts_with.end(),
                         made[0]->name()) != operation.conflicts_with.end()) {
      // Its own booking is committed, with the answer recorded in the same atomic write: a retry
      // that sees the booking must replay that answer, not report a conflict with itself.
      verdict.violations.push_back(absl::StrCat(
          "CreateEvent ", operation.request_id, " answered a conflict with its own ", "booking ",
          made[0]->name(), " instead of the first answer: ", Describe(operation)));
    } else if (operation.ambiguous()) {
      ++verdict.checked["ambiguous_bookings"];
      if (made.size() > 1) {
        verdict.violations.push_back(absl::StrCat("CreateEvent ", operation.request_id, " (",
                                                  CodeName(operation.code), ") made ", made.size(),
                                                  " events"));
      }
    } else {
      ++verdict.checked["refused_bookings"];
      if (!made.empty()) {
        verdict.violations.push_back(absl::StrCat(
            "refused CreateEvent ", operation.request_id, " (", CodeName(operation.code), ": ",
            operation.message, ") left event ", made[0]->name()));
      }
    }
  }
}

void Checker::CheckCalendars(const std::vector<sv1::Event>& events, Verdict& verdict) {
  // What the calendars must hold: one entry per resolved participant and per (exclusive) venue
  // of every SCHEDULED event, "start|end|required|-|event".
  std::map<std::string, std::set<std::string>> expected;
  for (const sv1::Event& event : events) {
    if (event.state() != sv1::EVENT_STATE_SCHEDULED) continue;
    const std::string times = absl::StrCat(absl::ToUnixSeconds(StartOf(event)), "|",
                                           absl::ToUnixSeconds(EndOf(event)), "|");
    for (const sv1::Participant& participant : event.resolved_participants()) {
      const bool required = participant.role() != sv1::PARTICIPANT_ROLE_OPTIONAL;
      expected[absl::StrCat(kKeyPrefix, "cal:member:", IdOf(participant.member()))].insert(
          absl::StrCat(times, required ? "1" : "0", "|-|", event.name()));
    }
    if (!event.venue().empty()) {
      expected[absl::StrCat(kKeyPrefix, "cal:venue:", IdOf(event.venue()))].insert(
          absl::StrCat(times, "1|-|", event.name()));
    }
  }
  absl::StatusOr<std::string> keys =
      cluster_.redis().Command({"KEYS", absl::StrCat(kKeyPrefix, "cal:*")});
  if (!keys.ok()) {
    verdict.violations.push_back(absl::StrCat("KEYS cal:*: ", keys.status().ToString()));
    return;
  }
  std::map<std::string, std::set<std::string>> stored;
  for (const std::string& key : Lines(*keys)) {
    absl::StatusOr<std::string> entries = cluster_.redis().Command({"ZRANGE", key, "0", "-1"});
    if (!entries.ok()) {
      verdict.violations.push_back(absl::StrCat("ZRANGE ", key, ": ", entries.status().ToString()));
      continue;
    }
    for (const std::string& entry : Lines(*entries)) stored[key].insert(entry);
  }
  int entries = 0;
  for (const auto& [key, values] : stored) {
    for (const std::string& value : values) {
      ++entries;
      if (expected[key].count(value) == 0) {
        verdict.violations.push_back(
            absl::StrCat("orphan calendar entry (no SCHEDULED event books it): ", key, " ", value));
      }
    }
  }
  for (const auto& [key, values] : expected) {
    for (const std::string& value : values) {
      if (stored[key].count(value) == 0) {
        verdict.violations.push_back(
            absl::StrCat("calendar entry missing for a SCHEDULED event: ", key, " ", value));
      }
    }
  }
  verdict.checked["calendar_entries"] = entries;
}

void Checker::CheckNoLingeringLocks(Verdict& verdict) {
  std::string left;
  const absl::Status gone = WaitFor(
      [&] {
        absl::StatusOr<std::string> locks =
            cluster_.redis().Command({"KEYS", absl::StrCat(kKeyPrefix, "lock:*")});
        left = locks.ok() ? *locks : locks.status().ToString();
        return locks.ok() && locks->empty();
      },
      options_.lock_ttl * 3 + absl::Seconds(2), "calendar locks to be released or expire");
  if (!gone.ok()) {
    verdict.violations.push_back(absl::StrCat("calendar locks outlive their TTL: ", left));
  }
}

void Checker::ReplayBookings(Verdict& verdict) {
  std::vector<std::unique_ptr<sv1::SchedulingService::Stub>> stubs;
  for (int i = 0; i < cluster_.scheduling_replicas(); ++i) {
    stubs.push_back(cluster_.SchedulingStub(i));
  }
  const int replicas = static_cast<int>(stubs.size());
  Verdict before_verdict;
  const std::vector<sv1::Event> before = ListEvents(before_verdict);
  std::map<std::string, std::string> name_by_title;
  for (const sv1::Event& event : before) name_by_title[event.title()] = event.name();
  size_t created_by_replay = 0;
  int replayed = 0;
  for (const Operation& operation : operations_) {
    if (!operation.acknowledged() && !operation.ambiguous()) continue;
    Operation replay;
    grpc::Status status;
    if (operation.kind == OperationKind::kCreateEvent) {
      sv1::CreateEventRequest request;
      request.ParseFromString(operation.request);
      sv1::CreateEventResponse response;
      status = CallWithRetry(
          CheckerRetryPolicy(), replicas, replayed, kStaffA,
          [&](int replica, grpc::ClientContext* context) {
            response.Clear();
            return stubs[replica]->CreateEvent(context, request, &response);
          },
          replay);
      auto existing = name_by_title.find(request.event().title());
      if (existing != name_by_title.end() &&
          (!status.ok() || response.event().name() != existing->second)) {
        verdict.violations.push_back(absl::StrCat(
            "replayed CreateEvent ", operation.request_id, " answered ", Describe(status), " ",
            response.event().name(), " instead of the first answer ", existing->second));
      }
      if (existing == name_by_title.end() && status.ok()) ++created_by_replay;
    } else if (operation.kind == OperationKind::kCancelEvent) {
      sv1::CancelEventRequest request;
      request.ParseFromString(operation.request);
      sv1::Event response;
      status = CallWithRetry(
          CheckerRetryPolicy(), replicas, replayed, kStaffA,
          [&](int replica, grpc::ClientContext* context) {
            return stubs[replica]->CancelEvent(context, request, &response);
          },
          replay);
      if (operation.acknowledged() && !status.ok()) {
        verdict.violations.push_back(absl::StrCat("replayed acknowledged CancelEvent ",
                                                  operation.request_id, " answered ",
                                                  Describe(status)));
      }
    } else {
      continue;
    }
    ++replayed;
  }
  verdict.checked["bookings_replayed"] = replayed;
  const std::vector<sv1::Event> after = ListEvents(before_verdict);
  verdict.violations.insert(verdict.violations.end(), before_verdict.violations.begin(),
                            before_verdict.violations.end());
  if (after.size() != before.size() + created_by_replay) {
    verdict.violations.push_back(
        absl::StrCat("replaying requests with their request_id changed the number of events from ",
                     before.size(), " to ", after.size(), " (", created_by_replay,
                     " new from requests that had never taken effect)"));
  }
  std::map<std::string, int> per_title;
  for (const sv1::Event& event : after) {
    if (absl::StartsWith(event.title(), "fault ") && ++per_title[event.title()] == 2) {
      verdict.violations.push_back(
          absl::StrCat("after replay two events carry the title \"", event.title(), "\""));
    }
  }
  CheckNoDoubleBooking(after, verdict);
}

void Checker::CheckAttendance(Verdict& verdict) {
  std::vector<const Operation*> attendance_operations;
  for (const Operation& operation : operations_) {
    if (operation.kind == OperationKind::kCheckIn ||
        operation.kind == OperationKind::kRequestLeave ||
        operation.kind == OperationKind::kDecideLeave) {
      attendance_operations.push_back(&operation);
    }
  }
  if (attendance_operations.empty()) return;
  const std::unique_ptr<av1::AttendanceService::Stub> stub = cluster_.AttendanceStub();
  auto read_all = [&]() {
    std::map<std::string, av1::AttendanceRecord> records;
    for (const Operation* operation : attendance_operations) {
      if (records.count(operation->target) > 0) continue;
      av1::GetAttendanceRequest request;
      request.set_name(operation->target);
      av1::AttendanceRecord record;
      Operation read;
      const grpc::Status status = CallWithRetry(
          CheckerRetryPolicy(), 1, 0, kStaffA,
          [&](int, grpc::ClientContext* context) {
            record.Clear();
            return stub->GetAttendance(context, request, &record);
          },
          read);
      if (!status.ok()) {
        verdict.violations.push_back(
            absl::StrCat("GetAttendance ", operation->target, ": ", Describe(status)));
      }
      records[operation->target] = record;
    }
    return records;
  };
  // Whether `operation`'s effect is in `record`.
  auto has_effect = [](const Operation& operation, const av1::AttendanceRecord& record) {
    switch (operation.kind) {
      case OperationKind::kCheckIn: {
        av1::CheckInRequest request;
        request.ParseFromString(operation.request);
        return record.has_check_in() &&
               record.check_in().time().seconds() == request.check_in_time().seconds();
      }
      case OperationKind::kRequestLeave: {
        av1::RequestLeaveRequest request;
        request.ParseFromString(operation.request);
        return record.has_leave() && record.leave().reason() == request.reason();
      }
      default:
        return record.has_leave() && record.leave().state() == av1::LEAVE_STATE_APPROVED;
    }
  };
  const std::map<std::string, av1::AttendanceRecord> before = read_all();
  for (const Operation* operation : attendance_operations) {
    const av1::AttendanceRecord& record = before.at(operation->target);
    const std::string what = absl::StrCat(KindName(operation->kind), " ", operation->request_id,
                                          " of ", operation->target);
    if (operation->acknowledged()) {
      ++verdict.checked["acknowledged_attendance_changes"];
      if (!has_effect(*operation, record)) {
        verdict.violations.push_back(absl::StrCat(
            "acknowledged ", what, " is not in the record: ", record.ShortDebugString()));
      }
    } else if (!operation->ambiguous()) {
      ++verdict.checked["refused_attendance_changes"];
      if (has_effect(*operation, record)) {
        verdict.violations.push_back(absl::StrCat("refused ", what, " (", CodeName(operation->code),
                                                  ": ", operation->message,
                                                  ") took effect anyway"));
      }
    }
  }
  if (!options_.replay) return;
  // Replay every acknowledged or ambiguous change with its request_id: the acknowledged ones
  // answer OK and change nothing.
  std::set<std::string> changed_by_replay;
  for (const Operation* operation : attendance_operations) {
    if (!operation->acknowledged() && !operation->ambiguous()) continue;
    Operation replay;
    const grpc::Status status = CallWithRetry(
        CheckerRetryPolicy(), 1, 0, kStaffA,
        [&](int, grpc::ClientContext* context) {
          switch (operation->kind) {
            case OperationKind::kCheckIn: {
              av1::CheckInRequest request;
              request.ParseFromString(operation->request);
              av1::CheckInResponse response;
              return stub->CheckIn(context, request, &response);
            }
            case OperationKind::kRequestLeave: {
              av1::RequestLeaveRequest request;
              request.ParseFromString(operation->request);
              av1::AttendanceRecord response;
              return stub->RequestLeave(context, request, &response);
            }
            default: {
              av1::DecideLeaveRequest request;
              request.ParseFromString(operation->request);
              av1::AttendanceRecord response;
              return stub->DecideLeave(context, request, &response);
            }
          }
        },
        replay);
    ++verdict.checked["attendance_replayed"];
    if (operation->acknowledged() && !status.ok()) {
      verdict.violations.push_back(absl::StrCat("replayed acknowledged ", KindName(operation->kind),
                                                " ", operation->request_id, " answered ",
                                                Describe(status)));
    }
    if (operation->ambiguous()) changed_by_replay.insert(operation->target);
  }
  const std::map<std::string, av1::AttendanceRecord> after = read_all();
  for (const auto& [name, record] : after) {
    if (changed_by_replay.count(name) > 0) continue;
    if (record.update_time().SerializeAsString() !=
        before.at(name).update_time().SerializeAsString()) {
      verdict.violations.push_back(absl::StrCat("replaying acknowledged requests changed ", name,
                                                ": ", before.at(name).ShortDebugString(), " → ",
                                                record.ShortDebugString()));
    }
  }
}

}  // namespace fieldwork::testing
