// The load generator's engine (see load_loop.h).
#include "tools/load-generator/load_loop.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace fieldwork::bench {
namespace {

// One outstanding call slot: issues calls one after another until the run ends.
class Slot {
 public:
  Slot(const LoadOptions& options, const StartCall& start, std::atomic<int64_t>& next_index,
       absl::Time measure_from, absl::Time stop_at)
      : options_(options),
        start_(start),
        next_index_(next_index),
        measure_from_(measure_from),
        stop_at_(stop_at) {}

  void Issue() {
    const absl::Time now = absl::Now();
    if (now >= stop_at_) {
      absl::MutexLock lock(&mu_);
      finished_ = true;
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(absl::ToChronoTime(now + options_.call_timeout));
    if (!options_.token.empty()) {
      context_->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
    }
    started_ = now;
    start_(context_.get(), next_index_.fetch_add(1), [this](grpc::Status status) {
      const absl::Time end = absl::Now();
      if (started_ >= measure_from_ && end <= stop_at_) {
        latencies_ms_.push_back(absl::ToDoubleMilliseconds(end - started_));
        if (!status.ok()) ++errors_by_code_[absl::StrCat(status.error_code())];
      }
      Issue();
    });
  }

  void AwaitFinished() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&finished_));
  }

  const std::vector<double>& latencies_ms() const { return latencies_ms_; }
  const std::map<std::string, int64_t>& errors_by_code() const { return errors_by_code_; }

 private:
  const LoadOptions& options_;
  const StartCall& start_;
  std::atomic<int64_t>& next_index_;
  const absl::Time measure_from_;
  const absl::Time stop_at_;
  std::unique_ptr<grpc::ClientContext> context_;
  absl::Time started_;
  std::vector<double> latencies_ms_;
  std::map<std::string, int64_t> errors_by_code_;
  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const StartCall& start) {
  std::atomic<int64_t> next_index{0};
  const absl::Time measure_from = absl::Now() + options.warmup;
  const absl::Time stop_at = measure_from + options.duration;
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < options.outstanding; ++i) {
    slots.push_back(std::make_unique<Slot>(options, start, next_index, measure_from, stop_at));
  }
  for (auto& slot : slots) slot->Issue();
  for (auto& slot : slots) slot->AwaitFinished();

  LoadResult result;
  std::vector<double> latencies;
  for (const auto& slot : slots) {
    latencies.insert(latencies.end(), slot->latencies_ms().begin(), slot->latencies_ms().end());
    for (const auto& [code, count] : slot->errors_by_code()) {
      result.errors_by_code[code] += count;
      result.errors += count;
    }
  }
  std::sort(latencies.begin(), latencies.end());
  result.calls = static_cast<int64_t>(latencies.size());
  result.seconds = absl::ToDoubleSeconds(options.duration);
  result.throughput = result.calls / result.seconds;
  result.p50_ms = Percentile(latencies, 0.50);
  result.p90_ms = Percentile(latencies, 0.90);
  result.p99_ms = Percentile(latencies, 0.99);
  result.p999_ms = Percentile(latencies, 0.999);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  return result;
}

}  // namespace fieldwork::bench
