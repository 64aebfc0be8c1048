// Key positions and read-only-ness of Redis commands, by command name.
#include "common/redis/command_keys.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/hash_tag.h"

namespace fieldwork {
namespace {

std::string Name(const RedisCommand& command) {
  return command.empty() ? std::string() : absl::AsciiStrToUpper(command.front());
}

const absl::flat_hash_set<std::string>& KeylessCommands() {
  static const auto* const kNames = new absl::flat_hash_set<std::string>{
      "ASKING",   "AUTH",     "BGSAVE", "CLIENT",   "CLUSTER",   "COMMAND", "CONFIG", "DBSIZE",
      "DEBUG",    "DISCARD",  "ECHO",   "EXEC",     "FLUSHALL",  "FLUSHDB", "HELLO",  "INFO",
      "LASTSAVE", "MULTI",    "PING",   "READONLY", "READWRITE", "ROLE",    "SAVE",   "SCRIPT",
      "SELECT",   "SENTINEL", "TIME",   "UNWATCH",  "WAIT",      "SCAN",    "KEYS",   "RANDOMKEY"};
  return *kNames;
}

const absl::flat_hash_set<std::string>& AllArgumentsAreKeys() {
  static const auto* const kNames = new absl::flat_hash_set<std::string>{
      "DEL", "EXISTS", "MGET", "SDIFF", "SINTER", "SUNION", "TOUCH", "UNLINK", "WATCH", "PFCOUNT"};
  return *kNames;
}

const absl::flat_hash_set<std::string>& ReadOnlyCommands() {
  static const auto* const kNames = new absl::flat_hash_set<std::string>{"ASKING",
                                                                         "CLUSTER",
                                                                         "SCRIPT",
                                                                         "SENTINEL",
                                                                         "DBSIZE",
                                                                         "ECHO",
                                                                         "EVALSHA_RO",
                                                                         "EVAL_RO",
                                                                         "EXISTS",
                                                                         "GET",
                                                                         "GETRANGE",
                                                                         "HEXISTS",
                                                                         "HGET",
                                                                         "HGETALL",
                                                                         "HKEYS",
                                                                         "HLEN",
                                                                         "HMGET",
                                                                         "HVALS",
                                                                         "INFO",
                                                                         "KEYS",
                                                                         "LINDEX",
                                                                         "LLEN",
                                                                         "LRANGE",
                                                                         "MGET",
                                                                         "PING",
                                                                         "PTTL",
                                                                         "ROLE",
                                                                         "SCAN",
                                                                         "SCARD",
                                                                         "SISMEMBER",
                                                                         "SMEMBERS",
                                                                         "STRLEN",
                                                                         "TIME",
                                                                         "TTL",
                                                                         "TYPE",
                                                                         "XINFO",
                                                                         "XLEN",
                                                                         "XRANGE",
                                                                         "XREAD",
                                                                         "XREVRANGE",
                                                                         "ZCARD",
                                                                         "ZCOUNT",
                                                                         "ZRANGE",
                                                                         "ZRANGEBYLEX",
                                                                         "ZRANGEBYSCORE",
                                                                         "ZRANK",
                                                                         "ZREVRANGE",
                                                                         "ZREVRANGEBYLEX",
                                                                         "ZREVRANGEBYSCORE",
                                                                         "ZSCORE",
                                                                         "ZMSCORE"};
  return *kNames;
}

// Arguments from `first` on, `count` of them (clamped to the command's length).
std::vector<std::string> Slice(const RedisCommand& command, size_t first, size_t count) {
  if (first >= command.size()) return {};
  const size_t last = std::min(command.size(), first + count);
  return std::vector<std::string>(command.begin() + first, command.begin() + last);
}

// Keys counted by a numkeys argument at `numkeys_index`, starting right after it.
std::vector<std::string> CountedKeys(const RedisCommand& command, size_t numkeys_index) {
  size_t count = 0;
  if (numkeys_index >= command.size() || !absl::SimpleAtoi(command[numkeys_index], &count)) {
    return {};
  }
  return Slice(command, numkeys_index + 1, count);
}

// XREAD/XREADGROUP: after STREAMS come the keys, then as many ids.
std::vector<std::string> StreamKeys(const RedisCommand& command) {
  for (size_t i = 1; i < command.size(); ++i) {
    if (absl::AsciiStrToUpper(command[i]) == "STREAMS") {
      return Slice(command, i + 1, (command.size() - i - 1) / 2);
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> CommandKeys(const RedisCommand& command) {
  const std::string name = Name(command);
  if (command.size() < 2 || KeylessCommands().contains(name)) return {};
  if (AllArgumentsAreKeys().contains(name)) return Slice(command, 1, command.size());
  if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" ||
      name == "FCALL" || name == "FCALL_RO") {
    return CountedKeys(command, 2);
  }
  if (name == "XREAD" || name == "XREADGROUP") return StreamKeys(command);
  if (name == "XINFO" || name == "XGROUP" || name == "OBJECT" || name == "MEMORY") {
    return Slice(command, 2, 1);
  }
  if (name == "MSET" || name == "MSETNX") {
    std::vector<std::string> keys;
    for (size_t i = 1; i < command.size(); i += 2) keys.push_back(command[i]);
    return keys;
  }
  if (name == "ZUNION" || name == "ZINTER" || name == "ZDIFF") return CountedKeys(command, 1);
  if (name == "ZUNIONSTORE" || name == "ZINTERSTORE" || name == "ZDIFFSTORE") {
    std::vector<std::string> keys = {command[1]};
    for (std::string& key : CountedKeys(command, 2)) keys.push_back(std::move(key));
    return keys;
  }
  return {command[1]};
}

bool CommandMayWrite(const RedisCommand& command) {
  const std::string name = Name(command);
  return !ReadOnlyCommands().contains(name) && name != "WAIT";
}

absl::StatusOr<int> BatchSlot(const std::vector<RedisCommand>& commands) {
  int slot = -1;
  std::string first_key;
  for (const RedisCommand& command : commands) {
    for (const std::string& key : CommandKeys(command)) {
      const int key_slot = KeySlot(key);
      if (slot < 0) {
        slot = key_slot;
        first_key = key;
      } else if (key_slot != slot) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Redis keys \"", first_key, "\" (slot ", slot, ") and \"", key, "\" (slot ", key_slot,
            ") are in different cluster slots; one pipeline or script must stay within one hash "
            "tag"));
      }
    }
  }
  return slot;
}

bool IsBroadcastCommand(const RedisCommand& command) {
  const std::string name = Name(command);
  if (name == "FLUSHALL" || name == "FLUSHDB") return true;
  if (name != "SCRIPT" || command.size() < 2) return false;
  const std::string sub = absl::AsciiStrToUpper(command[1]);
  return sub == "LOAD" || sub == "FLUSH";
}

}  // namespace fieldwork
