// The RosterService: members, units and venues of an organization, and bulk member import. The
// RPCs are defined by resource in member_handlers.cc, member_import_handler.cc,
// unit_handlers.cc and venue_handlers.cc; handlers stay thin (authorize, validate, call the
// roster store, encode).
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

class RosterServiceImpl final : public ::fieldwork::scheduling::v1::RosterService::Service {
 public:
  using Empty = ::google::protobuf::Empty;

  explicit RosterServiceImpl(const SchedulingDeps& deps) : deps_(deps) {}

  // member_handlers.cc
  grpc::Status CreateMember(grpc::ServerContext* context, const v1::CreateMemberRequest* request,
                            v1::Member* response) override;
  grpc::Status GetMember(grpc::ServerContext* context, const v1::GetMemberRequest* request,
                         v1::Member* response) override;
  grpc::Status ListMembers(grpc::ServerContext* context, const v1::ListMembersRequest* request,
                           v1::ListMembersResponse* response) override;
  grpc::Status UpdateMember(grpc::ServerContext* context, const v1::UpdateMemberRequest* request,
                            v1::Member* response) override;
  grpc::Status DeleteMember(grpc::ServerContext* context, const v1::DeleteMemberRequest* request,
                            Empty* response) override;
  // member_import_handler.cc
  grpc::Status ImportMembers(grpc::ServerContext* context, const v1::ImportMembersRequest* request,
                             v1::ImportMembersResponse* response) override;
  // unit_handlers.cc
  grpc::Status CreateUnit(grpc::ServerContext* context, const v1::CreateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status GetUnit(grpc::ServerContext* context, const v1::GetUnitRequest* request,
                       v1::Unit* response) override;
  grpc::Status ListUnits(grpc::ServerContext* context, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;
  grpc::Status UpdateUnit(grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status DeleteUnit(grpc::ServerContext* context, const v1::DeleteUnitRequest* request,
                          Empty* response) override;
  // venue_handlers.cc
  grpc::Status CreateVenue(grpc::ServerContext* context, const v1::CreateVenueRequest* request,
                           v1::Venue* response) override;
  grpc::Status GetVenue(grpc::ServerContext* context, const v1::GetVenueRequest* request,
                        v1::Venue* response) override;
  grpc::Status ListVenues(grpc::ServerContext* context, const v1::ListVenuesRequest* request,
                          v1::ListVenuesResponse* response) override;
  grpc::Status UpdateVenue(grpc::ServerContext* context, const v1::UpdateVenueRequest* request,
                           v1::Venue* response) override;
  grpc::Status DeleteVenue(grpc::ServerContext* context, const v1::DeleteVenueRequest* request,
                           Empty* response) override;

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_SERVICE_H_
