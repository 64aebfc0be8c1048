// fieldwork.common.v1.AuditService as every server serves it: ListAuditEntries over the server's
// own audit stream of one organization, newest first, filtered, in pages resumed by an opaque
// token. Admin and org-admin only (the permission table entry kListAuditEntriesMethod).
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_

#include "absl/time/time.h"
#include "common/audit/audit_store.h"
#include "common/auth.h"
#include "fieldwork/common/v1/audit_service.grpc.pb.h"

namespace fieldwork {

class AuditServiceImpl final : public fieldwork::common::v1::AuditService::Service {
 public:
  // Stream entries read per Redis call while filling a page.
  static constexpr int kScanChunk = 500;

  // Both outlive the service.
  AuditServiceImpl(const Authorizer* authorizer, const AuditStore* store)
      : authorizer_(authorizer), store_(store) {}

  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const fieldwork::common::v1::ListAuditEntriesRequest* request,
                                fieldwork::common::v1::ListAuditEntriesResponse* response) override;

 private:
  const Authorizer* const authorizer_;
  const AuditStore* const store_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_SERVICE_H_
