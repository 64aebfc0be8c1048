// Report tables as CSV, pure: the columns of each ReportTable (reporting_service.proto), cell
// formatting (enum names without prefix, RFC 3339 times in the organization's offset, unformatted
// numbers), RFC 4180 quoting, and the chunks ExportReport streams. No I/O.
#ifndef FIELDWORK_SERVICES_REPORTING_CSV_EXPORT_H_
#define FIELDWORK_SERVICES_REPORTING_CSV_EXPORT_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fieldwork/reporting/v1/event_sheet.pb.h"
#include "fieldwork/reporting/v1/member_report.pb.h"
#include "fieldwork/reporting/v1/organization_summary.pb.h"
#include "fieldwork/reporting/v1/reporting_service.pb.h"
#include "fieldwork/reporting/v1/unit_report.pb.h"

namespace fieldwork::reporting {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// One RFC 4180 line with its CRLF.
std::string CsvLine(const std::vector<std::string>& cells);

// The stream's data: the first chunk holds the byte-order mark (when asked) and the header; then
// whole rows, each chunk at most `max_bytes` unless a single row is longer.
std::vector<std::string> CsvChunks(const CsvTable& table, bool byte_order_mark, size_t max_bytes);

CsvTable MemberEventsTable(const v1::MemberReport& report, absl::TimeZone zone);
CsvTable MemberKindsTable(const v1::MemberReport& report);
// UNIT_MEMBERS, and ORGANIZATION_MEMBERS from a report over the whole roster.
CsvTable UnitMembersTable(const v1::UnitReport& report);
CsvTable EventSheetTable(const v1::EventSheet& sheet, absl::TimeZone zone);
CsvTable OrganizationMonthsTable(const v1::OrganizationSummary& summary);
CsvTable OrganizationKindsTable(const v1::OrganizationSummary& summary);
CsvTable OrganizationTopicsTable(const v1::OrganizationSummary& summary);
CsvTable AttentionListTable(const v1::OrganizationSummary& summary);
CsvTable AnnualReportsDueTable(const v1::OrganizationSummary& summary);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_CSV_EXPORT_H_
