// The atomic write script and the encoding of preconditions and write ops into KEYS and ARGV.
#include "common/redis/atomic_write.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/redis/hash_tag.h"
#include "common/redis/script.h"

namespace fieldwork {
namespace {

// The `#!lua` line declares the script with flags (Redis 7), so Redis refuses it up front when out
// of memory or unable to persist, rather than failing a write half-way through.
const Script& AtomicWriteScript() {
  static const Script* const script = new Script("atomic_write", R"lua(#!lua
-- KEYS: fence keys, then one key per precondition, then one key per op.
-- ARGV: fence count, precondition count, op count, fence token; then kind and value per
-- precondition; then per op its command, its argument count and its arguments.
local nfence, npre, nops = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, nfence do
  if redis.call('GET', KEYS[i]) ~= ARGV[4] then
    return redis.error_reply('FW_LOCK_LOST ' .. KEYS[i])
  end
end
local a = 5
for i = 1, npre do
  local key, kind, want = KEYS[nfence + i], ARGV[a], ARGV[a + 1]
  a = a + 2
  local holds
  if kind == 'equals' then
    holds = redis.call('GET', key) == want
  else
    holds = (redis.call('EXISTS', key) == 1) == (kind == 'exists')
  end
  if not holds then
    return redis.error_reply('FW_PRECONDITION ' .. key)
  end
end
-- Check every op against the type its key will have when the op runs, so none fails half-way.
local needs = {ZADD = 'zset', ZREM = 'zset', HSET = 'hash', HDEL = 'hash', SADD = 'set',
               SREM = 'set', XADD = 'stream', INCR = 'string', SET = false, DEL = false,
               PEXPIRE = false}
local makes = {ZADD = 'zset', HSET = 'hash', SADD = 'set', XADD = 'stream', INCR = 'string',
               SET = 'string', DEL = 'none'}
local types, strings, ops = {}, {}, {}
for i = 1, nops do
  local key, command, n = KEYS[nfence + npre + i], ARGV[a], tonumber(ARGV[a + 1])
  local op = {command, key}
  for j = 1, n do
    op[j + 2] = ARGV[a + 1 + j]
  end
  a = a + 2 + n
  if needs[command] == nil then
    return redis.error_reply('FW_BAD_OP ' .. command)
  end
  if types[key] == nil then
    types[key] = redis.call('TYPE', key)['ok']
  end
  local have = types[key]
  if needs[command] and have ~= 'none' and have ~= needs[command] then
    return redis.error_reply('FW_WRONG_TYPE ' .. command .. ' on ' .. key .. ' holding a ' .. have)
  end
  if command == 'INCR' and have == 'string' then
    local current = strings[key] or redis.call('GET', key)
    if not string.match(current, '^%-?%d+$') then
      return redis.error_reply('FW_NOT_INTEGER INCR on ' .. key)
    end
  end
  types[key] = makes[command] or have
  if command == 'SET' then
    strings[key] = op[3]
  elseif command == 'INCR' then
    strings[key] = '0'
  elseif command == 'DEL' then
    strings[key] = nil
  end
  ops[i] = op
end
local replies = {}
for i = 1, nops do
  replies[i] = redis.call(unpack(ops[i]))
end
return replies
)lua");
  return *script;
}

std::string Milliseconds(absl::Duration duration) {
  return absl::StrCat(absl::ToInt64Milliseconds(duration));
}

std::string TtlProblem(absl::Duration ttl) {
  return ttl >= absl::Milliseconds(1)
             ? ""
             : absl::StrCat("TTL must be at least 1ms, got ", absl::FormatDuration(ttl));
}

}  // namespace

WriteOp WriteOp::Set(std::string key, std::string value) {
  return WriteOp("SET", std::move(key), {std::move(value)});
}

WriteOp WriteOp::SetWithTtl(std::string key, std::string value, absl::Duration ttl) {
  return WriteOp("SET", std::move(key), {std::move(value), "PX", Milliseconds(ttl)},
                 TtlProblem(ttl));
}

WriteOp WriteOp::Del(std::string key) { return WriteOp("DEL", std::move(key), {}); }

WriteOp WriteOp::ZAdd(std::string key, double score, std::string member) {
  return WriteOp("ZADD", std::move(key), {absl::StrFormat("%.17g", score), std::move(member)},
                 std::isfinite(score) ? "" : absl::StrCat("score ", score, " is not finite"));
}

WriteOp WriteOp::ZRem(std::string key, std::string member) {
  return WriteOp("ZREM", std::move(key), {std::move(member)});
}

WriteOp WriteOp::HSet(std::string key, std::string field, std::string value) {
  return WriteOp("HSET", std::move(key), {std::move(field), std::move(value)});
}

WriteOp WriteOp::HDel(std::string key, std::string field) {
  return WriteOp("HDEL", std::move(key), {std::move(field)});
}

WriteOp WriteOp::SAdd(std::string key, std::string member) {
  return WriteOp("SADD", std::move(key), {std::move(member)});
}

WriteOp WriteOp::SRem(std::string key, std::string member) {
  return WriteOp("SREM", std::move(key), {std::move(member)});
}

WriteOp WriteOp::XAdd(std::string key, int64_t max_length,
                      std::vector<std::pair<std::string, std::string>> fields) {
  std::string problem;
  if (max_length < 0) problem = absl::StrCat("stream MAXLEN ", max_length, " is negative");
  if (fields.empty()) problem = "a stream entry needs at least one field";
  std::vector<std::string> args = {"MAXLEN", "~", absl::StrCat(max_length), "*"};
  for (auto& [field, value] : fields) {
    args.push_back(std::move(field));
    args.push_back(std::move(value));
  }
  return WriteOp("XADD", std::move(key), std::move(args), std::move(problem));
}

WriteOp WriteOp::PExpire(std::string key, absl::Duration ttl) {
  return WriteOp("PEXPIRE", std::move(key), {Milliseconds(ttl)}, TtlProblem(ttl));
}

WriteOp WriteOp::Incr(std::string key) { return WriteOp("INCR", std::move(key), {}); }

absl::Status WriteOp::Validate() const {
  if (problem_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(command_, " on ", key_, ": ", problem_));
}

Precondition Precondition::ValueEquals(std::string key, std::string value) {
  return Precondition("equals", std::move(key), std::move(value));
}

Precondition Precondition::Absent(std::string key) {
  return Precondition("absent", std::move(key), "");
}

Precondition Precondition::Exists(std::string key) {
  return Precondition("exists", std::move(key), "");
}

namespace {

// The script's KEYS and ARGV for `write`.
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

absl::StatusOr<ScriptCall> AtomicWriteCall(const AtomicWrite& write, const LockFence* fence) {
  const size_t fence_size = fence == nullptr ? 0 : fence->keys.size();
  ScriptCall call;
  call.args = {absl::StrCat(fence_size), absl::StrCat(write.preconditions.size()),
               absl::StrCat(write.ops.size()), fence == nullptr ? "" : fence->token};
  if (fence != nullptr) call.keys = fence->keys;
  for (const Precondition& precondition : write.preconditions) {
    call.keys.push_back(precondition.key());
    call.args.push_back(precondition.kind());
    call.args.push_back(precondition.value());
  }
  for (const WriteOp& op : write.ops) {
    if (absl::Status valid = op.Validate(); !valid.ok()) return valid;
    call.keys.push_back(op.key());
    call.args.push_back(op.command());
    call.args.push_back(absl::StrCat(op.args().size()));
    call.args.insert(call.args.end(), op.args().begin(), op.args().end());
  }
  if (!call.keys.empty()) {
    if (absl::Status one_tag = CheckOneHashTag(call.keys); !one_tag.ok()) return one_tag;
  }
  return call;
}

}  // namespace

absl::StatusOr<std::vector<RedisReply>> ApplyAtomicWrite(RedisClient& client,
                                                         const AtomicWrite& write,
                                                         absl::Time deadline,
                                                         const LockFence* fence) {
  absl::StatusOr<ScriptCall> call = AtomicWriteCall(write, fence);
  if (!call.ok()) return call.status();
  if (call->keys.empty()) return std::vector<RedisReply>();
  absl::StatusOr<RedisReply> reply =
      client.Eval(AtomicWriteScript(), call->keys, call->args, deadline);
  if (!reply.ok()) return reply.status();
  return reply->elements();
}

void ApplyAtomicWriteAsync(RedisClient& client, const AtomicWrite& write, absl::Time deadline,
                           AtomicWriteDone done) {
  absl::StatusOr<ScriptCall> call = AtomicWriteCall(write, nullptr);
  if (!call.ok()) return std::move(done)(call.status());
  if (call->keys.empty()) return std::move(done)(std::vector<RedisReply>());
  client.EvalAsync(AtomicWriteScript(), call->keys, call->args, deadline,
                   [done = std::move(done)](absl::StatusOr<RedisReply> reply) mutable {
                     if (!reply.ok()) return std::move(done)(reply.status());
                     std::move(done)(reply->elements());
                   });
}

}  // namespace fieldwork
