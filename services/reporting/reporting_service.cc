// The constructor: every unary RPC of the service runs on the shared call workers
// (common/pooled_service.h); the streaming ones stay on gRPC's synchronous server.
#include "services/reporting/reporting_service.h"

namespace fieldwork::reporting {

ReportingServiceImpl::ReportingServiceImpl(const ReportingDeps& deps) : deps_(deps) {
  ServeOnWorkers("GetMemberReport", &ReportingServiceImpl::GetMemberReport);
  ServeOnWorkers("GetUnitReport", &ReportingServiceImpl::GetUnitReport);
  ServeOnWorkers("GetEventSheet", &ReportingServiceImpl::GetEventSheet);
  ServeOnWorkers("GetOrganizationSummary", &ReportingServiceImpl::GetOrganizationSummary);
}

}  // namespace fieldwork::reporting
