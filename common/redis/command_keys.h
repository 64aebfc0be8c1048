// What a Redis command touches, read from its arguments alone (no COMMAND round trip): the keys a
// Cluster client routes it by, and whether it may write (for WAIT). Covers the commands fieldwork
// sends; unknown commands are taken to have their key at argv[1] and to write.
#ifndef FIELDWORK_COMMON_REDIS_COMMAND_KEYS_H_
#define FIELDWORK_COMMON_REDIS_COMMAND_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace fieldwork {

// The keys of `command`, e.g. {"SET", k, v} → {k}; {"EVALSHA", sha, "2", k1, k2, a} → {k1, k2};
// {"XREAD", "BLOCK", "5", "STREAMS", k, "$"} → {k}; keyless commands (PING, SCRIPT, WAIT, …) → {}.
std::vector<std::string> CommandKeys(const RedisCommand& command);

// False only for commands known to be read-only (GET, ZRANGE, XREAD, PING, …); scripts count as
// writes.
bool CommandMayWrite(const RedisCommand& command);

// The one Redis Cluster slot every key of `commands` hashes to; -1 when no command has a key;
// INVALID_ARGUMENT naming two keys when they hash to different slots (a bug: fieldwork operations
// stay within one {org} hash tag).
absl::StatusOr<int> BatchSlot(const std::vector<RedisCommand>& commands);

// True for commands a Cluster client sends to every master rather than one (SCRIPT LOAD/FLUSH,
// FLUSHALL, FLUSHDB).
bool IsBroadcastCommand(const RedisCommand& command);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_COMMAND_KEYS_H_
