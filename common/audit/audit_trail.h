// A server's audit trail in one object: the store of its streams, the recorder the runner's
// interceptor feeds with every finished call, and the AuditService it serves. A service's main.cc
// builds one after the runner and before Run, and keeps it until Run returns (its destructor
// writes the entries still queued):
//
//   fieldwork::AuditTrail audit(**runner, redis->get());
//   return ExitCode((*runner)->Run());
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_TRAIL_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_TRAIL_H_

#include "common/audit/audit_recorder.h"
#include "common/audit/audit_service.h"
#include "common/audit/audit_store.h"
#include "common/redis/redis_client.h"
#include "common/server_runner.h"

namespace fieldwork {

class AuditTrail {
 public:
  // Streams named after the runner's service, capped at its --audit-max-entries. `runner` and
  // `redis` outlive the trail.
  AuditTrail(ServerRunner& runner, RedisClient* redis);

 private:
  const AuditStore store_;
  AuditServiceImpl service_;
  AuditRecorder recorder_;  // last: destroyed (and flushed) first
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_TRAIL_H_
