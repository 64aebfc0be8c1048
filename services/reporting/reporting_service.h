// The ReportingService handlers: decode, authorize, validate, read scheduling and attendance as
// the caller (peer_reader.h), build the report (report_builder.h), encode; ExportReport streams
// any report table as CSV (csv_export.h). Reporting keeps no data of its own.
#ifndef FIELDWORK_SERVICES_REPORTING_REPORTING_SERVICE_H_
#define FIELDWORK_SERVICES_REPORTING_REPORTING_SERVICE_H_

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/call_rate_limiter.h"
#include "common/auth.h"
#include "common/pooled_service.h"
#include "common/redis/redis_client.h"
#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "services/reporting/csv_export.h"
#include "services/reporting/peer_reader.h"
#include "services/reporting/report_period.h"

namespace fieldwork::reporting {

// ExportReport: 60 calls per caller per minute (each builds a whole report).
inline constexpr CallRate kExportRate{60, absl::Minutes(1)};

struct ReportingDeps {
  const Authorizer* authorizer = nullptr;
  const PeerReader* peers = nullptr;
  // Keeps the per-caller export counters (reporting keeps nothing else in Redis).
  RedisClient* redis = nullptr;
  // Budget of one report when the caller set no (or a longer) deadline.
  absl::Duration rpc_budget = absl::Seconds(10);
};

class ReportingServiceImpl final : public PooledService<v1::ReportingService> {
 public:
  explicit ReportingServiceImpl(const ReportingDeps& deps);  // reporting_service.cc

  grpc::Status GetMemberReport(grpc::ServerContextBase* context,
                               const v1::GetMemberReportRequest* request,
                               v1::MemberReport* response);
  grpc::Status GetUnitReport(grpc::ServerContextBase* context,
                             const v1::GetUnitReportRequest* request, v1::UnitReport* response);
  grpc::Status GetEventSheet(grpc::ServerContextBase* context,
                             const v1::GetEventSheetRequest* request, v1::EventSheet* response);
  grpc::Status GetOrganizationSummary(grpc::ServerContextBase* context,
                                      const v1::GetOrganizationSummaryRequest* request,
                                      v1::OrganizationSummary* response);
  grpc::Status ExportReport(grpc::ServerContext* context, const v1::ExportReportRequest* request,
                            grpc::ServerWriter<v1::ExportReportResponse>* writer) override;

 private:
  // What a report over a period starts with: the caller authorized for the target, the period
  // checked, the organization read (settings, zone) and the period resolved in its zone.
  struct PeriodReport {
    PeerReader::Call call;
    ReportData data;
    ResolvedPeriod period;
  };
  absl::StatusOr<PeriodReport> BeginPeriodReport(grpc::ServerContextBase* context,
                                                 const AccessTarget& target,
                                                 const v1::ReportPeriod& period) const;

  // Each report, from its subject's name (reported under `subject_field`) and period; shared by
  // the Get* handlers and ExportReport.
  absl::StatusOr<v1::MemberReport> MemberReport(grpc::ServerContextBase* context,
                                                absl::string_view subject_field,
                                                absl::string_view member,
                                                const v1::ReportPeriod& period) const;
  absl::StatusOr<v1::UnitReport> UnitReport(grpc::ServerContextBase* context,
                                            absl::string_view subject_field, absl::string_view unit,
                                            const v1::ReportPeriod& period) const;
  // Every member of the organization, as a unit report without a unit.
  absl::StatusOr<v1::UnitReport> OrganizationMembersReport(grpc::ServerContextBase* context,
                                                           absl::string_view subject_field,
                                                           absl::string_view organization,
                                                           const v1::ReportPeriod& period) const;
  absl::StatusOr<v1::EventSheet> EventSheet(grpc::ServerContextBase* context,
                                            absl::string_view subject_field,
                                            absl::string_view event) const;
  absl::StatusOr<v1::OrganizationSummary> OrganizationSummary(grpc::ServerContextBase* context,
                                                              absl::string_view subject_field,
                                                              absl::string_view organization,
                                                              const v1::ReportPeriod& period) const;

  // The requested table as CSV, with its file name and metadata.
  struct Export {
    CsvTable table;
    std::string filename;
    v1::ReportMetadata metadata;
  };
  absl::StatusOr<Export> BuildExport(grpc::ServerContextBase* context,
                                     const v1::ExportReportRequest& request) const;

  const ReportingDeps deps_;
};

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_REPORTING_SERVICE_H_
