// Reports (ReportingService): `report member|unit|event|org` and `export TABLE SUBJECT` (CSV
// streamed to standard output or a file, with progress on a terminal).
#include <fstream>
#include <iostream>
#include <memory>

#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/report_args.h"
#include "tools/fieldctl/report_tables.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/rpc_client.h"

namespace fieldwork::fieldctl {
namespace {

namespace rv1 = ::fieldwork::reporting::v1;
using Reporting = rv1::ReportingService;

void AddPeriodFlags(CLI::App* app, PeriodArgs& period) {
  CLI::Option* year = app->add_option("--year", period.year, "Report year, e.g. 2026");
  app->add_option("--from", period.from, "First day, YYYY-MM-DD")->excludes(year);
  app->add_option("--to", period.to, "Last day, YYYY-MM-DD")->excludes(year);
}

enum class Subject { kMember, kUnit, kEvent, kOrganization };

struct ReportOptions {
  std::string id;
  PeriodArgs period;
};

absl::Status Report(Session& session, Subject subject, const ReportOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  RpcClient<Reporting> client(session, session.reporting());
  absl::StatusOr<rv1::ReportPeriod> period = ReportPeriodArg(options.period);
  if (subject != Subject::kEvent && !period.ok()) return period.status();
  switch (subject) {
    case Subject::kMember: {
      rv1::GetMemberReportRequest request;
      absl::StatusOr<std::string> name =
          ResourceNameArg(ResourceKind::kMember, *organization, options.id);
      if (!name.ok()) return name.status();
      request.set_member(*name);
      *request.mutable_period() = *period;
      rv1::MemberReport report;
      if (absl::Status s = client.Call(&Reporting::Stub::GetMemberReport, request, &report);
          !s.ok()) {
        return s;
      }
      if (session.format() == OutputFormat::kTable) {
        std::cout << report.display_name() << "  score " << report.score() << "  " << report.band()
                  << "\n";
      }
      session.Print(report, KindsTable(report.by_kind(), report.totals()));
      return absl::OkStatus();
    }
    case Subject::kUnit: {
      rv1::GetUnitReportRequest request;
      absl::StatusOr<std::string> name =
          ResourceNameArg(ResourceKind::kUnit, *organization, options.id);
      if (!name.ok()) return name.status();
      request.set_unit(*name);
      *request.mutable_period() = *period;
      rv1::UnitReport report;
      if (absl::Status s = client.Call(&Reporting::Stub::GetUnitReport, request, &report);
          !s.ok()) {
        return s;
      }
      session.Print(report, UnitReportTable(report.rows()));
      return absl::OkStatus();
    }
    case Subject::kEvent: {
      rv1::GetEventSheetRequest request;
      absl::StatusOr<std::string> name =
          ResourceNameArg(ResourceKind::kEvent, *organization, options.id);
      if (!name.ok()) return name.status();
      request.set_event(*name);
      rv1::EventSheet sheet;
      if (absl::Status s = client.Call(&Reporting::Stub::GetEventSheet, request, &sheet); !s.ok()) {
        return s;
      }
      absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
      if (!zone.ok()) return zone.status();
      session.Print(sheet, EventSheetTable(sheet.lines(), *zone));
      return absl::OkStatus();
    }
    case Subject::kOrganization: {
      rv1::GetOrganizationSummaryRequest request;
      request.set_organization(absl::StrCat("organizations/", *organization));
      *request.mutable_period() = *period;
      rv1::OrganizationSummary summary;
      if (absl::Status s = client.Call(&Reporting::Stub::GetOrganizationSummary, request, &summary);
          !s.ok()) {
        return s;
      }
      session.Print(summary, KindsTable(summary.by_kind(), summary.totals()));
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown report subject");
}

struct ExportOptions {
  std::string table;
  std::string subject;
  PeriodArgs period;
  std::string file;
  bool no_bom = false;
};

absl::Status Export(Session& session, const ExportOptions& options) {
  if (session.format() == OutputFormat::kJson || session.format() == OutputFormat::kYaml) {
    return absl::InvalidArgumentError("export writes CSV only: use -o csv");
  }
  absl::StatusOr<rv1::ReportTable> table = ParseEnumArg<rv1::ReportTable>(options.table);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  rv1::ExportReportRequest request;
  request.set_table(*table);
  request.set_format(rv1::EXPORT_FORMAT_CSV);
  request.set_omit_byte_order_mark(options.no_bom);
  absl::StatusOr<std::string> subject = ReportSubjectArg(*table, *organization, options.subject);
  if (!subject.ok()) return subject.status();
  request.set_subject(*subject);
  if (*table != rv1::REPORT_TABLE_EVENT_SHEET) {
    absl::StatusOr<rv1::ReportPeriod> period = ReportPeriodArg(options.period);
    if (!period.ok()) return period.status();
    *request.mutable_period() = *period;
  }
  std::ofstream file;
  if (!options.file.empty()) {
    file.open(options.file, std::ios::binary | std::ios::trunc);
    if (!file) return absl::PermissionDeniedError(absl::StrCat("cannot write ", options.file));
  }
  std::ostream& out = options.file.empty() ? std::cout : file;
  Endpoint& endpoint = session.reporting();
  auto stub = Reporting::NewStub(endpoint.channel);
  grpc::ClientContext context;
  session.PrepareContext(&context);
  std::unique_ptr<grpc::ClientReader<rv1::ExportReportResponse>> reader =
      stub->ExportReport(&context, request);
  rv1::ExportReportResponse chunk;
  size_t bytes = 0;
  bool complete = false;
  while (reader->Read(&chunk)) {
    out << chunk.data();
    bytes += chunk.data().size();
    complete = chunk.last();
    session.Progress(absl::StrCat("exported ", bytes, " bytes…"));
  }
  session.Progress("");
  if (absl::Status status = session.FromRpc(endpoint, reader->Finish()); !status.ok()) {
    return status;
  }
  if (!complete) return absl::DataLossError("the export stream ended before its last part");
  if (!options.file.empty()) std::cerr << "wrote " << bytes << " bytes to " << options.file << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddReportCommands(Cli& cli) {
  const std::pair<Subject, CommandSpec> reports[] = {
      {Subject::kMember,
       {"report",
        "member",
        {},
        "A member's performance report (履职报告)",
        "fieldctl report member m7 --year 2026"}},
      {Subject::kUnit,
       {"report",
        "unit",
        {},
        "A unit's report, a row per member",
        "fieldctl report unit jingji --from 2026-01-01 --to 2026-06-30 -o csv"}},
      {Subject::kEvent,
       {"report", "event", {}, "An event's attendance sheet", "fieldctl report event trip1"}},
      {Subject::kOrganization,
       {"report",
        "org",
        {"organization"},
        "The organization's summary of a period",
        "fieldctl report org --year 2026 -o yaml"}},
  };
  for (const auto& [subject, spec] : reports) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* app = cli.Add(spec, [options, subject = subject](Session& session) {
      return Report(session, subject, *options);
    });
    if (subject != Subject::kOrganization) {
      app->add_option("id", options->id, "Id or full name")->required();
    }
    if (subject != Subject::kEvent) AddPeriodFlags(app, options->period);
  }

  auto options = std::make_shared<ExportOptions>();
  CLI::App* app = cli.Add(
      {"export",
       "",
       {},
       absl::StrCat("Export a report table as CSV. Tables: ", EnumChoices<rv1::ReportTable>(),
                    ". SUBJECT is a member, unit or event id for the member-, unit- and event- "
                    "tables (none for the organization's)"),
       "fieldctl export unit-members jingji --year 2026 -o csv --file jingji-2026.csv"},
      [options](Session& session) { return Export(session, *options); });
  app->add_option("table", options->table, "Which table")->required();
  app->add_option("subject", options->subject, "Member, unit or event id");
  AddPeriodFlags(app, options->period);
  app->add_option("--file", options->file, "Write to this file instead of standard output");
  app->add_flag("--no-bom", options->no_bom, "Leave out the UTF-8 byte-order mark");
}

}  // namespace fieldwork::fieldctl
