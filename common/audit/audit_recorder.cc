// The audit queue and its writer thread (see audit_recorder.h).
#include "common/audit/audit_recorder.h"

#include <map>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace fieldwork {
namespace {

void CountEntries(absl::string_view outcome, size_t count) {
  Metrics::Global().Increment(kAuditEntriesMetric,
                              "Audit entries by outcome: written, dropped (queue full), failed "
                              "(Redis write failed).",
                              {{"outcome", std::string(outcome)}}, static_cast<double>(count));
}

}  // namespace

AuditRecorder::AuditRecorder(const AuditStore* store, AuditRecorderOptions options)
    : store_(store), options_(options), writer_([this] { WriteLoop(); }) {}

AuditRecorder::~AuditRecorder() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

bool AuditRecorder::Wants(absl::string_view method, grpc::StatusCode code) const {
  return IsAuditedCall(method, code);
}

void AuditRecorder::OnCallFinished(const FinishedCall& call) {
  std::optional<PendingAuditEntry> pending = AuditEntryFor(call, store_->service());
  if (!pending.has_value()) return;
  bool first_drop = false;
  {
    absl::MutexLock lock(&mu_);
    if (queue_.size() < options_.queue_capacity) {
      queue_.push_back(*std::move(pending));
      dropping_ = false;
      return;
    }
    first_drop = !std::exchange(dropping_, true);
  }
  CountEntries("dropped", 1);
  // One line per run of drops; the metric counts every one.
  if (first_drop) {
    LogEvent(LogLevel::kWarn, "audit_entry_dropped",
             {{"reason", "audit queue full"},
              {"organization", pending->organization},
              {"method", pending->entry.method()}});
  }
}

void AuditRecorder::WriteLoop() {
  const auto batch_due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || queue_.size() >= options_.batch_size;
  };
  bool stopping = false;
  while (!stopping) {
    std::vector<PendingAuditEntry> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&batch_due), options_.flush_interval);
      batch.swap(queue_);
      stopping = stopping_;
    }
    if (!batch.empty()) Write(std::move(batch));
  }
}

void AuditRecorder::Write(std::vector<PendingAuditEntry> batch) const {
  std::map<std::string, std::vector<PendingAuditEntry>> by_organization;
  for (PendingAuditEntry& pending : batch) {
    by_organization[pending.organization].push_back(std::move(pending));
  }
  for (const auto& [organization, entries] : by_organization) {
    const absl::Status written =
        store_->Append(organization, entries, absl::Now() + options_.write_timeout);
    CountEntries(written.ok() ? "written" : "failed", entries.size());
    if (!written.ok()) {
      LogEvent(LogLevel::kWarn, "audit_write_failed",
               {{"organization", organization},
                {"entries", static_cast<int64_t>(entries.size())},
                {"message", written.message()}});
    }
  }
}

}  // namespace fieldwork
