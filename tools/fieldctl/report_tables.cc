// Report tables for -o table and -o csv.
#include "tools/fieldctl/report_tables.h"

#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

namespace rv1 = ::fieldwork::reporting::v1;

std::string Rate(const rv1::AttendanceStats& stats) {
  return stats.has_attendance_rate() ? absl::StrFormat("%.0f%%", stats.attendance_rate() * 100)
                                     : "";
}

// The attendance columns every report shares, after the `first` columns.
template <typename T>
std::vector<Column<T>> WithStats(std::vector<Column<T>> first,
                                 std::function<const rv1::AttendanceStats&(const T&)> stats) {
  const std::vector<std::pair<const char*, int32_t (rv1::AttendanceStats::*)() const>> counts = {
      {"INVITED", &rv1::AttendanceStats::invited},
      {"PRESENT", &rv1::AttendanceStats::present},
      {"LATE", &rv1::AttendanceStats::late},
      {"LEFT EARLY", &rv1::AttendanceStats::left_early},
      {"EXCUSED", &rv1::AttendanceStats::excused},
      {"ABSENT", &rv1::AttendanceStats::absent},
      {"NOT ATTENDED", &rv1::AttendanceStats::not_attended},
      {"PENDING", &rv1::AttendanceStats::pending}};
  for (const auto& [header, count] : counts) {
    first.push_back({header, [stats, count = count](const T& row) {
                       return absl::StrCat((stats(row).*count)());
                     }});
  }
  first.push_back({"RATE", [stats](const T& row) { return Rate(stats(row)); }});
  first.push_back({"HOURS", [stats](const T& row) { return absl::StrCat(stats(row).hours()); }});
  first.push_back({"POINTS", [stats](const T& row) { return absl::StrCat(stats(row).points()); }});
  return first;
}

}  // namespace

Table KindsTable(const Items<rv1::KindStats>& kinds, const rv1::AttendanceStats& totals) {
  Items<rv1::KindStats> rows = kinds;
  rv1::KindStats& total = *rows.Add();  // the kind left unset marks it
  for (const rv1::KindStats& kind : kinds)
    total.set_event_count(total.event_count() + kind.event_count());
  *total.mutable_stats() = totals;
  return MakeTable<rv1::KindStats>(
      WithStats<rv1::KindStats>(
          {{"KIND",
            [](const auto& k) {
              return k.kind() == 0 ? std::string("TOTAL") : EnumLabel(k.kind());
            }},
           {"EVENTS", [](const auto& k) { return absl::StrCat(k.event_count()); }}},
          [](const rv1::KindStats& k) -> const rv1::AttendanceStats& { return k.stats(); }),
      rows);
}

Table UnitReportTable(const Items<rv1::UnitReportRow>& rows) {
  return MakeTable<rv1::UnitReportRow>(
      WithStats<rv1::UnitReportRow>(
          {{"MEMBER", [](const auto& r) { return IdOf(r.member()); }},
           {"DISPLAY NAME", [](const auto& r) { return r.display_name(); }},
           {"ROLE", [](const auto& r) { return EnumLabel(r.role()); }},
           {"SCORE", [](const auto& r) { return absl::StrCat(r.score()); }},
           {"BAND", [](const auto& r) { return r.band(); }}},
          [](const rv1::UnitReportRow& r) -> const rv1::AttendanceStats& { return r.stats(); }),
      rows);
}

Table EventSheetTable(const Items<rv1::EventSheetLine>& lines, const absl::TimeZone& zone) {
  return MakeTable<rv1::EventSheetLine>(
      {{"MEMBER", [](const auto& l) { return IdOf(l.member()); }},
       {"DISPLAY NAME", [](const auto& l) { return l.display_name(); }},
       {"ROLE", [](const auto& l) { return EnumLabel(l.role()); }},
       {"OUTCOME", [](const auto& l) { return EnumLabel(l.outcome()); }},
       {"PROVISIONAL", [](const auto& l) { return std::string(l.provisional() ? "yes" : ""); }},
       {"RSVP", [](const auto& l) { return EnumLabel(l.rsvp()); }},
       {"CHECK-IN",
        [&zone](const auto& l) { return FormatTimeIn(FromProtoTime(l.check_in_time()), zone); }},
       {"CHECK-OUT",
        [&zone](const auto& l) { return FormatTimeIn(FromProtoTime(l.check_out_time()), zone); }},
       {"LEAVE", [](const auto& l) { return EnumLabel(l.leave_state()); }},
       {"LEAVE REASON", [](const auto& l) { return l.leave_reason(); }}},
      lines);
}

}  // namespace fieldwork::fieldctl
