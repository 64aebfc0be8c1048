// Building the reports from what was read (see report_builder.h).
#include "services/reporting/report_builder.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "common/api/field_checks.h"
#include "services/attendance/attendance_rules.h"
#include "services/reporting/attendance_stats.h"

namespace fieldwork::reporting {
namespace {

namespace av1 = ::fieldwork::attendance::v1;
namespace sv1 = ::fieldwork::scheduling::v1;
using ::fieldwork::common::v1::AttendanceOutcome;

constexpr int32_t kDefaultAttentionThreshold = 2;
constexpr int32_t kDefaultAnnualReportDueDays = 31;

bool Counted(const sv1::Event& event) {
  return event.state() == sv1::EVENT_STATE_SCHEDULED || event.state() == sv1::EVENT_STATE_COMPLETED;
}

absl::Time StartOf(const sv1::Event& event) { return ToTime(event.time_range().start_time()); }

bool StartsIn(const sv1::Event& event, const Interval& window) {
  const absl::Time start = StartOf(event);
  return start >= window.start && start < window.end;
}

Interval TimeOf(const sv1::Event& event) {
  return {StartOf(event), ToTime(event.time_range().end_time())};
}

Participation ParticipationOf(const sv1::Event& event, const av1::AttendanceRecord& record) {
  return {event.kind(),
          record.finalized() ? record.outcome() : common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED,
          TimeOf(event)};
}

// Calls visit(event, record) for every participation in a counted event starting in `window`.
template <typename Visit>
void ForEachParticipation(const ReportData& data, const Interval& window, Visit visit) {
  for (const sv1::Event& event : data.events) {
    if (!Counted(event) || !StartsIn(event, window)) continue;
    auto records = data.records.find(event.name());
    if (records == data.records.end()) continue;
    for (const auto& [member, record] : records->second) visit(event, record);
  }
}

v1::ReportMetadata MetadataOf(const ReportData& data, const ResolvedPeriod* period) {
  v1::ReportMetadata metadata;
  metadata.set_organization(data.organization.name());
  *metadata.mutable_as_of_time() = ToTimestamp(data.as_of);
  metadata.set_scoring_table_version(
      data.organization.reporting_settings().scoring_table().version());
  metadata.set_time_zone(data.organization.time_zone());
  if (period != nullptr) *metadata.mutable_period() = ToDateRange(*period);
  return metadata;
}

std::string DisplayNameOf(const ReportData& data, const std::string& member) {
  auto found = data.members.find(member);
  return found == data.members.end() ? "" : found->second.display_name();
}

// A member's figures over `window` (finished), optionally per kind.
v1::AttendanceStats MemberStats(const ReportData& data, const Scoring& scoring,
                                const std::string& member, const Interval& window) {
  v1::AttendanceStats stats;
  ForEachParticipation(data, window,
                       [&](const sv1::Event& event, const av1::AttendanceRecord& record) {
                         if (record.member() == member)
                           Add(ParticipationOf(event, record), scoring, data.zone, stats);
                       });
  FinishStats(stats);
  return stats;
}

double ScoreOf(const Scoring& scoring, const v1::AttendanceStats& stats) {
  return RoundHundredths(scoring.base_score() + stats.points());
}

// Per kind, in EventKind order: event counts and figures (unfinished).
std::vector<v1::KindStats> ToKindList(std::map<int, v1::KindStats>& kinds) {
  std::vector<v1::KindStats> list;
  for (auto& [kind, stats] : kinds) {
    FinishStats(*stats.mutable_stats());
    list.push_back(std::move(stats));
  }
  return list;
}

// The outcome of an event sheet line: final when finalized; before that derived from the check-in
// or an approved leave, else UNSPECIFIED (not recorded yet).
AttendanceOutcome SheetOutcome(const attendance::EventFacts& facts,
                               const av1::AttendanceRecord& record) {
  if (record.finalized()) return record.outcome();
  const bool approved_leave =
      record.has_leave() && record.leave().state() == av1::LEAVE_STATE_APPROVED;
  if (!record.has_check_in() && !approved_leave) return common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED;
  return attendance::OutcomeOf(record, facts);
}

// Sheet order: PRESENT, LATE, LEFT_EARLY, EXCUSED, ABSENT, NOT_ATTENDED, then not recorded.
int SheetRank(AttendanceOutcome outcome) {
  return outcome == common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED ? 100 : static_cast<int>(outcome);
}

}  // namespace

Scoring ScoringOf(const ReportData& data) {
  return Scoring(data.organization.reporting_settings().scoring_table());
}

v1::MemberReport BuildMemberReport(const ReportData& data, const ResolvedPeriod& period,
                                   const std::string& member) {
  const Scoring scoring = ScoringOf(data);
  v1::MemberReport report;
  *report.mutable_metadata() = MetadataOf(data, &period);
  report.set_member(member);
  auto roster = data.members.find(member);
  if (roster != data.members.end()) {
    report.set_display_name(roster->second.display_name());
    report.set_role(roster->second.role());
    *report.mutable_units() = roster->second.units();
  }
  std::map<int, v1::KindStats> kinds;
  v1::AttendanceStats& totals = *report.mutable_totals();
  ForEachParticipation(
      data, period.instants, [&](const sv1::Event& event, const av1::AttendanceRecord& record) {
        if (record.member() != member) return;
        const Participation participation = ParticipationOf(event, record);
        v1::KindStats& kind = kinds[event.kind()];
        kind.set_kind(event.kind());
        kind.set_event_count(kind.event_count() + 1);
        Add(participation, scoring, data.zone, *kind.mutable_stats());
        Add(participation, scoring, data.zone, totals);
        v1::MemberEventLine& line = *report.add_events();
        line.set_event(event.name());
        line.set_title(event.title());
        line.set_kind(event.kind());
        *line.mutable_time_range() = event.time_range();
        line.set_role(record.participant_role());
        line.set_outcome(participation.outcome);
        line.set_points(RoundHundredths(PointsOf(participation, scoring)));
        line.set_hours(Attended(participation.outcome)
                           ? RoundHundredths(HoursOf(participation.time, data.zone))
                           : 0);
      });
  for (v1::KindStats& kind : ToKindList(kinds)) *report.add_by_kind() = std::move(kind);
  FinishStats(totals);
  report.set_base_score(scoring.base_score());
  report.set_score(ScoreOf(scoring, totals));
  report.set_band(scoring.BandOf(report.score()));
  return report;
}

v1::UnitReport BuildUnitReport(const ReportData& data, const ResolvedPeriod& period,
                               const sv1::Unit& unit) {
  const Scoring scoring = ScoringOf(data);
  v1::UnitReport report;
  *report.mutable_metadata() = MetadataOf(data, &period);
  report.set_unit(unit.name());
  report.set_display_name(unit.display_name());
  report.set_kind(unit.kind());
  absl::flat_hash_map<std::string, v1::AttendanceStats> stats;
  ForEachParticipation(
      data, period.instants, [&](const sv1::Event& event, const av1::AttendanceRecord& record) {
        if (!data.members.contains(record.member())) return;
        Add(ParticipationOf(event, record), scoring, data.zone, stats[record.member()]);
      });
  std::vector<v1::UnitReportRow> rows;
  for (const auto& [name, member] : data.members) {
    v1::UnitReportRow& row = rows.emplace_back();
    row.set_member(name);
    row.set_display_name(member.display_name());
    row.set_role(member.role());
    row.set_status(member.status());
    *row.mutable_stats() = stats[name];
    FinishStats(*row.mutable_stats());
    row.set_score(ScoreOf(scoring, row.stats()));
    row.set_band(scoring.BandOf(row.score()));
  }
  std::sort(rows.begin(), rows.end(), [](const v1::UnitReportRow& a, const v1::UnitReportRow& b) {
    return std::make_tuple(-a.score(), a.display_name(), a.member()) <
           std::make_tuple(-b.score(), b.display_name(), b.member());
  });
  for (v1::UnitReportRow& row : rows) {
    Merge(row.stats(), *report.mutable_totals());
    *report.add_rows() = std::move(row);
  }
  FinishStats(*report.mutable_totals());
  return report;
}

v1::EventSheet BuildEventSheet(const ReportData& data) {
  const Scoring scoring = ScoringOf(data);
  v1::EventSheet sheet;
  *sheet.mutable_metadata() = MetadataOf(data, nullptr);
  if (data.events.empty()) return sheet;
  const sv1::Event& event = data.events.front();
  sheet.set_event(event.name());
  sheet.set_title(event.title());
  sheet.set_kind(event.kind());
  *sheet.mutable_time_range() = event.time_range();
  sheet.set_state(event.state());
  absl::StatusOr<attendance::EventFacts> facts = attendance::FactsFrom(event, data.organization);
  std::vector<v1::EventSheetLine> lines;
  auto records = data.records.find(event.name());
  if (records != data.records.end()) {
    for (const auto& [member, record] : records->second) {
      sheet.set_finalized(sheet.finalized() || record.finalized());
      v1::EventSheetLine& line = lines.emplace_back();
      line.set_member(member);
      line.set_display_name(DisplayNameOf(data, member));
      line.set_role(record.participant_role());
      line.set_outcome(facts.ok() ? SheetOutcome(*facts, record) : record.outcome());
      line.set_provisional(!record.finalized() &&
                           line.outcome() != common::v1::ATTENDANCE_OUTCOME_UNSPECIFIED);
      line.set_rsvp(record.rsvp().response());
      if (record.has_check_in()) *line.mutable_check_in_time() = record.check_in().time();
      if (record.has_check_out()) *line.mutable_check_out_time() = record.check_out().time();
      line.set_leave_state(record.leave().state());
      line.set_leave_reason(record.leave().reason());
      Add({event.kind(), line.outcome(), TimeOf(event)}, scoring, data.zone,
          *sheet.mutable_totals());
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const v1::EventSheetLine& a, const v1::EventSheetLine& b) {
              return std::make_tuple(SheetRank(a.outcome()), a.display_name(), a.member()) <
                     std::make_tuple(SheetRank(b.outcome()), b.display_name(), b.member());
            });
  for (v1::EventSheetLine& line : lines) *sheet.add_lines() = std::move(line);
  FinishStats(*sheet.mutable_totals());
  return sheet;
}

absl::CivilDay SummaryFirstDay(const ResolvedPeriod& period) {
  // The earliest year ending inside the period is the first day's year when the period reaches
  // its 31 December.
  const absl::CivilDay year_end(period.first_day.year(), 12, 31);
  if (year_end <= period.last_day) {
    return std::min(period.first_day, absl::CivilDay(period.first_day.year(), 1, 1));
  }
  return period.first_day;
}

v1::OrganizationSummary BuildOrganizationSummary(const ReportData& data,
                                                 const ResolvedPeriod& period) {
  const Scoring scoring = ScoringOf(data);
  const auto& settings = data.organization.reporting_settings();
  v1::OrganizationSummary summary;
  *summary.mutable_metadata() = MetadataOf(data, &period);

  // Months of the period, in order, each with its events and figures.
  std::map<absl::CivilMonth, v1::MonthStats> months;
  for (absl::CivilMonth month = absl::CivilMonth(period.first_day);
       month <= absl::CivilMonth(period.last_day); ++month) {
    v1::MonthStats& stats = months[month];
    stats.set_year(static_cast<int32_t>(month.year()));
    stats.set_month(month.month());
  }
  std::map<int, v1::KindStats> kinds;
  std::map<std::string, int32_t> topics;
  for (const sv1::Event& event : data.events) {
    if (!StartsIn(event, period.instants)) continue;
    if (event.state() == sv1::EVENT_STATE_CANCELLED) {
      summary.set_cancelled_event_count(summary.cancelled_event_count() + 1);
    }
    if (!Counted(event)) continue;
    summary.set_event_count(summary.event_count() + 1);
    const absl::CivilMonth month(absl::ToCivilDay(StartOf(event), data.zone));
    months[month].set_event_count(months[month].event_count() + 1);
    v1::KindStats& kind = kinds[event.kind()];
    kind.set_kind(event.kind());
    kind.set_event_count(kind.event_count() + 1);
    for (const std::string& topic : event.topics()) ++topics[topic];
  }

  absl::flat_hash_map<std::string, std::vector<std::string>> absences;
  ForEachParticipation(
      data, period.instants, [&](const sv1::Event& event, const av1::AttendanceRecord& record) {
        const Participation participation = ParticipationOf(event, record);
        const absl::CivilMonth month(absl::ToCivilDay(StartOf(event), data.zone));
        Add(participation, scoring, data.zone, *months[month].mutable_stats());
        Add(participation, scoring, data.zone, *kinds[event.kind()].mutable_stats());
        Add(participation, scoring, data.zone, *summary.mutable_totals());
        if (participation.outcome == common::v1::ATTENDANCE_OUTCOME_ABSENT) {
          absences[record.member()].push_back(event.name());  // events are in start order
        }
      });
  for (auto& [month, stats] : months) {
    FinishStats(*stats.mutable_stats());
    *summary.add_by_month() = std::move(stats);
  }
  for (v1::KindStats& kind : ToKindList(kinds)) *summary.add_by_kind() = std::move(kind);
  std::vector<std::pair<std::string, int32_t>> topic_list(topics.begin(), topics.end());
  std::stable_sort(topic_list.begin(), topic_list.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [topic, count] : topic_list) {
    v1::TopicCount& entry = *summary.add_topics();
    entry.set_topic(topic);
    entry.set_event_count(count);
  }
  FinishStats(*summary.mutable_totals());

  const int32_t threshold = settings.attention_absence_threshold() > 0
                                ? settings.attention_absence_threshold()
                                : kDefaultAttentionThreshold;
  summary.set_attention_threshold(threshold);
  std::vector<v1::AttentionEntry> attention;
  for (auto& [member, events] : absences) {
    if (static_cast<int32_t>(events.size()) < threshold) continue;
    v1::AttentionEntry& entry = attention.emplace_back();
    entry.set_member(member);
    entry.set_display_name(DisplayNameOf(data, member));
    entry.set_absences(static_cast<int32_t>(events.size()));
    for (std::string& event : events) entry.add_events(std::move(event));
  }
  std::sort(attention.begin(), attention.end(),
            [](const v1::AttentionEntry& a, const v1::AttentionEntry& b) {
              return std::make_tuple(-a.absences(), a.display_name(), a.member()) <
                     std::make_tuple(-b.absences(), b.display_name(), b.member());
            });
  for (v1::AttentionEntry& entry : attention) *summary.add_attention_list() = std::move(entry);

  const int32_t due_days = settings.annual_report_due_days() > 0 ? settings.annual_report_due_days()
                                                                 : kDefaultAnnualReportDueDays;
  std::vector<v1::AnnualReportDue> due;
  for (int64_t year = period.first_day.year(); year <= period.last_day.year(); ++year) {
    const absl::CivilDay year_end(year, 12, 31);
    if (year_end < period.first_day || year_end > period.last_day) continue;
    const Interval year_window = DaysToInstants(absl::CivilDay(year, 1, 1), year_end, data.zone);
    for (const auto& [name, member] : data.members) {
      const bool standing = member.role() == sv1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER ||
                            member.role() == sv1::MEMBER_ROLE_VICE_CHAIR ||
                            member.role() == sv1::MEMBER_ROLE_CHAIR;
      if (!standing || member.status() != sv1::MEMBER_STATUS_ACTIVE) continue;
      v1::AnnualReportDue& entry = due.emplace_back();
      entry.set_member(name);
      entry.set_display_name(member.display_name());
      entry.set_role(member.role());
      entry.set_year(static_cast<int32_t>(year));
      *entry.mutable_due_date() = ToCivilDate(year_end + due_days);
      *entry.mutable_stats() = MemberStats(data, scoring, name, year_window);
      entry.set_score(ScoreOf(scoring, entry.stats()));
      entry.set_band(scoring.BandOf(entry.score()));
    }
  }
  std::sort(due.begin(), due.end(), [](const v1::AnnualReportDue& a, const v1::AnnualReportDue& b) {
    return std::make_tuple(a.year(), a.display_name(), a.member()) <
           std::make_tuple(b.year(), b.display_name(), b.member());
  });
  for (v1::AnnualReportDue& entry : due) *summary.add_annual_reports_due() = std::move(entry);
  return summary;
}

}  // namespace fieldwork::reporting
