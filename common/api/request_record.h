// Safe retries of one mutating RPC (DESIGN.md invariant 4): the request's fingerprint (its
// deterministic serialization without request_id), the replay of an answer recorded by an earlier
// identical call, and the record of the new answer that a store adds to the same atomic write as
// the mutation.
#ifndef FIELDWORK_COMMON_API_REQUEST_RECORD_H_
#define FIELDWORK_COMMON_API_REQUEST_RECORD_H_

#include <google/protobuf/message.h>

#include <functional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/idempotency.h"
#include "common/rpc_call_registry.h"

namespace fieldwork {

// `message` serialized deterministically (map entries in key order): equal messages give equal
// bytes, so the bytes can be hashed into fingerprints and etags.
std::string DeterministicBytes(const google::protobuf::Message& message);

class RequestRecord {
 public:
  // `method` is the full method name without the leading slash, e.g.
  // "fieldwork.scheduling.v1.SchedulingService/CreateEvent"; `request` has a string field
  // request_id. An empty request_id disables deduplication. `store` and `request` outlive the
  // record; pass the message the RPC received, so that a replay is marked on that call.
  RequestRecord(const IdempotencyStore* store, absl::string_view organization,
                absl::string_view method, const google::protobuf::Message& request);

  bool enabled() const { return !key_.request_id.empty(); }

  // Marks the RPC that received the request as answered by a replay (its audit entry says so).
  void MarkReplayed() const { MarkRpcReplayed(request_); }

  // Parses the answer recorded by an earlier identical call into `response` and returns true;
  // false when none is recorded. INVALID_ARGUMENT on field request_id (ERROR_REASON_REQUEST_ID_
  // REUSED) when the id was used with a different request.
  absl::StatusOr<bool> Replay(google::protobuf::Message& response, absl::Time deadline) const;

  // Replay through IdempotencyStore::LookupAsync; `response` outlives the call, `done` gets what
  // Replay would return.
  void ReplayAsync(google::protobuf::Message& response, absl::Time deadline,
                   absl::AnyInvocable<void(absl::StatusOr<bool>) &&> done) const;

  // Adds "no answer recorded yet" and the record of `response` to `write`; nothing when disabled.
  absl::Status AddTo(const google::protobuf::Message& response, AtomicWrite& write) const;

  // True when `status` is a write built with AddTo that lost to an identical call.
  bool LostRace(const absl::Status& status) const;

 private:
  const IdempotencyStore* const store_;
  const google::protobuf::Message* const request_;
  IdempotencyKey key_;
  std::string fingerprint_;
};

// Runs `work` at most once per request_id: replays a recorded answer instead. When `work` fails,
// an identical call may have committed in between (a retry racing its own stalled first attempt
// then fails on that attempt's effect: a conflict with its own booking), so the record is read
// again and the winner's answer replayed.
template <typename Response>
absl::StatusOr<Response> RunOnce(const RequestRecord& record, absl::Time deadline,
                                 const std::function<absl::StatusOr<Response>()>& work) {
  Response recorded;
  absl::StatusOr<bool> replayed = record.Replay(recorded, deadline);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) {
    record.MarkReplayed();
    return recorded;
  }
  absl::StatusOr<Response> result = work();
  if (result.ok() || !record.enabled()) return result;
  replayed = record.Replay(recorded, deadline);
  if (replayed.ok() && *replayed) {
    record.MarkReplayed();
    return recorded;
  }
  return result;
}

// Answers `done` once the work is finished.
using OnceDone = absl::AnyInvocable<void(absl::Status) &&>;

// RunOnce for work that does not wait (RequestRecord::ReplayAsync, stores' *Async calls): replays
// a recorded answer into `response`, else runs `work`, which fills `response` and calls its
// argument; when that fails, replays the answer of an identical call recorded meanwhile. `record`
// and `response` must outlive the call to `done`.
void RunOnceAsync(const RequestRecord& record, google::protobuf::Message& response,
                  absl::Time deadline, absl::AnyInvocable<void(OnceDone) &&> work, OnceDone done);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_REQUEST_RECORD_H_
