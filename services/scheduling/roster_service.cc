// The constructor: every unary RPC of the service runs on the shared call workers
// (common/pooled_service.h); the streaming ones stay on gRPC's synchronous server.
#include "services/scheduling/roster_service.h"

namespace fieldwork::scheduling {

RosterServiceImpl::RosterServiceImpl(const SchedulingDeps& deps) : deps_(deps) {
  ServeOnWorkers("CreateMember", &RosterServiceImpl::CreateMember);
  ServeOnWorkers("GetMember", &RosterServiceImpl::GetMember);
  ServeOnWorkers("ListMembers", &RosterServiceImpl::ListMembers);
  ServeOnWorkers("UpdateMember", &RosterServiceImpl::UpdateMember);
  ServeOnWorkers("DeleteMember", &RosterServiceImpl::DeleteMember);
  ServeOnWorkers("ImportMembers", &RosterServiceImpl::ImportMembers);
  ServeOnWorkers("CreateUnit", &RosterServiceImpl::CreateUnit);
  ServeOnWorkers("GetUnit", &RosterServiceImpl::GetUnit);
  ServeOnWorkers("ListUnits", &RosterServiceImpl::ListUnits);
  ServeOnWorkers("UpdateUnit", &RosterServiceImpl::UpdateUnit);
  ServeOnWorkers("DeleteUnit", &RosterServiceImpl::DeleteUnit);
  ServeOnWorkers("CreateVenue", &RosterServiceImpl::CreateVenue);
  ServeOnWorkers("GetVenue", &RosterServiceImpl::GetVenue);
  ServeOnWorkers("ListVenues", &RosterServiceImpl::ListVenues);
  ServeOnWorkers("UpdateVenue", &RosterServiceImpl::UpdateVenue);
  ServeOnWorkers("DeleteVenue", &RosterServiceImpl::DeleteVenue);
}

}  // namespace fieldwork::scheduling
