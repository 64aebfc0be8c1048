// fieldwork.common.v1.AuditService as every server serves it: ListAuditEntries over the server's
// own audit stream of one organization, newest first, filtered, in pages resumed by an opaque
// token. Admin and org-admin only (the permission table entry kListAuditEntriesMethod).
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_

#include "absl/time/time.h"
#include "common/audit/audit_store.h"
#include "common/auth.h"
#include "common/pooled_service.h"
#include "fieldwork/common/v1/audit_service.grpc.pb.h"

namespace fieldwork {

class AuditServiceImpl final : public PooledService<fieldwork::common::v1::AuditService> {
 public:
  // Stream entries read per Redis call while filling a page.
  static constexpr int kScanChunk = 500;

  // Both outlive the service.
  AuditServiceImpl(const Authorizer* authorizer, const AuditStore* store)
      : authorizer_(authorizer), store_(store) {
    ServeOnWorkers("ListAuditEntries", &AuditServiceImpl::ListAuditEntries);
  }

  grpc::Status ListAuditEntries(grpc::ServerContextBase* context,
                                const fieldwork::common::v1::ListAuditEntriesRequest* request,
                                fieldwork::common::v1::ListAuditEntriesResponse* response);

 private:
  const Authorizer* const authorizer_;
  const AuditStore* const store_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_
