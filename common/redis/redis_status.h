// How Redis outcomes become absl::Status: error replies, the business errors fieldwork's Lua
// scripts return ("FW_…"), and the conflict statuses of calendar locks and atomic writes with the
// predicates callers use to tell them apart.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_STATUS_H_
#define FIELDWORK_COMMON_REDIS_REDIS_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fieldwork {

// The concurrency conflicts of calendar locks and atomic writes. All are ABORTED (retry the whole
// operation after re-reading); the kind and the key travel in a status payload under
// kConflictPayloadUrl, so callers test them with the predicates below, not by parsing messages.
enum class RedisConflict {
  kCalendarBusy,        // "calendar busy: <key>": a lock stayed taken until the wait deadline
  kLockLost,            // "lock lost on <key>": a held lock expired or was taken over
  kPreconditionFailed,  // "precondition failed on <key>": an atomic write's expectation did not
                        // hold
};

inline constexpr absl::string_view kConflictPayloadUrl =
    "type.fieldwork.dev/fieldwork.redis.Conflict";

// ABORTED with the message and payload of `conflict` on `key`; `detail`, when given, is appended
// in parentheses.
absl::Status RedisConflictError(RedisConflict conflict, absl::string_view key,
                                absl::string_view detail = "");

bool IsCalendarBusy(const absl::Status& status);
bool IsLockLost(const absl::Status& status);
bool IsPreconditionFailed(const absl::Status& status);
// The key a conflict status names; empty when `status` is not a conflict.
std::string ConflictKey(const absl::Status& status);

// The status for a Redis error reply:
//  - "FW_BUSY k", "FW_LOCK_LOST k", "FW_PRECONDITION k" (fieldwork scripts) → the conflicts above;
//  - other "FW_…" script errors → INTERNAL;
//  - LOADING, BUSY, MASTERDOWN, READONLY, TRYAGAIN, CLUSTERDOWN, MISCONF, OOM, NOREPLICAS (Redis
//    cannot serve right now) → UNAVAILABLE;
//  - everything else (WRONGTYPE, ERR …) → INTERNAL with the message.
absl::Status StatusFromErrorReply(absl::string_view message);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_STATUS_H_
