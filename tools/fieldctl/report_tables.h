// The columns `-o table` and `-o csv` show for reports: attendance counts per kind with a total
// row, a unit's rows per member, and an event's sheet. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_REPORT_TABLES_H_
#define FIELDWORK_TOOLS_FIELDCTL_REPORT_TABLES_H_

#include "absl/time/time.h"
#include "fieldwork/reporting/v1/event_sheet.pb.h"
#include "fieldwork/reporting/v1/report.pb.h"
#include "fieldwork/reporting/v1/unit_report.pb.h"
#include "tools/fieldctl/resource_tables.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

// A row per kind, then a TOTAL row of `totals` (events summed over the kinds).
Table KindsTable(const Items<fieldwork::reporting::v1::KindStats>& kinds,
                 const fieldwork::reporting::v1::AttendanceStats& totals);
Table UnitReportTable(const Items<fieldwork::reporting::v1::UnitReportRow>& rows);
// PROVISIONAL says "yes" on lines whose outcome is not final yet.
Table EventSheetTable(const Items<fieldwork::reporting::v1::EventSheetLine>& lines,
                      const absl::TimeZone& zone);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_REPORT_TABLES_H_
