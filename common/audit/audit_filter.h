// The filters of ListAuditEntries (audit_service.proto) as one value, checked once, and the match
// of one entry against them. Pure: no I/O.
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_FILTER_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_FILTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "fieldwork/common/v1/audit.pb.h"
#include "fieldwork/common/v1/audit_service.pb.h"

namespace fieldwork {

struct AuditQuery {
  std::string organization;  // the id of the request's parent
  int page_size = 0;         // resolved: 1–1000
  Interval time_range{absl::InfinitePast(), absl::InfiniteFuture()};  // [start, end)
  std::string subject;   // "" for all; matches the caller or the original caller
  std::string method;    // "" for all
  std::string resource;  // "" for all; the name itself or a name beneath it
  bool failures_only = false;
};

// ListAuditEntries pages: 0 → 100, at most 1000.
inline constexpr int kDefaultAuditPageSize = 100;
inline constexpr int kMaxAuditPageSize = 1000;

// The query of `request`; INVALID_ARGUMENT naming every bad field (parent, page_size, time_range,
// subject, method, resource). The page token is checked by the caller.
absl::StatusOr<AuditQuery> ParseAuditQuery(
    const fieldwork::common::v1::ListAuditEntriesRequest& request);

// Whether `entry` passes every filter of `query`.
bool MatchesAuditQuery(const fieldwork::common::v1::AuditEntry& entry, const AuditQuery& query);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_FILTER_H_
