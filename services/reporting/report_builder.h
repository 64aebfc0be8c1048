// Building the reports from what was read, pure: a member's report, a unit's rows and totals, an
// event's sheet (with provisional outcomes before finalization) and the organization summary
// (months, kinds, topics, attention list, annual reports due). An event belongs to the period
// that contains its start; cancelled events count only as cancelled. No I/O.
#ifndef FIELDWORK_SERVICES_REPORTING_REPORT_BUILDER_H_
#define FIELDWORK_SERVICES_REPORTING_REPORT_BUILDER_H_

#include <string>
#include <vector>

#include "fieldwork/reporting/v1/event_sheet.pb.h"
#include "fieldwork/reporting/v1/member_report.pb.h"
#include "fieldwork/reporting/v1/organization_summary.pb.h"
#include "fieldwork/reporting/v1/unit_report.pb.h"
#include "fieldwork/scheduling/v1/unit.pb.h"
#include "services/reporting/report_data.h"
#include "services/reporting/report_period.h"

namespace fieldwork::reporting {

v1::MemberReport BuildMemberReport(const ReportData& data, const ResolvedPeriod& period,
                                   const std::string& member);

// One row per member of `data.members`, sorted by score, then display name, then member name.
v1::UnitReport BuildUnitReport(const ReportData& data, const ResolvedPeriod& period,
                               const fieldwork::scheduling::v1::Unit& unit);

// `data.events` holds the one event; `data.members` names its participants.
v1::EventSheet BuildEventSheet(const ReportData& data);

v1::OrganizationSummary BuildOrganizationSummary(const ReportData& data,
                                                 const ResolvedPeriod& period);

// The first day of the earliest year whose annual report falls due in `period` (its year ends
// inside it), or `period.first_day` when that is earlier: what a summary must read.
absl::CivilDay SummaryFirstDay(const ResolvedPeriod& period);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_REPORT_BUILDER_H_
