// The constructor: the unary RPCs of the service run on the shared call workers
// (common/pooled_service.h), except GetEvent, which never waits and runs on gRPC's own thread when
// the Redis client allows; the streaming ones stay on gRPC's synchronous server.
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {

SchedulingServiceImpl::SchedulingServiceImpl(const SchedulingDeps& deps) : deps_(deps) {
  ServeOnWorkers("CreateOrganization", &SchedulingServiceImpl::CreateOrganization);
  ServeOnWorkers("GetOrganization", &SchedulingServiceImpl::GetOrganization);
  ServeOnWorkers("ListOrganizations", &SchedulingServiceImpl::ListOrganizations);
  ServeOnWorkers("UpdateOrganization", &SchedulingServiceImpl::UpdateOrganization);
  ServeOnWorkers("CreateEvent", &SchedulingServiceImpl::CreateEvent);
  ServeWithoutBlocking("GetEvent", &SchedulingServiceImpl::GetEvent,
                       deps.redis->PipelinesWithoutBlocking(), Messages::kArena);
  ServeOnWorkers("ListEvents", &SchedulingServiceImpl::ListEvents);
  ServeOnWorkers("UpdateEvent", &SchedulingServiceImpl::UpdateEvent);
  ServeOnWorkers("ScheduleEvent", &SchedulingServiceImpl::ScheduleEvent);
  ServeOnWorkers("CancelEvent", &SchedulingServiceImpl::CancelEvent);
  ServeOnWorkers("CompleteEvent", &SchedulingServiceImpl::CompleteEvent);
  ServeOnWorkers("CreateHold", &SchedulingServiceImpl::CreateHold);
  ServeOnWorkers("GetHold", &SchedulingServiceImpl::GetHold);
  ServeOnWorkers("ListHolds", &SchedulingServiceImpl::ListHolds);
  ServeOnWorkers("ConfirmHold", &SchedulingServiceImpl::ConfirmHold);
  ServeOnWorkers("ReleaseHold", &SchedulingServiceImpl::ReleaseHold);
  ServeOnWorkers("CreateBusyBlock", &SchedulingServiceImpl::CreateBusyBlock);
  ServeOnWorkers("ListBusyBlocks", &SchedulingServiceImpl::ListBusyBlocks);
  ServeOnWorkers("DeleteBusyBlock", &SchedulingServiceImpl::DeleteBusyBlock);
  ServeOnWorkers("FindSlots", &SchedulingServiceImpl::FindSlots);
  ServeOnWorkers("ExportCalendar", &SchedulingServiceImpl::ExportCalendar);
}

}  // namespace fieldwork::scheduling
