// Safe retries (DESIGN.md invariant 4): the answer of each mutating RPC is stored under
// fw:{org}:idem:<method>:<request_id> with the request's fingerprint and a TTL (24 h by default).
// A retry with the same request gets the stored answer back; the same request_id with a different
// request is rejected.
//
// Recording the answer in the same atomic step as the mutation (AddRecord, then ApplyAtomicWrite
// or LockSet::FencedWrite) makes a retry safe even when two identical requests race:
//   1. both Lookup → nothing recorded, both do the work;
//   2. each write carries "no answer recorded yet" as a precondition, so exactly one commits its
//      mutation together with its answer;
//   3. the other's write fails with IsRecordConflict(status) and writes nothing; it calls Lookup
//      again and replays the winner's answer (or rejects a different request).
#ifndef FIELDWORK_COMMON_REDIS_IDEMPOTENCY_H_
#define FIELDWORK_COMMON_REDIS_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"

namespace fieldwork {

struct IdempotencyKey {
  std::string organization;  // the tenant; becomes the key's hash tag
  std::string method;        // e.g. "fieldwork.scheduling.v1.SchedulingService/CreateEvent"
  std::string request_id;
};

// Thread-safe. `client` must outlive the store.
class IdempotencyStore {
 public:
  static constexpr absl::Duration kDefaultTtl = absl::Hours(24);

  explicit IdempotencyStore(RedisClient* client, absl::Duration ttl = kDefaultTtl);

  // SHA-256 of a request serialized with its request_id field cleared (deterministic
  // serialization), as Lookup and AddRecord expect it.
  static std::string Fingerprint(absl::string_view request_without_request_id);

  // fw:{organization}:idem:<method>:<request_id>.
  static std::string RedisKey(const IdempotencyKey& key);

  // Nothing when no answer is recorded; the recorded answer when `fingerprint` matches; INVALID_
  // ARGUMENT "request_id reused with a different request" when it does not. INVALID_ARGUMENT also
  // for an empty or malformed key.
  absl::StatusOr<std::optional<std::string>> Lookup(const IdempotencyKey& key,
                                                    absl::string_view fingerprint,
                                                    absl::Time deadline) const;

  // Lookup through RedisClient::ExecuteAsync; `done` gets the outcome.
  using LookupDone = absl::AnyInvocable<void(absl::StatusOr<std::optional<std::string>>) &&>;
  void LookupAsync(const IdempotencyKey& key, std::string fingerprint, absl::Time deadline,
                   LookupDone done) const;

  // Adds to `write` the precondition "no answer recorded for `key`" and the SET that records
  // `response` with the TTL, so the answer commits with the mutation or not at all.
  absl::Status AddRecord(const IdempotencyKey& key, absl::string_view fingerprint,
                         absl::string_view response, AtomicWrite& write) const;

  // True when `status` is the failure of a write built with AddRecord because an answer for `key`
  // was recorded first; the caller then calls Lookup and replays.
  static bool IsRecordConflict(const absl::Status& status, const IdempotencyKey& key);

  // Records `response` on its own, for callers whose mutation needs no atomic record (it is
  // idempotent by itself). OK when the same request was already recorded; INVALID_ARGUMENT when a
  // different one was.
  absl::Status Record(const IdempotencyKey& key, absl::string_view fingerprint,
                      absl::string_view response, absl::Time deadline) const;

 private:
  RedisClient* const client_;
  const absl::Duration ttl_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_IDEMPOTENCY_H_
