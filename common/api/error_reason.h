// The machine-readable reason (fieldwork.common.v1.ErrorInfo, domain "fieldwork.<service>") that
// every service's errors carry beside their canonical code, so clients branch on it, not on
// messages.
#ifndef FIELDWORK_COMMON_API_ERROR_REASON_H_
#define FIELDWORK_COMMON_API_ERROR_REASON_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "fieldwork/common/v1/error.pb.h"

namespace fieldwork {

// Names the ErrorInfo domain of this process ("fieldwork.<service>"); the server runner calls it
// once at startup, before any thread starts. Until then the domain is "fieldwork".
void SetErrorDomain(std::string domain);

// `status` with an ErrorInfo naming `reason` (replacing an earlier one); OK stays OK.
absl::Status WithReason(absl::Status status, fieldwork::common::v1::ErrorReason reason,
                        const std::map<std::string, std::string>& metadata = {});

// The ErrorInfo a status carries, if any (tests and clients).
std::optional<fieldwork::common::v1::ErrorInfo> GetErrorInfo(const absl::Status& status);

// The reason that goes with the common failures of the stores: INVALID_ARGUMENT → FIELD_INVALID,
// the lock conflicts of calendar_lock.h →
// LOCK_TIMEOUT / LOCK_LOST, UNAVAILABLE and DEADLINE_EXCEEDED from Redis → STORE_UNAVAILABLE.
// Statuses that already carry a reason keep it.
absl::Status WithDefaultReason(absl::Status status);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_ERROR_REASON_H_
