// Records the audited calls of a server (audit_entry.h) without adding a Redis round trip to any
// call: OnCallFinished builds the entry and puts it on a bounded queue; a background thread takes
// the queue every flush interval (sooner once a batch is full) and appends each organization's
// entries to its stream in one pipelined round trip, with a deadline. When the queue is full the
// entry is dropped, counted and logged (once per run of drops): the call never waits. The
// destructor writes what is still queued. The guarantee is therefore "recorded unless the process
// dies (or Redis fails) before the next flush": a crash loses at most the last flush interval's
// entries, and a failed write loses that batch; both are counted in
// fieldwork_audit_entries_total{outcome="dropped"|"failed"}.
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_RECORDER_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_RECORDER_H_

#include <cstddef>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit/audit_entry.h"
#include "common/audit/audit_store.h"
#include "common/finished_call.h"

namespace fieldwork {

inline constexpr char kAuditEntriesMetric[] = "fieldwork_audit_entries_total";

struct AuditRecorderOptions {
  size_t queue_capacity = 10000;
  size_t batch_size = 500;  // a full batch is written without waiting for the interval
  absl::Duration flush_interval = absl::Milliseconds(200);
  absl::Duration write_timeout = absl::Seconds(2);  // deadline of each pipelined append
};

class AuditRecorder : public CallObserver {
 public:
  // `store` outlives the recorder.
  explicit AuditRecorder(const AuditStore* store, AuditRecorderOptions options = {});
  // Writes what is queued, then stops the writer thread.
  ~AuditRecorder() override;

  AuditRecorder(const AuditRecorder&) = delete;
  AuditRecorder& operator=(const AuditRecorder&) = delete;

  // Audited calls only (IsAuditedCall).
  bool Wants(absl::string_view method, grpc::StatusCode code) const override;
  void OnCallFinished(const FinishedCall& call) override;

 private:
  void WriteLoop();
  // Appends `batch`, one pipeline per organization.
  void Write(std::vector<PendingAuditEntry> batch) const;

  const AuditStore* const store_;
  const AuditRecorderOptions options_;
  absl::Mutex mu_;
  std::vector<PendingAuditEntry> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool dropping_ ABSL_GUARDED_BY(mu_) = false;  // the last entry offered was dropped
  std::thread writer_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_RECORDER_H_
