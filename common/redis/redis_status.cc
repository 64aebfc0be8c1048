// Mapping Redis error replies and script business errors to absl::Status.
#include "common/redis/redis_status.h"

#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace fieldwork {
namespace {

struct ConflictSpelling {
  RedisConflict conflict;
  absl::string_view script_prefix;   // what a Lua script returns, followed by the key
  absl::string_view message_prefix;  // what the status says, followed by the key
  absl::string_view payload_kind;
};

constexpr ConflictSpelling kConflicts[] = {
    {RedisConflict::kCalendarBusy, "FW_BUSY ", "calendar busy: ", "calendar_busy"},
    {RedisConflict::kLockLost, "FW_LOCK_LOST ", "lock lost on ", "lock_lost"},
    {RedisConflict::kPreconditionFailed, "FW_PRECONDITION ", "precondition failed on ",
     "precondition_failed"},
};

const ConflictSpelling& SpellingOf(RedisConflict conflict) {
  for (const ConflictSpelling& spelling : kConflicts) {
    if (spelling.conflict == conflict) return spelling;
  }
  return kConflicts[0];
}

// (kind, key) from the payload of a conflict status.
std::optional<std::pair<std::string, std::string>> ConflictPayload(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kAborted) return std::nullopt;
  absl::optional<absl::Cord> payload = status.GetPayload(kConflictPayloadUrl);
  if (!payload) return std::nullopt;
  const std::string text(*payload);
  const size_t newline = text.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  return std::make_pair(text.substr(0, newline), text.substr(newline + 1));
}

bool IsConflict(const absl::Status& status, RedisConflict conflict) {
  std::optional<std::pair<std::string, std::string>> payload = ConflictPayload(status);
  return payload && payload->first == SpellingOf(conflict).payload_kind;
}

// Error codes with which Redis says it cannot serve the command right now.
constexpr absl::string_view kUnavailableCodes[] = {
    "LOADING",     "BUSY",    "MASTERDOWN", "READONLY",   "TRYAGAIN",
    "CLUSTERDOWN", "MISCONF", "OOM",        "NOREPLICAS",
};

}  // namespace

absl::Status RedisConflictError(RedisConflict conflict, absl::string_view key,
                                absl::string_view detail) {
  const ConflictSpelling& spelling = SpellingOf(conflict);
  absl::Status status = absl::AbortedError(absl::StrCat(
      spelling.message_prefix, key, detail.empty() ? "" : absl::StrCat(" (", detail, ")")));
  status.SetPayload(kConflictPayloadUrl,
                    absl::Cord(absl::StrCat(spelling.payload_kind, "\n", key)));
  return status;
}

bool IsCalendarBusy(const absl::Status& status) {
  return IsConflict(status, RedisConflict::kCalendarBusy);
}

bool IsLockLost(const absl::Status& status) { return IsConflict(status, RedisConflict::kLockLost); }

bool IsPreconditionFailed(const absl::Status& status) {
  return IsConflict(status, RedisConflict::kPreconditionFailed);
}

std::string ConflictKey(const absl::Status& status) {
  std::optional<std::pair<std::string, std::string>> payload = ConflictPayload(status);
  return payload ? payload->second : std::string();
}

absl::Status StatusFromErrorReply(absl::string_view message) {
  for (const ConflictSpelling& spelling : kConflicts) {
    if (absl::StartsWith(message, spelling.script_prefix)) {
      return RedisConflictError(spelling.conflict, message.substr(spelling.script_prefix.size()));
    }
  }
  if (absl::StartsWith(message, "FW_")) {
    return absl::InternalError(absl::StrCat("redis script refused: ", message));
  }
  const absl::string_view code = message.substr(0, message.find(' '));
  for (absl::string_view unavailable : kUnavailableCodes) {
    if (code == unavailable) {
      return absl::UnavailableError(absl::StrCat("redis cannot serve now: ", message));
    }
  }
  return absl::InternalError(absl::StrCat("redis error: ", message));
}

}  // namespace fieldwork
