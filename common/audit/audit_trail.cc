// Wires the audit store, recorder and service into a server runner (see audit_trail.h).
#include "common/audit/audit_trail.h"

#include "fieldwork/common/v1/audit_service.grpc.pb.h"

namespace fieldwork {

AuditTrail::AuditTrail(ServerRunner& runner, RedisClient* redis)
    : store_(redis, runner.config().service, runner.config().audit_max_entries),
      service_(&runner.authorizer(), &store_),
      recorder_(&store_) {
  runner.SetCallObserver(&recorder_);
  runner.AddService<fieldwork::common::v1::AuditService>(&service_);
}

}  // namespace fieldwork
