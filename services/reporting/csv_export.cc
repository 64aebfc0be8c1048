// Report tables as CSV (see csv_export.h).
#include "services/reporting/csv_export.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/api/field_checks.h"
#include "fieldwork/scheduling/v1/unit.pb.h"

namespace fieldwork::reporting {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";

// An enum value's name without its prefix: EVENT_KIND_RESEARCH_TRIP → RESEARCH_TRIP; "" for the
// zero value.
std::string EnumCell(const std::string& name, absl::string_view prefix) {
  if (absl::EndsWith(name, "_UNSPECIFIED")) return "";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}
std::string Kind(sv1::EventKind kind) { return EnumCell(sv1::EventKind_Name(kind), "EVENT_KIND_"); }
std::string Outcome(common::v1::AttendanceOutcome outcome) {
  return EnumCell(common::v1::AttendanceOutcome_Name(outcome), "ATTENDANCE_OUTCOME_");
}
std::string ParticipantRole(sv1::ParticipantRole role) {
  return EnumCell(sv1::ParticipantRole_Name(role), "PARTICIPANT_ROLE_");
}
std::string MemberRole(sv1::MemberRole role) {
  return EnumCell(sv1::MemberRole_Name(role), "MEMBER_ROLE_");
}

std::string Number(double value) { return absl::StrFormat("%.10g", value); }
std::string Integer(int64_t value) { return absl::StrCat(value); }
std::string Bool(bool value) { return value ? "true" : "false"; }

std::string Time(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", ToTime(time), zone);
}

std::string Date(const common::v1::CivilDate& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

// The figure columns shared by several tables: invited … attendance_rate, hours.
std::vector<std::string> FigureCells(const v1::AttendanceStats& stats) {
  return {Integer(stats.invited()),
          Integer(stats.present()),
          Integer(stats.late()),
          Integer(stats.left_early()),
          Integer(stats.excused()),
          Integer(stats.absent()),
          Integer(stats.not_attended()),
          Integer(stats.pending()),
          stats.has_attendance_rate() ? Number(stats.attendance_rate()) : "",
          Number(stats.hours())};
}
const std::vector<std::string>& FigureHeader() {
  static const auto* const header = new std::vector<std::string>{
      "invited", "present",      "late",    "left_early",      "excused",
      "absent",  "not_attended", "pending", "attendance_rate", "hours"};
  return *header;
}

std::vector<std::string> Concat(std::vector<std::string> first,
                                const std::vector<std::string>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

std::vector<std::string> KindRow(const std::string& kind, int32_t event_count,
                                 const v1::AttendanceStats& stats) {
  return Concat({kind, Integer(event_count)}, FigureCells(stats));
}

}  // namespace

std::string CsvLine(const std::vector<std::string>& cells) {
  std::vector<std::string> quoted;
  quoted.reserve(cells.size());
  for (const std::string& cell : cells) {
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      quoted.push_back(cell);
    } else {
      quoted.push_back(absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\""));
    }
  }
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

std::vector<std::string> CsvChunks(const CsvTable& table, bool byte_order_mark, size_t max_bytes) {
  std::vector<std::string> chunks;
  chunks.push_back(absl::StrCat(byte_order_mark ? kByteOrderMark : "", CsvLine(table.header)));
  std::string chunk;
  for (const auto& row : table.rows) {
    std::string line = CsvLine(row);
    if (!chunk.empty() && chunk.size() + line.size() > max_bytes) {
      chunks.push_back(std::move(chunk));
      chunk.clear();
    }
    chunk += line;
  }
  if (!chunk.empty()) chunks.push_back(std::move(chunk));
  return chunks;
}

CsvTable MemberEventsTable(const v1::MemberReport& report, absl::TimeZone zone) {
  CsvTable table{
      {"event", "title", "kind", "start_time", "end_time", "role", "outcome", "points", "hours"},
      {}};
  for (const v1::MemberEventLine& line : report.events()) {
    table.rows.push_back({line.event(), line.title(), Kind(line.kind()),
                          Time(line.time_range().start_time(), zone),
                          Time(line.time_range().end_time(), zone), ParticipantRole(line.role()),
                          Outcome(line.outcome()), Number(line.points()), Number(line.hours())});
  }
  return table;
}

CsvTable MemberKindsTable(const v1::MemberReport& report) {
  CsvTable table{Concat(Concat({"kind", "event_count"}, FigureHeader()), {"points"}), {}};
  int32_t events = 0;
  for (const v1::KindStats& kind : report.by_kind()) {
    table.rows.push_back(Concat(KindRow(Kind(kind.kind()), kind.event_count(), kind.stats()),
                                {Number(kind.stats().points())}));
    events += kind.event_count();
  }
  table.rows.push_back(
      Concat(KindRow("TOTAL", events, report.totals()), {Number(report.totals().points())}));
  return table;
}

CsvTable UnitMembersTable(const v1::UnitReport& report) {
  CsvTable table{Concat(Concat({"member", "display_name", "role", "status"}, FigureHeader()),
                        {"points", "score", "band"}),
                 {}};
  for (const v1::UnitReportRow& row : report.rows()) {
    table.rows.push_back(
        Concat(Concat({row.member(), row.display_name(), MemberRole(row.role()),
                       EnumCell(sv1::MemberStatus_Name(row.status()), "MEMBER_STATUS_")},
                      FigureCells(row.stats())),
               {Number(row.stats().points()), Number(row.score()), row.band()}));
  }
  table.rows.push_back(Concat(Concat({"TOTAL", "", "", ""}, FigureCells(report.totals())),
                              {Number(report.totals().points()), "", ""}));
  return table;
}

CsvTable EventSheetTable(const v1::EventSheet& sheet, absl::TimeZone zone) {
  CsvTable table{{"member", "display_name", "role", "outcome", "provisional", "rsvp",
                  "check_in_time", "check_out_time", "leave_state", "leave_reason"},
                 {}};
  for (const v1::EventSheetLine& line : sheet.lines()) {
    table.rows.push_back(
        {line.member(), line.display_name(), ParticipantRole(line.role()), Outcome(line.outcome()),
         Bool(line.provisional()), EnumCell(av1::RsvpResponse_Name(line.rsvp()), "RSVP_RESPONSE_"),
         Time(line.check_in_time(), zone), Time(line.check_out_time(), zone),
         EnumCell(av1::LeaveState_Name(line.leave_state()), "LEAVE_STATE_"), line.leave_reason()});
  }
  return table;
}

CsvTable OrganizationMonthsTable(const v1::OrganizationSummary& summary) {
  CsvTable table{Concat({"month", "event_count"}, FigureHeader()), {}};
  for (const v1::MonthStats& month : summary.by_month()) {
    table.rows.push_back(KindRow(absl::StrFormat("%04d-%02d", month.year(), month.month()),
                                 month.event_count(), month.stats()));
  }
  return table;
}

CsvTable OrganizationKindsTable(const v1::OrganizationSummary& summary) {
  CsvTable table{Concat({"kind", "event_count"}, FigureHeader()), {}};
  for (const v1::KindStats& kind : summary.by_kind()) {
    table.rows.push_back(KindRow(Kind(kind.kind()), kind.event_count(), kind.stats()));
  }
  return table;
}

CsvTable OrganizationTopicsTable(const v1::OrganizationSummary& summary) {
  CsvTable table{{"topic", "event_count"}, {}};
  for (const v1::TopicCount& topic : summary.topics()) {
    table.rows.push_back({topic.topic(), Integer(topic.event_count())});
  }
  return table;
}

CsvTable AttentionListTable(const v1::OrganizationSummary& summary) {
  CsvTable table{{"member", "display_name", "absences", "events"}, {}};
  for (const v1::AttentionEntry& entry : summary.attention_list()) {
    table.rows.push_back({entry.member(), entry.display_name(), Integer(entry.absences()),
                          absl::StrJoin(entry.events(), ";")});
  }
  return table;
}

CsvTable AnnualReportsDueTable(const v1::OrganizationSummary& summary) {
  CsvTable table{{"member", "display_name", "role", "year", "due_date", "attendance_rate", "points",
                  "score", "band"},
                 {}};
  for (const v1::AnnualReportDue& entry : summary.annual_reports_due()) {
    table.rows.push_back(
        {entry.member(), entry.display_name(), MemberRole(entry.role()), Integer(entry.year()),
         Date(entry.due_date()),
         entry.stats().has_attendance_rate() ? Number(entry.stats().attendance_rate()) : "",
         Number(entry.stats().points()), Number(entry.score()), entry.band()});
  }
  return table;
}

}  // namespace fieldwork::reporting
