// Atomic writes: a list of expectations ("this key holds X", "this key does not exist") and a
// list of write operations applied by one Lua script run, so either every precondition holds and
// every write is applied, or nothing is written. With a lock fence the same script first checks
// that the writer still holds its calendar locks (DESIGN.md invariant 2). Keys go in KEYS and
// values in ARGV, so the script stays legal on Redis Cluster; all keys share one hash tag.
#ifndef FIELDWORK_COMMON_REDIS_ATOMIC_WRITE_H_
#define FIELDWORK_COMMON_REDIS_ATOMIC_WRITE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"

namespace fieldwork {

// One write on one key. Build it with the factories; each is the Redis command of the same name.
class WriteOp {
 public:
  static WriteOp Set(std::string key, std::string value);
  // SET key value PX ttl; `ttl` is at least one millisecond.
  static WriteOp SetWithTtl(std::string key, std::string value, absl::Duration ttl);
  static WriteOp Del(std::string key);
  // `score` must be finite.
  static WriteOp ZAdd(std::string key, double score, std::string member);
  static WriteOp ZRem(std::string key, std::string member);
  static WriteOp HSet(std::string key, std::string field, std::string value);
  static WriteOp HDel(std::string key, std::string field);
  static WriteOp SAdd(std::string key, std::string member);
  static WriteOp SRem(std::string key, std::string member);
  // XADD key MAXLEN ~ max_length * field value …; `fields` is not empty.
  static WriteOp XAdd(std::string key, int64_t max_length,
                      std::vector<std::pair<std::string, std::string>> fields);
  // `ttl` is at least one millisecond.
  static WriteOp PExpire(std::string key, absl::Duration ttl);
  static WriteOp Incr(std::string key);

  const std::string& command() const { return command_; }
  const std::string& key() const { return key_; }
  // The arguments after the key, as sent to Redis.
  const std::vector<std::string>& args() const { return args_; }
  // INVALID_ARGUMENT when a factory was given a value Redis would reject (e.g. a NaN score).
  absl::Status Validate() const;

 private:
  WriteOp(std::string command, std::string key, std::vector<std::string> args,
          std::string problem = "")
      : command_(std::move(command)),
        key_(std::move(key)),
        args_(std::move(args)),
        problem_(std::move(problem)) {}

  std::string command_;
  std::string key_;
  std::vector<std::string> args_;
  std::string problem_;  // why the op is invalid; empty when it is fine
};

// A condition checked in the same atomic step as the writes.
class Precondition {
 public:
  // The key holds a string equal to `value` (e.g. the serialized resource an etag was made from).
  static Precondition ValueEquals(std::string key, std::string value);
  static Precondition Absent(std::string key);
  static Precondition Exists(std::string key);

  const std::string& kind() const { return kind_; }
  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }

 private:
  Precondition(std::string kind, std::string key, std::string value)
      : kind_(std::move(kind)), key_(std::move(key)), value_(std::move(value)) {}

  std::string kind_;
  std::string key_;
  std::string value_;
};

struct AtomicWrite {
  std::vector<Precondition> preconditions;
  std::vector<WriteOp> ops;

  AtomicWrite& Expect(Precondition precondition) {
    preconditions.push_back(std::move(precondition));
    return *this;
  }
  AtomicWrite& Add(WriteOp op) {
    ops.push_back(std::move(op));
    return *this;
  }
};

// Locks the writer must still hold, checked before anything else: every key must hold `token`.
struct LockFence {
  std::vector<std::string> keys;
  std::string token;
};

// Applies `write` in one script run and returns each op's reply in order (e.g. INCR's new value).
// Applies nothing and fails when:
//  - a fence key no longer holds the token → ABORTED "lock lost on <key>" (IsLockLost);
//  - a precondition does not hold → ABORTED "precondition failed on <key>" (IsPreconditionFailed);
//  - an op would fail on the data (a key of the wrong type, INCR of a non-integer) → INTERNAL;
//  - the keys do not share one hash tag, or an op's arguments are invalid → INVALID_ARGUMENT.
// Redis checks memory and disk-write health before the script starts, so the script is never cut
// short half-way. A transport failure (UNAVAILABLE, DEADLINE_EXCEEDED) leaves it unknown whether
// the whole write was applied; it was never applied in part.
absl::StatusOr<std::vector<RedisReply>> ApplyAtomicWrite(RedisClient& client,
                                                         const AtomicWrite& write,
                                                         absl::Time deadline,
                                                         const LockFence* fence = nullptr);

using AtomicWriteDone = absl::AnyInvocable<void(absl::StatusOr<std::vector<RedisReply>>) &&>;

// ApplyAtomicWrite without a fence, through RedisClient::EvalAsync: `done` gets the outcome (on
// Redis's thread when the client PipelinesWithoutBlocking).
void ApplyAtomicWriteAsync(RedisClient& client, const AtomicWrite& write, absl::Time deadline,
                           AtomicWriteDone done);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_ATOMIC_WRITE_H_
