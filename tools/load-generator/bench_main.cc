// fieldwork-bench: the load generator. Runs one scenario for a warm-up and a measured duration,
// closed loop (--outstanding calls in flight) or open loop (--rate calls started per second,
// latency from each call's due time), prints throughput and latency percentiles, and writes them
// as JSON. Scenarios:
//   empty          the baseline: an empty unary handler (fieldwork-bench-empty)
//   get-event      SchedulingService.GetEvent of an event with every seeded member
//   list-events    SchedulingService.ListEvents, the first page (50) of a month of 60 events with
//                  30 required participants each, in a 300-member organization
//   find-slots     SchedulingService.FindSlots in that organization: 10 required and 20 optional
//                  members, a 2-hour slot in the month, 30-minute steps, working hours
//   booking        SchedulingService.CreateEvent, SCHEDULED, 2 required members each
//   (booking_load.h);
//                  --group 0 books distinct members (no contention), a larger group with few
//                  --members makes bookings race for the same calendars; --organizations spreads
//                  them; --check reads every calendar back afterwards (booking_checker.h)
//   check-in       AttendanceService.CheckIn by staff, every call a first check-in of a seeded
//                  member at a seeded event in progress
//   reports        seeds an organization of 300 members, 400 events and 20,000 attendance
//                  records (or reuses one: --organization, --year), then measures
//                  ReportingService.GetMemberReport, GetUnitReport of a 60-member unit and
//                  GetOrganizationSummary of the year one after another
//   fieldwork-bench --scenario check-in --target 127.0.0.1:50052 --scheduling 127.0.0.1:50051
#include <grpcpp/grpcpp.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/field_checks.h"
#include "common/api/peer_call.h"
#include "common/principal.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/load-generator/booking_checker.h"
#include "tools/load-generator/booking_load.h"
#include "tools/load-generator/load_loop.h"
#include "tools/load-generator/report_seed.h"
#include "tools/load-generator/seed.h"

namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace rv1 = ::fieldwork::reporting::v1;
namespace sv1 = ::fieldwork::scheduling::v1;
using ::fieldwork::bench::LoadOptions;
using ::fieldwork::bench::LoadResult;
using ::fieldwork::bench::SeededOrganization;
using ::fieldwork::bench::StartCall;

struct Flags {
  std::string scenario;
  std::string target;
  std::string scheduling_target;
  std::string attendance_target;
  std::string json_file;
  std::string json_dir;
  std::string label;
  LoadOptions options;
  int members = 300;
  int events = 100;
  int organizations = 1;
  int group = 0;
  bool check = false;
  bool seed_only = false;
  std::string organization;
  int year = 0;
  // Latency at a fraction of the peak: after each closed-loop run, an open-loop run at this
  // fraction of its calls/s, `tries` times; 0 → the closed loop alone.
  double peak_fraction = 0;
  int tries = 1;
  // Throughput against the empty handler at this address: `tries` pairs of closed loops, the
  // empty handler then the scenario; "" → none.
  std::string baseline_target;
  double baseline_fraction = 0;  // > 0: the scenario in an open loop at this share of the baseline
};

// One measured run of a scenario: its name and how to start its calls.
using Run = std::pair<std::string, StartCall>;

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

// Each call owns its request and response until it completes.
template <typename Request, typename Response, typename Invoke>
StartCall Unary(Invoke invoke, std::function<Request(int64_t)> make_request) {
  return [invoke, make_request](grpc::ClientContext* context, int64_t index,
                                std::function<void(grpc::Status)> done) {
    auto request = std::make_shared<Request>(make_request(index));
    auto response = std::make_shared<Response>();
    invoke(context, request.get(), response.get(),
           [request, response, done = std::move(done)](grpc::Status status) { done(status); });
  };
}

// The same request for every call.
template <typename Request, typename Response, typename Invoke>
StartCall Repeat(Invoke invoke, Request request) {
  return Unary<Request, Response>(invoke, [request](int64_t) { return request; });
}

std::string Json(const std::string& label, const LoadOptions& options, const LoadResult& result,
                 const std::string& extra) {
  std::string errors;
  for (const auto& [code, count] : result.errors_by_code) {
    absl::StrAppend(&errors, errors.empty() ? "" : ",", "\"", code, "\":", count);
  }
  const std::string windows = absl::StrJoin(
      result.window_max_ms, ",",
      [](std::string* out, double max_ms) { absl::StrAppendFormat(out, "%.2f", max_ms); });
  return absl::StrFormat(
      "{\"label\":\"%s\",\"outstanding\":%d,\"rate\":%.1f,\"seconds\":%.3f,\"calls\":%d,"
      "\"ok\":%d,\"errors\":%d,\"errors_by_code\":{%s},\"throughput\":%.1f,"
      "\"ok_throughput\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"p999_ms\":%.3f,\"max_ms\":%.3f,\"stolen_cpu\":%.3f,\"idle_cpu\":%.3f,"
      "\"slow_windows\":%d,\"window_max_ms\":[%s]%s}",
      label, options.rate > 0 ? 0 : options.outstanding, options.rate, result.seconds, result.calls,
      result.ok, result.errors, errors, result.throughput, result.ok_throughput, result.p50_ms,
      result.p90_ms, result.p99_ms, result.p999_ms, result.max_ms, result.stolen_cpu,
      result.idle_cpu, result.slow_windows, windows, extra);
}

absl::StatusOr<std::vector<Run>> ReportRuns(const Flags& flags) {
  if (flags.scheduling_target.empty() || flags.attendance_target.empty()) {
    return absl::InvalidArgumentError("--scheduling and --attendance are required for reports");
  }
  fieldwork::bench::ReportOrganization seeded;
  if (!flags.organization.empty()) {
    seeded = fieldwork::bench::SeededReportOrganization(flags.organization, flags.year);
  } else {
    absl::StatusOr<fieldwork::bench::ReportOrganization> created =
        fieldwork::bench::SeedReportOrganization(Channel(flags.scheduling_target),
                                                 Channel(flags.attendance_target),
                                                 flags.options.token, {});
    if (!created.ok()) return created.status();
    seeded = *std::move(created);
    std::cout << "seeded " << seeded.organization << " with " << seeded.records
              << " attendance records\n";
  }
  if (flags.seed_only) {
    if (!flags.json_file.empty()) {
      std::ofstream(flags.json_file)
          << absl::StrFormat("{\"organization\":\"%s\",\"year\":%d,\"records\":%d}\n",
                             seeded.organization, seeded.year, seeded.records);
    }
    return std::vector<Run>();
  }
  auto stub = std::shared_ptr(rv1::ReportingService::NewStub(Channel(flags.target)));
  rv1::ReportPeriod period;
  period.set_year(seeded.year);
  rv1::GetMemberReportRequest member;
  member.set_member(seeded.member);
  *member.mutable_period() = period;
  rv1::GetUnitReportRequest unit;
  unit.set_unit(seeded.unit);
  *unit.mutable_period() = period;
  rv1::GetOrganizationSummaryRequest summary;
  summary.set_organization(absl::StrCat("organizations/", seeded.organization));
  *summary.mutable_period() = period;
  return std::vector<Run>{
      {"member-report", Repeat<rv1::GetMemberReportRequest, rv1::MemberReport>(
                            [stub](auto* context, auto* request, auto* response, auto done) {
                              stub->async()->GetMemberReport(context, request, response, done);
                            },
                            member)},
      {"unit-report", Repeat<rv1::GetUnitReportRequest, rv1::UnitReport>(
                          [stub](auto* context, auto* request, auto* response, auto done) {
                            stub->async()->GetUnitReport(context, request, response, done);
                          },
                          unit)},
      {"organization-summary", Repeat<rv1::GetOrganizationSummaryRequest, rv1::OrganizationSummary>(
                                   [stub](auto* context, auto* request, auto* response, auto done) {
                                     stub->async()->GetOrganizationSummary(context, request,
                                                                           response, done);
                                   },
                                   summary)}};
}

StartCall EmptyCall(const std::string& target) {
  auto stub = std::shared_ptr(grpc::health::v1::Health::NewStub(Channel(target)));
  return Repeat<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>(
      [stub](auto* context, auto* request, auto* response, auto done) {
        stub->async()->Check(context, request, response, std::move(done));
      },
      grpc::health::v1::HealthCheckRequest());
}

StartCall GetEventCall(const Flags& flags, const SeededOrganization& seeded) {
  auto stub = std::shared_ptr(sv1::SchedulingService::NewStub(Channel(flags.target)));
  sv1::GetEventRequest request;
  request.set_name(seeded.events.front());
  return Repeat<sv1::GetEventRequest, sv1::Event>(
      [stub](auto* context, auto* request, auto* response, auto done) {
        stub->async()->GetEvent(context, request, response, std::move(done));
      },
      request);
}

StartCall CheckInCall(const Flags& flags, const SeededOrganization& seeded) {
  auto stub = std::shared_ptr(av1::AttendanceService::NewStub(Channel(flags.target)));
  return Unary<av1::CheckInRequest, av1::CheckInResponse>(
      [stub](auto* context, auto* request, auto* response, auto done) {
        stub->async()->CheckIn(context, request, response, std::move(done));
      },
      [seeded](int64_t index) {
        const size_t members = seeded.members.size();
        const size_t pair = static_cast<size_t>(index) % (members * seeded.events.size());
        av1::CheckInRequest request;
        request.set_name(absl::StrCat(seeded.events[pair / members], "/attendance/",
                                      seeded.members[pair % members]));
        return request;
      });
}

// Each call made by another staff member of `organization` (the services' dev mode trusts the
// forwarded identity), so that the per-caller limit of expensive reads (FindSlots: 30 calls in
// 10 s) does not cap the figure.
StartCall AsManyStaff(StartCall start, const std::string& organization) {
  return [start = std::move(start), organization](grpc::ClientContext* context, int64_t index,
                                                  std::function<void(grpc::Status)> done) {
    context->AddMetadata(
        fieldwork::kOnBehalfOfMetadataKey,
        absl::StrCat("role=staff;organization=", organization, ";subject=bench-staff-", index));
    start(context, index, std::move(done));
  };
}

// The first day of next month, 09:00 in Asia/Shanghai's offset: a future month to fill.
absl::Time NextMonth() {
  const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  const absl::CivilMonth month = absl::ToCivilMonth(absl::Now(), zone) + 1;
  return absl::FromCivil(absl::CivilHour(month.year(), month.month(), 1, 9), zone);
}

// One blocking call before the run, to show what each call of the scenario answers.
template <typename Request, typename Response>
absl::Status Probe(grpc::Status (sv1::SchedulingService::Stub::*rpc)(grpc::ClientContext*,
                                                                     const Request&, Response*),
                   sv1::SchedulingService::Stub& stub, const Flags& flags, const Request& request,
                   Response& response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + flags.options.call_timeout));
  if (!flags.options.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", flags.options.token));
  }
  return fieldwork::FromPeer("scheduling", (stub.*rpc)(&context, request, &response));
}

// list-events and find-slots: a month of the 300-member organization's calendar.
absl::StatusOr<StartCall> CalendarCall(const Flags& flags) {
  fieldwork::bench::CalendarSize size;
  size.members = flags.members;
  size.events = 60;
  size.spacing = absl::Hours(12);
  size.first_start = NextMonth();
  absl::StatusOr<SeededOrganization> seeded =
      fieldwork::bench::SeedCalendar(Channel(flags.scheduling_target), flags.options.token, size);
  if (!seeded.ok()) return seeded.status();
  const std::string parent = fieldwork::bench::OrganizationName(*seeded);
  fieldwork::common::v1::TimeRange window;
  *window.mutable_start_time() = fieldwork::ToTimestamp(size.first_start);
  *window.mutable_end_time() = fieldwork::ToTimestamp(size.first_start + absl::Hours(24 * 30));
  auto stub = std::shared_ptr(sv1::SchedulingService::NewStub(Channel(flags.target)));
  if (flags.scenario == "list-events") {
    sv1::ListEventsRequest request;
    request.set_parent(parent);
    request.set_page_size(50);
    *request.mutable_time_range() = window;
    sv1::ListEventsResponse page;
    if (absl::Status status =
            Probe(&sv1::SchedulingService::Stub::ListEvents, *stub, flags, request, page);
        !status.ok()) {
      return status;
    }
    std::cout << absl::StrFormat("list-events: %d events per page, %d bytes\n", page.events_size(),
                                 page.ByteSizeLong());
    return Repeat<sv1::ListEventsRequest, sv1::ListEventsResponse>(
        [stub](auto* context, auto* request, auto* response, auto done) {
          stub->async()->ListEvents(context, request, response, std::move(done));
        },
        request);
  }
  sv1::FindSlotsRequest request;
  request.set_parent(parent);
  for (int i = 0; i < 30; ++i) {
    const std::string member = absl::StrCat(parent, "/members/", seeded->members[i]);
    if (i < 10) {
      request.add_required_members(member);
    } else {
      request.add_optional_members(member);
    }
  }
  request.mutable_duration()->set_seconds(2 * 3600);
  *request.mutable_search_window() = window;
  request.mutable_granularity()->set_seconds(30 * 60);
  sv1::FindSlotsResponse slots;
  if (absl::Status status =
          Probe(&sv1::SchedulingService::Stub::FindSlots, *stub, flags, request, slots);
      !status.ok()) {
    return status;
  }
  std::cout << absl::StrFormat("find-slots: %d candidates per call\n", slots.candidates_size());
  return AsManyStaff(Repeat<sv1::FindSlotsRequest, sv1::FindSlotsResponse>(
                         [stub](auto* context, auto* request, auto* response, auto done) {
                           stub->async()->FindSlots(context, request, response, std::move(done));
                         },
                         request),
                     seeded->organization);
}

absl::StatusOr<StartCall> BookingCall(const Flags& flags, fieldwork::bench::BookingLayout& layout) {
  absl::StatusOr<std::vector<SeededOrganization>> seeded = fieldwork::bench::SeedOrganizations(
      Channel(flags.scheduling_target), flags.options.token, flags.organizations, flags.members);
  if (!seeded.ok()) return seeded.status();
  layout.organizations = *std::move(seeded);
  layout.group = flags.group > 0
                     ? flags.group
                     : fieldwork::bench::UncontendedGroup(flags.members, layout.members_per_event);
  layout.first_start = NextMonth();
  auto stub = std::shared_ptr(sv1::SchedulingService::NewStub(Channel(flags.target)));
  return Unary<sv1::CreateEventRequest, sv1::CreateEventResponse>(
      [stub](auto* context, auto* request, auto* response, auto done) {
        stub->async()->CreateEvent(context, request, response, std::move(done));
      },
      [layout](int64_t index) { return fieldwork::bench::BookingRequest(layout, index); });
}

// Reads every booked calendar of every organization back.
absl::StatusOr<fieldwork::bench::BookingCheck> CheckBookings(
    const Flags& flags, const fieldwork::bench::BookingLayout& layout) {
  fieldwork::bench::BookingCheck total;
  for (const SeededOrganization& organization : layout.organizations) {
    absl::StatusOr<fieldwork::bench::BookingCheck> check = fieldwork::bench::CheckNoDoubleBooking(
        Channel(flags.scheduling_target), flags.options.token, organization);
    if (!check.ok()) return check.status();
    total.members += check->members;
    total.bookings += check->bookings;
    total.double_bookings.insert(total.double_bookings.end(), check->double_bookings.begin(),
                                 check->double_bookings.end());
  }
  std::cout << absl::StrFormat("checker: %d members, %d required bookings read back, %d overlaps\n",
                               total.members, total.bookings, total.double_bookings.size());
  for (const std::string& line : total.double_bookings) {
    std::cout << "DOUBLE BOOKING " << line << "\n";
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  double warmup_seconds = 2, duration_seconds = 10;
  CLI::App app{"fieldwork load generator", "fieldwork-bench"};
  app.add_option("--scenario", flags.scenario, "The scenario (see the file's comment)")
      ->required()
      ->check(CLI::IsMember(
          {"empty", "get-event", "list-events", "find-slots", "booking", "check-in", "reports"}));
  app.add_option("--target", flags.target, "Server under load (host:port)")->required();
  app.add_option("--scheduling", flags.scheduling_target, "Scheduling service to seed through");
  app.add_option("--attendance", flags.attendance_target,
                 "Attendance service to seed through (reports)");
  app.add_option("--outstanding", flags.options.outstanding, "Closed loop: calls in flight")
      ->capture_default_str();
  app.add_option("--rate", flags.options.rate,
                 "Open loop: calls started per second, latency from each call's due time")
      ->check(CLI::NonNegativeNumber);
  double issue_every_ms = 1;
  app.add_option("--issue-every", issue_every_ms,
                 "Open loop: milliseconds between the issuing thread's wake-ups (0: one per call)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--peak-fraction", flags.peak_fraction,
                 "After each closed-loop run, an open-loop run at this fraction of its calls/s "
                 "(labels <label>-peak-<try> and <label>-<percent>-<try>; JSON with --json-dir)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option(
      "--baseline-target", flags.baseline_target,
      "Pairs of closed loops: the empty handler here (fieldwork-bench-empty), then the "
      "scenario (labels <label>-baseline-<try> and <label>-<try>; JSON with --json-dir)");
  app.add_option("--baseline-fraction", flags.baseline_fraction,
                 "With --baseline-target: each scenario run is an open loop at this fraction of "
                 "the empty handler's calls/s just before it (latency at a share of the ceiling)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--tries", flags.tries,
                 "With --peak-fraction or --baseline-target: how many pairs")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup_seconds, "Seconds before measuring")->capture_default_str();
  app.add_option("--duration", duration_seconds, "Seconds measured")->capture_default_str();
  app.add_option("--token", flags.options.token, "Bearer token (none in dev mode)");
  app.add_option("--members", flags.members, "Members to seed (per organization)")
      ->capture_default_str();
  app.add_option("--events", flags.events, "Events in progress to seed (check-in)")
      ->capture_default_str();
  app.add_option("--organizations", flags.organizations, "Organizations to seed (booking)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--group", flags.group,
                 "Booking: consecutive bookings at one time; 0 = members / 2 (no contention)")
      ->capture_default_str();
  app.add_flag("--check", flags.check, "Booking: read every calendar back for double bookings");
  app.add_flag("--seed-only", flags.seed_only, "Reports: seed, write --json, measure nothing");
  app.add_option("--organization", flags.organization,
                 "Reports: an organization seeded before (with --year)");
  app.add_option("--year", flags.year, "Reports: the year of --organization");
  app.add_option("--json", flags.json_file, "Also write the result as JSON here");
  app.add_option("--json-dir", flags.json_dir,
                 "Also write each result as JSON to DIR/<label>.json");
  app.add_option("--label", flags.label, "Name of the result (default: the scenario)");
  CLI11_PARSE(app, argc, argv);
  if (flags.label.empty()) flags.label = flags.scenario;
  flags.options.warmup = absl::Seconds(warmup_seconds);
  flags.options.issue_every = absl::Milliseconds(issue_every_ms);
  flags.options.duration = absl::Seconds(duration_seconds);
  if (flags.peak_fraction > 0 && !flags.baseline_target.empty()) {
    std::cerr << "--peak-fraction and --baseline-target are separate modes: give one\n";
    return 1;
  }
  if (flags.baseline_fraction > 0 && flags.baseline_target.empty()) {
    std::cerr << "--baseline-fraction needs --baseline-target\n";
    return 1;
  }
  if (flags.scenario != "empty" && flags.scheduling_target.empty()) {
    std::cerr << "--scheduling is required for " << flags.scenario << "\n";
    return 1;
  }

  std::vector<Run> runs;
  fieldwork::bench::BookingLayout layout;
  absl::Status seeding = absl::OkStatus();
  int64_t fresh_calls = 0;  // check-in: the seeded (event, member) pairs; 0 → no limit
  // Check-in with --peak-fraction: the open loops check in on an organization of their own, so
  // the closed loop before each does not use up their first check-ins.
  std::optional<StartCall> open_call;
  if (flags.scenario == "reports") {
    absl::StatusOr<std::vector<Run>> report_runs = ReportRuns(flags);
    seeding = report_runs.status();
    if (report_runs.ok()) runs = *std::move(report_runs);
  } else if (flags.scenario == "empty") {
    runs.emplace_back(flags.label, EmptyCall(flags.target));
  } else if (flags.scenario == "list-events" || flags.scenario == "find-slots") {
    absl::StatusOr<StartCall> call = CalendarCall(flags);
    seeding = call.status();
    if (call.ok()) runs.emplace_back(flags.label, *call);
  } else if (flags.scenario == "booking") {
    // A conflict is the expected answer of a booking that lost a race.
    if (flags.group > 0) flags.options.expected_codes.insert(grpc::StatusCode::FAILED_PRECONDITION);
    absl::StatusOr<StartCall> call = BookingCall(flags, layout);
    seeding = call.status();
    if (call.ok()) runs.emplace_back(flags.label, *call);
  } else {
    const bool check_in = flags.scenario == "check-in";
    absl::StatusOr<SeededOrganization> seeded =
        fieldwork::bench::SeedOrganization(Channel(flags.scheduling_target), flags.options.token,
                                           flags.members, check_in ? flags.events : 1);
    seeding = seeded.status();
    if (seeded.ok()) {
      if (check_in)
        fresh_calls = static_cast<int64_t>(seeded->members.size() * seeded->events.size());
      runs.emplace_back(flags.label,
                        check_in ? CheckInCall(flags, *seeded) : GetEventCall(flags, *seeded));
    }
    if (seeded.ok() && check_in && flags.peak_fraction > 0) {
      absl::StatusOr<SeededOrganization> for_open_loops = fieldwork::bench::SeedOrganization(
          Channel(flags.scheduling_target), flags.options.token, flags.members, flags.events);
      seeding = for_open_loops.status();
      if (for_open_loops.ok()) open_call = CheckInCall(flags, *for_open_loops);
    }
  }
  if (!seeding.ok()) {
    std::cerr << "seeding failed: " << seeding << "\n";
    return 1;
  }

  // Calls of a run (warm-up included) that repeat an earlier call's check-in because the seeded
  // (event, member) pairs ran out: a repeated check-in is answered from the stored record, not
  // written, so it measures something else. Reported with the run, and warned about.
  const auto repeats = [&](const std::string& name, int64_t first_index, int64_t end_index) {
    if (fresh_calls == 0 || end_index <= fresh_calls) return std::string(",\"repeated_calls\":0");
    const int64_t repeated = end_index - std::max(first_index, fresh_calls);
    std::cerr << name << ": " << repeated << " calls repeated an earlier check-in (the "
              << fresh_calls << " seeded pairs ran out; seed more --events)\n";
    return absl::StrCat(",\"repeated_calls\":", repeated);
  };
  int exit_code = 0;
  // Prints one run's figures, writes its JSON and notes failed calls in the exit code.
  const auto report = [&](const std::string& name, const LoadOptions& options,
                          const LoadResult& result, const std::string& extra) {
    std::cout << absl::StrFormat(
        "%-20s %8.1f calls/s (%.1f OK/s)  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  "
        "errors %d  CPU stolen %.0f%% idle %.0f%%\n",
        name, result.throughput, result.ok_throughput, result.p50_ms, result.p90_ms, result.p99_ms,
        result.p999_ms, result.errors, 100 * result.stolen_cpu, 100 * result.idle_cpu);
    const std::string json = Json(name, options, result, extra);
    if (!flags.json_file.empty() && runs.size() == 1 && flags.peak_fraction == 0 &&
        flags.baseline_target.empty()) {
      std::ofstream(flags.json_file) << json << "\n";
    }
    if (!flags.json_dir.empty()) {
      std::ofstream(absl::StrCat(flags.json_dir, "/", name, ".json")) << json << "\n";
    }
    if (result.errors > 0 && exit_code == 0) exit_code = 2;
  };
  if (flags.peak_fraction > 0) {
    // Each open-loop run follows its own closed loop at once (the machine's speed drifts over
    // minutes, and a fraction of an earlier, faster minute's peak can be past capacity), with
    // calls not made before: on the same seeded data, or for check-in on open_call's.
    const int percent = static_cast<int>(std::lround(100 * flags.peak_fraction));
    for (const auto& [name, call] : runs) {
      LoadOptions options = flags.options;
      options.rate = 0;  // the peak: a closed loop
      LoadOptions open_options = flags.options;
      for (int attempt = 1; attempt <= flags.tries; ++attempt) {
        const LoadResult peak = fieldwork::bench::RunLoad(options, call);
        const std::string peak_name = absl::StrCat(name, "-peak-", attempt);
        report(peak_name, options, peak, repeats(peak_name, options.first_index, peak.end_index));
        options.first_index = peak.end_index;
        if (!open_call.has_value()) open_options.first_index = peak.end_index;
        open_options.rate = flags.peak_fraction * peak.throughput;
        const LoadResult open = fieldwork::bench::RunLoad(open_options, open_call.value_or(call));
        const std::string open_name = absl::StrCat(name, "-", percent, "-", attempt);
        report(open_name, open_options, open,
               absl::StrFormat(",\"peak_throughput\":%.1f,\"peak_stolen_cpu\":%.3f%s",
                               peak.throughput, peak.stolen_cpu,
                               repeats(open_name, open_options.first_index, open.end_index)));
        open_options.first_index = open.end_index;
        if (!open_call.has_value()) options.first_index = open.end_index;
      }
    }
    return exit_code;
  }
  if (!flags.baseline_target.empty()) {
    // The machine's speed drifts by a third over minutes; runs right next to each other drift
    // less, so each run of the scenario has its own baseline just before it.
    const StartCall baseline = EmptyCall(flags.baseline_target);
    for (const auto& [name, call] : runs) {
      LoadOptions options = flags.options;
      for (int attempt = 1; attempt <= flags.tries; ++attempt) {
        const LoadResult empty = fieldwork::bench::RunLoad(flags.options, baseline);
        report(absl::StrCat(name, "-baseline-", attempt), flags.options, empty, "");
        if (flags.baseline_fraction > 0) {
          options.rate = flags.baseline_fraction * empty.ok_throughput;
        }
        const LoadResult result = fieldwork::bench::RunLoad(options, call);
        const std::string result_name = absl::StrCat(name, "-", attempt);
        report(result_name, options, result,
               absl::StrFormat(",\"baseline_throughput\":%.1f,\"baseline_stolen_cpu\":%.3f%s",
                               empty.ok_throughput, empty.stolen_cpu,
                               repeats(result_name, options.first_index, result.end_index)));
        options.first_index = result.end_index;
      }
    }
    return exit_code;
  }
  for (const auto& [name, call] : runs) {
    const LoadResult result = fieldwork::bench::RunLoad(flags.options, call);
    std::string extra = repeats(name, flags.options.first_index, result.end_index);
    if (flags.check) {
      absl::StatusOr<fieldwork::bench::BookingCheck> checked = CheckBookings(flags, layout);
      if (!checked.ok()) {
        std::cerr << "the checker could not read the calendars back: " << checked.status() << "\n";
        return 1;
      }
      extra +=
          absl::StrFormat(",\"checked_members\":%d,\"checked_bookings\":%d,\"double_bookings\":%d",
                          checked->members, checked->bookings, checked->double_bookings.size());
      if (!checked->double_bookings.empty()) exit_code = 3;
    }
    report(name, flags.options, result, extra);
  }
  return exit_code;
}
