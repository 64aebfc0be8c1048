// The SchedulingService: one class whose RPCs are defined by area in *_handlers.cc files
// (organizations, events, holds, busy blocks, slots, watch, calendar export). Handlers stay thin:
// authorize, validate, call the store and the pure domain logic, encode.
#ifndef FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
#define FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

namespace v1 = ::fieldwork::scheduling::v1;

class SchedulingServiceImpl final : public v1::SchedulingService::Service {
 public:
  explicit SchedulingServiceImpl(const SchedulingDeps& deps) : deps_(deps) {}

  // organization_handlers.cc
  grpc::Status CreateOrganization(grpc::ServerContext* context,
                                  const v1::CreateOrganizationRequest* request,
                                  v1::Organization* response) override;
  grpc::Status GetOrganization(grpc::ServerContext* context,
                               const v1::GetOrganizationRequest* request,
                               v1::Organization* response) override;
  grpc::Status ListOrganizations(grpc::ServerContext* context,
                                 const v1::ListOrganizationsRequest* request,
                                 v1::ListOrganizationsResponse* response) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* context,
                                  const v1::UpdateOrganizationRequest* request,
                                  v1::Organization* response) override;
  // event_handlers.cc
  grpc::Status CreateEvent(grpc::ServerContext* context, const v1::CreateEventRequest* request,
                           v1::CreateEventResponse* response) override;
  grpc::Status GetEvent(grpc::ServerContext* context, const v1::GetEventRequest* request,
                        v1::Event* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override;
  grpc::Status UpdateEvent(grpc::ServerContext* context, const v1::UpdateEventRequest* request,
                           v1::UpdateEventResponse* response) override;
  grpc::Status ScheduleEvent(grpc::ServerContext* context, const v1::ScheduleEventRequest* request,
                             v1::ScheduleEventResponse* response) override;
  grpc::Status CancelEvent(grpc::ServerContext* context, const v1::CancelEventRequest* request,
                           v1::Event* response) override;
  grpc::Status CompleteEvent(grpc::ServerContext* context, const v1::CompleteEventRequest* request,
                             v1::Event* response) override;
  // hold_handlers.cc
  grpc::Status CreateHold(grpc::ServerContext* context, const v1::CreateHoldRequest* request,
                          v1::Hold* response) override;
  grpc::Status GetHold(grpc::ServerContext* context, const v1::GetHoldRequest* request,
                       v1::Hold* response) override;
  grpc::Status ListHolds(grpc::ServerContext* context, const v1::ListHoldsRequest* request,
                         v1::ListHoldsResponse* response) override;
  grpc::Status ConfirmHold(grpc::ServerContext* context, const v1::ConfirmHoldRequest* request,
                           v1::ConfirmHoldResponse* response) override;
  grpc::Status ReleaseHold(grpc::ServerContext* context, const v1::ReleaseHoldRequest* request,
                           v1::Hold* response) override;
  // busy_block_handlers.cc
  grpc::Status CreateBusyBlock(grpc::ServerContext* context,
                               const v1::CreateBusyBlockRequest* request,
                               v1::BusyBlock* response) override;
  grpc::Status ListBusyBlocks(grpc::ServerContext* context,
                              const v1::ListBusyBlocksRequest* request,
                              v1::ListBusyBlocksResponse* response) override;
  grpc::Status DeleteBusyBlock(grpc::ServerContext* context,
                               const v1::DeleteBusyBlockRequest* request,
                               google::protobuf::Empty* response) override;
  // slot_handlers.cc
  grpc::Status FindSlots(grpc::ServerContext* context, const v1::FindSlotsRequest* request,
                         v1::FindSlotsResponse* response) override;
  // calendar_export_handlers.cc
  grpc::Status ExportCalendar(grpc::ServerContext* context,
                              const v1::ExportCalendarRequest* request,
                              v1::ExportCalendarResponse* response) override;
  // watch_handlers.cc
  grpc::Status WatchChanges(grpc::ServerContext* context, const v1::WatchChangesRequest* request,
                            grpc::ServerWriter<v1::WatchChangesResponse>* writer) override;

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
