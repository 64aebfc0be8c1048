// Attendance (AttendanceService): get/list attendance, check-in and check-out by staff, the
// rotating check-in code, finalize, leave requests and outcome corrections.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/resource_tables.h"
#include "tools/fieldctl/rpc_client.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
using Attendance = av1::AttendanceService;

// The event and members a command names: `EVENT [MEMBER…]`.
struct Target {
  std::string event;
  std::vector<std::string> members;
};

absl::StatusOr<std::string> EventName(Session& session, const std::string& event) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  return ResourceNameArg(ResourceKind::kEvent, *organization, event);
}

// The attendance record names of `target`, one per member.
absl::StatusOr<std::vector<std::string>> RecordNames(Session& session, const Target& target) {
  absl::StatusOr<std::string> event = EventName(session, target.event);
  if (!event.ok()) return event.status();
  std::vector<std::string> names;
  for (const std::string& member : target.members) {
    absl::StatusOr<std::string> name =
        ResourceNameArg(ResourceKind::kMember, *session.Organization(), member);
    if (!name.ok()) return name.status();
    names.push_back(absl::StrCat(*event, "/attendance/", IdOf(*name)));
  }
  return names;
}

absl::Status PrintRecords(Session& session, const google::protobuf::Message& message,
                          const Items<av1::AttendanceRecord>& records) {
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  session.Print(message, AttendanceTable(records, *zone));
  return absl::OkStatus();
}

// Prints one record as itself, several as a list.
absl::Status PrintDone(Session& session, const av1::ListAttendanceResponse& done) {
  if (done.records_size() == 1) return PrintRecords(session, done.records(0), done.records());
  return PrintRecords(session, done, done.records());
}

// Runs `call` for each member's record and prints the records it answered. When a call fails the
// records of the members before it were written: they are printed before the error is returned.
absl::Status ForEachRecord(
    Session& session, const Target& target,
    const std::function<absl::Status(RpcClient<Attendance>&, const std::string& name,
                                     av1::AttendanceRecord* record)>& call) {
  absl::StatusOr<std::vector<std::string>> names = RecordNames(session, target);
  if (!names.ok()) return names.status();
  RpcClient<Attendance> client(session, session.attendance());
  av1::ListAttendanceResponse done;
  for (const std::string& name : *names) {
    if (absl::Status status = call(client, name, done.add_records()); !status.ok()) {
      done.mutable_records()->RemoveLast();
      if (done.records_size() > 0) PrintDone(session, done).IgnoreError();
      return status;
    }
  }
  return PrintDone(session, done);
}

// What the record alone does not say, on standard error: "note: m1 checked in late".
void Note(const std::string& record_name, absl::string_view what) {
  std::cerr << "note: " << IdOf(record_name) << " " << what << "\n";
}

struct PresenceOptions {
  Target target;
  std::string time;  // "" → now
};

// The --at time of a check-in or check-out; nothing for now.
absl::StatusOr<std::optional<google::protobuf::Timestamp>> PresenceTime(
    Session& session, const PresenceOptions& options) {
  if (options.time.empty()) return std::nullopt;
  absl::StatusOr<absl::Time> time = session.ParseTime(options.time);
  if (!time.ok()) return time.status();
  return ToProtoTime(*time);
}

absl::Status CheckIn(Session& session, const PresenceOptions& options) {
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> parsed =
      PresenceTime(session, options);
  if (!parsed.ok()) return parsed.status();
  const std::optional<google::protobuf::Timestamp> at = *parsed;
  return ForEachRecord(
      session, options.target,
      [&at](RpcClient<Attendance>& client, const std::string& name, av1::AttendanceRecord* record) {
        av1::CheckInRequest request;
        request.set_name(name);
        if (at.has_value()) *request.mutable_check_in_time() = *at;
        av1::CheckInResponse response;
        absl::Status status = client.Call(&Attendance::Stub::CheckIn, request, &response);
        if (!status.ok()) return status;
        if (response.already_checked_in()) {
          Note(name, "was already checked in; the first check-in stands");
        } else if (response.late()) {
          Note(name, "checked in late");
        }
        *record = response.record();
        return status;
      });
}

absl::Status CheckOut(Session& session, const PresenceOptions& options) {
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> parsed =
      PresenceTime(session, options);
  if (!parsed.ok()) return parsed.status();
  const std::optional<google::protobuf::Timestamp> at = *parsed;
  return ForEachRecord(
      session, options.target,
      [&at](RpcClient<Attendance>& client, const std::string& name, av1::AttendanceRecord* record) {
        av1::CheckOutRequest request;
        request.set_name(name);
        if (at.has_value()) *request.mutable_check_out_time() = *at;
        av1::CheckOutResponse response;
        absl::Status status = client.Call(&Attendance::Stub::CheckOut, request, &response);
        if (!status.ok()) return status;
        if (response.left_early()) Note(name, "left early");
        *record = response.record();
        return status;
      });
}

// Prints the current code; on a terminal keeps refreshing it until Ctrl-C.
absl::Status ShowCode(Session& session, const std::string& event_arg) {
  absl::StatusOr<std::string> event = EventName(session, event_arg);
  if (!event.ok()) return event.status();
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  RpcClient<Attendance> client(session, session.attendance());
  av1::IssueCheckInCodeRequest request;
  request.set_event(*event);
  const bool refresh = session.stdout_is_terminal() && session.format() == OutputFormat::kTable;
  while (true) {
    av1::IssueCheckInCodeResponse response;
    if (absl::Status status = client.Call(&Attendance::Stub::IssueCheckInCode, request, &response);
        !status.ok()) {
      return status;
    }
    const std::string until = FormatTimeIn(FromProtoTime(response.valid_until()), *zone);
    if (!refresh) {
      session.Print(response, Table{{"CODE", "VALID UNTIL", "QR PAYLOAD"},
                                    {{response.code(), until, response.qr_payload()}}});
      return absl::OkStatus();
    }
    std::cout << "\r\033[K" << IdOf(*event) << "  check-in code  " << response.code()
              << "   (valid until " << until << "; Ctrl-C to stop)" << std::flush;
    const absl::Time next = FromProtoTime(response.refresh_time());
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(
        std::max(next - absl::Now(), absl::Seconds(1))));  // wait for the next code's step
  }
}

absl::Status Finalize(Session& session, const std::string& event_arg) {
  absl::StatusOr<std::string> event = EventName(session, event_arg);
  if (!event.ok()) return event.status();
  av1::FinalizeEventRequest request;
  request.set_event(*event);
  RpcClient<Attendance> client(session, session.attendance());
  av1::FinalizeEventResponse response;
  if (absl::Status status = client.Call(&Attendance::Stub::FinalizeEvent, request, &response);
      !status.ok()) {
    return status;
  }
  if (response.already_finalized()) std::cerr << "note: the event was already finalized\n";
  return PrintRecords(session, response, response.records());
}

absl::Status GetAttendance(Session& session, const Target& target) {
  if (!target.members.empty()) {
    return ForEachRecord(
        session, target,
        [](RpcClient<Attendance>& client, const std::string& name, av1::AttendanceRecord* record) {
          av1::GetAttendanceRequest request;
          request.set_name(name);
          return client.Call(&Attendance::Stub::GetAttendance, request, record);
        });
  }
  absl::StatusOr<std::string> event = EventName(session, target.event);
  if (!event.ok()) return event.status();
  av1::ListAttendanceRequest request;
  request.set_parent(*event);
  RpcClient<Attendance> client(session, session.attendance());
  av1::ListAttendanceResponse all;
  if (absl::Status status = client.ListAll(&Attendance::Stub::ListAttendance, request, &all);
      !status.ok()) {
    return status;
  }
  return PrintRecords(session, all, all.records());
}

struct LeaveOptions {
  Target target;
  std::string reason;
  bool approve = false;
};

absl::Status RequestLeave(Session& session, const LeaveOptions& options) {
  return ForEachRecord(session, options.target,
                       [&options](RpcClient<Attendance>& client, const std::string& name,
                                  av1::AttendanceRecord* record) {
                         av1::RequestLeaveRequest request;
                         request.set_name(name);
                         request.set_reason(options.reason);
                         request.set_approve(options.approve);
                         return client.Call(&Attendance::Stub::RequestLeave, request, record);
                       });
}

absl::Status DecideLeave(Session& session, const LeaveOptions& options,
                         av1::LeaveDecision decision) {
  return ForEachRecord(session, options.target,
                       [&options, decision](RpcClient<Attendance>& client, const std::string& name,
                                            av1::AttendanceRecord* record) {
                         av1::DecideLeaveRequest request;
                         request.set_name(name);
                         request.set_decision(decision);
                         request.set_comment(options.reason);
                         return client.Call(&Attendance::Stub::DecideLeave, request, record);
                       });
}

struct CorrectOptions {
  Target target;
  std::string outcome;
  std::string reason;
};

absl::Status CorrectOutcome(Session& session, const CorrectOptions& options) {
  absl::StatusOr<common::v1::AttendanceOutcome> outcome =
      ParseEnumArg<common::v1::AttendanceOutcome>(options.outcome);
  if (!outcome.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--outcome: ", outcome.status().message()));
  }
  return ForEachRecord(
      session, options.target,
      [&](RpcClient<Attendance>& client, const std::string& name, av1::AttendanceRecord* record) {
        av1::CorrectOutcomeRequest request;
        request.set_name(name);
        request.set_outcome(*outcome);
        request.set_reason(options.reason);
        return client.Call(&Attendance::Stub::CorrectOutcome, request, record);
      });
}

void AddTarget(CLI::App* app, Target& target, bool members_required) {
  app->add_option("event", target.event, "Event id")->required();
  CLI::Option* members = app->add_option("members", target.members, "Member ids");
  if (members_required) members->required();
}

}  // namespace

void AddAttendanceCommands(Cli& cli) {
  auto get = std::make_shared<Target>();
  const auto get_action = [get](Session& session) { return GetAttendance(session, *get); };
  AddTarget(cli.Add({"get",
                     "attendance",
                     {},
                     "Show attendance records of an event",
                     "fieldctl get attendance trip1 m1 m2"},
                    get_action),
            *get, false);
  AddTarget(cli.Add({"list",
                     "attendance",
                     {},
                     "List every participant's record of an event",
                     "fieldctl list attendance trip1 -o csv"},
                    get_action),
            *get, false);

  auto check_in = std::make_shared<PresenceOptions>();
  CLI::App* in = cli.Add({"check-in",
                          "",
                          {},
                          "Record members' arrival (staff)",
                          "fieldctl check-in trip1 m1 m2 --at \"2026-12-03 09:05\""},
                         [check_in](Session& session) { return CheckIn(session, *check_in); });
  AddTarget(in, check_in->target, true);
  in->add_option("--at", check_in->time, "When they arrived; default now");
  auto check_out = std::make_shared<PresenceOptions>();
  CLI::App* out = cli.Add(
      {"check-out", "", {}, "Record members' departure (staff)", "fieldctl check-out trip1 m1"},
      [check_out](Session& session) { return CheckOut(session, *check_out); });
  AddTarget(out, check_out->target, true);
  out->add_option("--at", check_out->time, "When they left; default now");

  auto code_event = std::make_shared<std::string>();
  cli.Add({"code",
           "",
           {},
           "Show the event's rotating check-in code, refreshed on a terminal until Ctrl-C "
           "(printed once when piped)",
           "fieldctl code trip1"},
          [code_event](Session& session) { return ShowCode(session, *code_event); })
      ->add_option("event", *code_event, "Event id")
      ->required();
  auto finalize_event = std::make_shared<std::string>();
  cli.Add({"finalize",
           "",
           {},
           "Fix every participant's outcome of an ended event",
           "fieldctl finalize trip1"},
          [finalize_event](Session& session) { return Finalize(session, *finalize_event); })
      ->add_option("event", *finalize_event, "Event id")
      ->required();

  auto leave = std::make_shared<LeaveOptions>();
  CLI::App* request = cli.Add({"create",
                               "leave",
                               {},
                               "Record a leave request (请假)",
                               "fieldctl create leave trip1 m1 --reason 住院 --approve"},
                              [leave](Session& session) { return RequestLeave(session, *leave); });
  AddTarget(request, leave->target, true);
  request->add_option("--reason", leave->reason, "Why")->required();
  request->add_flag("--approve", leave->approve, "Record it as approved at once");
  auto decision = std::make_shared<LeaveOptions>();
  for (const auto& [verb, value] : {std::pair("approve", av1::LEAVE_DECISION_APPROVE),
                                    std::pair("reject", av1::LEAVE_DECISION_REJECT)}) {
    CLI::App* app = cli.Add({verb,
                             "leave",
                             {},
                             absl::StrCat(verb == std::string("approve") ? "Approve" : "Reject",
                                          " pending leave requests"),
                             absl::StrCat("fieldctl ", verb, " leave trip1 m1 --comment 同意")},
                            [decision, value = value](Session& session) {
                              return DecideLeave(session, *decision, value);
                            });
    AddTarget(app, decision->target, true);
    app->add_option("--comment", decision->reason, "Comment to the member (required to reject)");
  }

  auto correct = std::make_shared<CorrectOptions>();
  CLI::App* update =
      cli.Add({"update",
               "attendance",
               {},
               "Correct finalized outcomes",
               "fieldctl update attendance trip1 m1 --outcome excused --reason 补交请假条"},
              [correct](Session& session) { return CorrectOutcome(session, *correct); });
  AddTarget(update, correct->target, true);
  update->add_option("--outcome", correct->outcome, EnumChoices<common::v1::AttendanceOutcome>())
      ->required();
  update->add_option("--reason", correct->reason, "Why")->required();
}

}  // namespace fieldwork::fieldctl
