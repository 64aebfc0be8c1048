// ReportingService.ExportReport: any report table as CSV, streamed in chunks of whole rows.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/api/call_deadline.h"
#include "common/api/handler_support.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/reporting/reporting_service.h"

namespace fieldwork::reporting {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr char kContentType[] = "text/csv; charset=utf-8";

// "2026" for a year, "2026-01-01_2026-06-30" for a range.
std::string PeriodLabel(const v1::ReportMetadata& metadata) {
  const auto& first = metadata.period().first_date();
  const auto& last = metadata.period().last_date();
  if (first.month() == 1 && first.day() == 1 && last.month() == 12 && last.day() == 31 &&
      first.year() == last.year()) {
    return absl::StrCat(first.year());
  }
  return absl::StrFormat("%04d-%02d-%02d_%04d-%02d-%02d", first.year(), first.month(), first.day(),
                         last.year(), last.month(), last.day());
}

// The last segment of a resource name: its id.
std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

// The organization id a subject name starts with; "" when it does not name one.
std::string OrganizationOf(absl::string_view subject) {
  const std::vector<absl::string_view> parts = absl::StrSplit(subject, '/');
  return parts.size() >= 2 && parts[0] == "organizations" ? std::string(parts[1]) : "";
}

absl::TimeZone ZoneOf(const v1::ReportMetadata& metadata) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(metadata.time_zone(), &zone)) return absl::UTCTimeZone();
  return zone;
}

}  // namespace

absl::StatusOr<ReportingServiceImpl::Export> ReportingServiceImpl::BuildExport(
    grpc::ServerContextBase* context, const v1::ExportReportRequest& request) const {
  {
    FieldErrors errors;
    if (request.table() == v1::REPORT_TABLE_UNSPECIFIED ||
        !v1::ReportTable_IsValid(request.table())) {
      errors.Add("table", "required: one of the REPORT_TABLE_ values");
    }
    if (request.format() != v1::EXPORT_FORMAT_UNSPECIFIED &&
        request.format() != v1::EXPORT_FORMAT_CSV) {
      errors.Add("format", "must be EXPORT_FORMAT_CSV");
    }
    if (request.table() == v1::REPORT_TABLE_EVENT_SHEET && request.has_period()) {
      errors.Add("period", "must be unset for REPORT_TABLE_EVENT_SHEET");
    }
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  }
  const std::string& subject = request.subject();
  const std::string table_name = absl::AsciiStrToLower(
      absl::StrReplaceAll(v1::ReportTable_Name(request.table()).substr(13), {{"_", "-"}}));
  Export out;
  auto finish = [&](CsvTable table, const v1::ReportMetadata& metadata) -> absl::StatusOr<Export> {
    out.table = std::move(table);
    out.metadata = metadata;
    out.filename = metadata.has_period() ? absl::StrCat(table_name, "-", IdOf(subject), "-",
                                                        PeriodLabel(metadata), ".csv")
                                         : absl::StrCat(table_name, "-", IdOf(subject), ".csv");
    return std::move(out);
  };
  switch (request.table()) {
    case v1::REPORT_TABLE_MEMBER_EVENTS:
    case v1::REPORT_TABLE_MEMBER_KINDS: {
      FIELDWORK_ASSIGN_OR_RETURN(const v1::MemberReport report,
                                 MemberReport(context, "subject", subject, request.period()));
      return finish(request.table() == v1::REPORT_TABLE_MEMBER_EVENTS
                        ? MemberEventsTable(report, ZoneOf(report.metadata()))
                        : MemberKindsTable(report),
                    report.metadata());
    }
    case v1::REPORT_TABLE_UNIT_MEMBERS: {
      FIELDWORK_ASSIGN_OR_RETURN(const v1::UnitReport report,
                                 UnitReport(context, "subject", subject, request.period()));
      return finish(UnitMembersTable(report), report.metadata());
    }
    case v1::REPORT_TABLE_ORGANIZATION_MEMBERS: {
      FIELDWORK_ASSIGN_OR_RETURN(
          const v1::UnitReport report,
          OrganizationMembersReport(context, "subject", subject, request.period()));
      return finish(UnitMembersTable(report), report.metadata());
    }
    case v1::REPORT_TABLE_EVENT_SHEET: {
      FIELDWORK_ASSIGN_OR_RETURN(const v1::EventSheet sheet,
                                 EventSheet(context, "subject", subject));
      return finish(EventSheetTable(sheet, ZoneOf(sheet.metadata())), sheet.metadata());
    }
    default: {
      FIELDWORK_ASSIGN_OR_RETURN(
          const v1::OrganizationSummary summary,
          OrganizationSummary(context, "subject", subject, request.period()));
      CsvTable table;
      switch (request.table()) {
        case v1::REPORT_TABLE_ORGANIZATION_MONTHS:
          table = OrganizationMonthsTable(summary);
          break;
        case v1::REPORT_TABLE_ORGANIZATION_KINDS:
          table = OrganizationKindsTable(summary);
          break;
        case v1::REPORT_TABLE_ORGANIZATION_TOPICS:
          table = OrganizationTopicsTable(summary);
          break;
        case v1::REPORT_TABLE_ATTENTION_LIST:
          table = AttentionListTable(summary);
          break;
        default:
          table = AnnualReportsDueTable(summary);
          break;
      }
      return finish(std::move(table), summary.metadata());
    }
  }
}

grpc::Status ReportingServiceImpl::ExportReport(
    grpc::ServerContext* context, const v1::ExportReportRequest* request,
    grpc::ServerWriter<v1::ExportReportResponse>* writer) {
  // Counted per caller before the report is built; a malformed subject is refused by BuildExport.
  if (const std::string organization = OrganizationOf(request->subject()); !organization.empty()) {
    absl::StatusOr<Principal> caller = deps_.authorizer->Authenticate(context);
    if (!caller.ok()) return Finish(caller.status());
    if (absl::Status counted =
            CallRateLimiter(deps_.redis)
                .Count(organization, "ExportReport", caller->subject, kExportRate, absl::Now(),
                       CallDeadline(context, deps_.rpc_budget));
        !counted.ok()) {
      return Finish(counted);
    }
  }
  absl::StatusOr<Export> exported = BuildExport(context, *request);
  if (!exported.ok()) return Finish(exported.status());
  const std::vector<std::string> chunks =
      CsvChunks(exported->table, !request->omit_byte_order_mark(), kChunkBytes);
  for (size_t i = 0; i < chunks.size(); ++i) {
    v1::ExportReportResponse message;
    if (i == 0) {
      message.set_content_type(kContentType);
      message.set_filename(exported->filename);
      *message.mutable_metadata() = exported->metadata;
    }
    message.set_data(chunks[i]);
    message.set_last(i + 1 == chunks.size());
    if (!writer->Write(message)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the export");
    }
  }
  return grpc::Status::OK;
}

}  // namespace fieldwork::reporting
