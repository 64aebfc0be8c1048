// The SchedulingService: one class whose RPCs are defined by area in *_handlers.cc files
// (organizations, events, holds, busy blocks, slots, watch, calendar export). Handlers stay thin:
// authorize, validate, call the store and the pure domain logic, encode.
#ifndef FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
#define FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "common/pooled_service.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/scheduling_deps.h"

namespace fieldwork::scheduling {

namespace v1 = ::fieldwork::scheduling::v1;

class SchedulingServiceImpl final : public PooledService<v1::SchedulingService> {
 public:
  explicit SchedulingServiceImpl(const SchedulingDeps& deps);  // scheduling_service.cc

  // organization_handlers.cc
  grpc::Status CreateOrganization(grpc::ServerContextBase* context,
                                  const v1::CreateOrganizationRequest* request,
                                  v1::Organization* response);
  grpc::Status GetOrganization(grpc::ServerContextBase* context,
                               const v1::GetOrganizationRequest* request,
                               v1::Organization* response);
  grpc::Status ListOrganizations(grpc::ServerContextBase* context,
                                 const v1::ListOrganizationsRequest* request,
                                 v1::ListOrganizationsResponse* response);
  grpc::Status UpdateOrganization(grpc::ServerContextBase* context,
                                  const v1::UpdateOrganizationRequest* request,
                                  v1::Organization* response);
  // event_handlers.cc
  grpc::Status CreateEvent(grpc::ServerContextBase* context, const v1::CreateEventRequest* request,
                           v1::CreateEventResponse* response);
  // Waits for nothing: the event is read through RedisClient::PipelineAsync.
  void GetEvent(grpc::CallbackServerContext* context, const v1::GetEventRequest* request,
                v1::Event* response, CallDone done);
  grpc::Status ListEvents(grpc::ServerContextBase* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response);
  grpc::Status UpdateEvent(grpc::ServerContextBase* context, const v1::UpdateEventRequest* request,
                           v1::UpdateEventResponse* response);
  grpc::Status ScheduleEvent(grpc::ServerContextBase* context,
                             const v1::ScheduleEventRequest* request,
                             v1::ScheduleEventResponse* response);
  grpc::Status CancelEvent(grpc::ServerContextBase* context, const v1::CancelEventRequest* request,
                           v1::Event* response);
  grpc::Status CompleteEvent(grpc::ServerContextBase* context,
                             const v1::CompleteEventRequest* request, v1::Event* response);
  // hold_handlers.cc
  grpc::Status CreateHold(grpc::ServerContextBase* context, const v1::CreateHoldRequest* request,
                          v1::Hold* response);
  grpc::Status GetHold(grpc::ServerContextBase* context, const v1::GetHoldRequest* request,
                       v1::Hold* response);
  grpc::Status ListHolds(grpc::ServerContextBase* context, const v1::ListHoldsRequest* request,
                         v1::ListHoldsResponse* response);
  grpc::Status ConfirmHold(grpc::ServerContextBase* context, const v1::ConfirmHoldRequest* request,
                           v1::ConfirmHoldResponse* response);
  grpc::Status ReleaseHold(grpc::ServerContextBase* context, const v1::ReleaseHoldRequest* request,
                           v1::Hold* response);
  // busy_block_handlers.cc
  grpc::Status CreateBusyBlock(grpc::ServerContextBase* context,
                               const v1::CreateBusyBlockRequest* request, v1::BusyBlock* response);
  grpc::Status ListBusyBlocks(grpc::ServerContextBase* context,
                              const v1::ListBusyBlocksRequest* request,
                              v1::ListBusyBlocksResponse* response);
  grpc::Status DeleteBusyBlock(grpc::ServerContextBase* context,
                               const v1::DeleteBusyBlockRequest* request,
                               google::protobuf::Empty* response);
  // slot_handlers.cc
  grpc::Status FindSlots(grpc::ServerContextBase* context, const v1::FindSlotsRequest* request,
                         v1::FindSlotsResponse* response);
  // calendar_export_handlers.cc
  grpc::Status ExportCalendar(grpc::ServerContextBase* context,
                              const v1::ExportCalendarRequest* request,
                              v1::ExportCalendarResponse* response);
  // watch_handlers.cc
  grpc::Status WatchChanges(grpc::ServerContext* context, const v1::WatchChangesRequest* request,
                            grpc::ServerWriter<v1::WatchChangesResponse>* writer) override;

 private:
  const SchedulingDeps& deps_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
