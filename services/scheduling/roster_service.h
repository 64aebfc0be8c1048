// The RosterService: members, units and venues of an organization, and bulk member import. The
// RPCs are defined by resource in member_handlers.cc, member_import_handler.cc,
// unit_handlers.cc and venue_handlers.cc; handlers stay thin (authorize, validate, call the
// roster store, encode).
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "common/pooled_service.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

class RosterServiceImpl final : public PooledService<::fieldwork::scheduling::v1::RosterService> {
 public:
  using Empty = ::google::protobuf::Empty;

  explicit RosterServiceImpl(const SchedulingDeps& deps);  // roster_service.cc

  // member_handlers.cc
  grpc::Status CreateMember(grpc::ServerContextBase* context,
                            const v1::CreateMemberRequest* request, v1::Member* response);
  grpc::Status GetMember(grpc::ServerContextBase* context, const v1::GetMemberRequest* request,
                         v1::Member* response);
  grpc::Status ListMembers(grpc::ServerContextBase* context, const v1::ListMembersRequest* request,
                           v1::ListMembersResponse* response);
  grpc::Status UpdateMember(grpc::ServerContextBase* context,
                            const v1::UpdateMemberRequest* request, v1::Member* response);
  grpc::Status DeleteMember(grpc::ServerContextBase* context,
                            const v1::DeleteMemberRequest* request, Empty* response);
  // member_import_handler.cc
  grpc::Status ImportMembers(grpc::ServerContextBase* context,
                             const v1::ImportMembersRequest* request,
                             v1::ImportMembersResponse* response);
  // unit_handlers.cc
  grpc::Status CreateUnit(grpc::ServerContextBase* context, const v1::CreateUnitRequest* request,
                          v1::Unit* response);
  grpc::Status GetUnit(grpc::ServerContextBase* context, const v1::GetUnitRequest* request,
                       v1::Unit* response);
  grpc::Status ListUnits(grpc::ServerContextBase* context, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response);
  grpc::Status UpdateUnit(grpc::ServerContextBase* context, const v1::UpdateUnitRequest* request,
                          v1::Unit* response);
  grpc::Status DeleteUnit(grpc::ServerContextBase* context, const v1::DeleteUnitRequest* request,
                          Empty* response);
  // venue_handlers.cc
  grpc::Status CreateVenue(grpc::ServerContextBase* context, const v1::CreateVenueRequest* request,
                           v1::Venue* response);
  grpc::Status GetVenue(grpc::ServerContextBase* context, const v1::GetVenueRequest* request,
                        v1::Venue* response);
  grpc::Status ListVenues(grpc::ServerContextBase* context, const v1::ListVenuesRequest* request,
                          v1::ListVenuesResponse* response);
  grpc::Status UpdateVenue(grpc::ServerContextBase* context, const v1::UpdateVenueRequest* request,
                           v1::Venue* response);
  grpc::Status DeleteVenue(grpc::ServerContextBase* context, const v1::DeleteVenueRequest* request,
                           Empty* response);

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_
