// The load generator's engine (see load_loop.h).
#include "tools/load-generator/load_loop.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tools/load-generator/cpu_times.h"

namespace fieldwork::bench {
namespace {

// What the measured calls of one slot (or of the whole open-loop run) answered.
struct Samples {
  std::vector<double> latencies_ms;
  std::vector<absl::Duration> started;  // each call's start (due time), from the run's start
  int64_t ok = 0;
  std::map<std::string, int64_t> errors_by_code;

  void Add(absl::Duration latency, absl::Duration since_measure_from, const grpc::Status& status) {
    latencies_ms.push_back(absl::ToDoubleMilliseconds(latency));
    started.push_back(since_measure_from);
    if (status.ok()) {
      ++ok;
    } else {
      ++errors_by_code[absl::StrCat(status.error_code())];
    }
  }
};

std::unique_ptr<grpc::ClientContext> NewContext(const LoadOptions& options, absl::Time deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(deadline));
  if (!options.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", options.token));
  }
  return context;
}

// One outstanding call slot of the closed loop: issues calls one after another until the run
// ends. Each call's completion holds the slot: the last one may still be unlocking `mu_` when
// AwaitFinished returns and the loop lets go of its slots.
class Slot : public std::enable_shared_from_this<Slot> {
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
    context_ = NewContext(options_, now + options_.call_timeout);
    started_ = now;
    start_(
        context_.get(), next_index_.fetch_add(1), [self = shared_from_this()](grpc::Status status) {
          const absl::Time end = absl::Now();
          if (self->started_ >= self->measure_from_ && end <= self->stop_at_) {
            self->samples_.Add(end - self->started_, self->started_ - self->measure_from_, status);
          }
          self->Issue();
        });
  }

  void AwaitFinished() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&finished_));
  }

  const Samples& samples() const { return samples_; }

 private:
  const LoadOptions& options_;
  const StartCall& start_;
  std::atomic<int64_t>& next_index_;
  const absl::Time measure_from_;
  const absl::Time stop_at_;
  std::unique_ptr<grpc::ClientContext> context_;
  absl::Time started_;
  Samples samples_;
  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

std::vector<Samples> RunClosedLoop(const LoadOptions& options, const StartCall& start,
                                   int64_t* end_index) {
  std::atomic<int64_t> next_index{options.first_index};
  const absl::Time measure_from = absl::Now() + options.warmup;
  const absl::Time stop_at = measure_from + options.duration;
  std::vector<std::shared_ptr<Slot>> slots;
  for (int i = 0; i < options.outstanding; ++i) {
    slots.push_back(std::make_shared<Slot>(options, start, next_index, measure_from, stop_at));
  }
  for (auto& slot : slots) slot->Issue();
  std::vector<Samples> samples;
  for (auto& slot : slots) {
    slot->AwaitFinished();
    samples.push_back(slot->samples());
  }
  *end_index = next_index.load();
  return samples;
}

// The open loop: this thread starts every call at its due time; completions (on gRPC's threads)
// record their latency from that due time. Calls due in the measured window count, wherever
// they end.
std::vector<Samples> RunOpenLoop(const LoadOptions& options, const StartCall& start,
                                 int64_t* end_index) {
  // Shared with the completions: the last one may still be unlocking `mu` when this thread sees
  // nothing in flight and returns, so the state lives until the last completion lets go of it.
  struct State {
    absl::Mutex mu;
    Samples samples ABSL_GUARDED_BY(mu);
    int64_t in_flight ABSL_GUARDED_BY(mu) = 0;
  };
  const auto state = std::make_shared<State>();
  const absl::Time begin = absl::Now();
  const absl::Time measure_from = begin + options.warmup;
  const absl::Time stop_at = measure_from + options.duration;
  const absl::Duration interval = absl::Seconds(1) / options.rate;
  int64_t index = 0;
  for (;;) {
    // Every call due by now starts now; calls due sooner than `issue_every` wait for the next
    // wake-up, so a fast rate costs this thread one sleep per `issue_every`, not one per call.
    // The wait counts in their latency (it is measured from the due time).
    const absl::Time now = absl::Now();
    int64_t due_count = 0;
    while (begin + interval * (index + due_count) <= now &&
           begin + interval * (index + due_count) < stop_at) {
      ++due_count;
    }
    {
      absl::MutexLock lock(&state->mu);
      state->in_flight += due_count;
    }
    for (const int64_t end = index + due_count; index < end; ++index) {
      const absl::Time due = begin + interval * index;
      std::shared_ptr<grpc::ClientContext> context =
          NewContext(options, due + options.call_timeout);
      start(context.get(), options.first_index + index,
            [state, context, due, measure_from](grpc::Status status) {
              const absl::Time end = absl::Now();
              absl::MutexLock lock(&state->mu);
              if (due >= measure_from) state->samples.Add(end - due, due - measure_from, status);
              --state->in_flight;
            });
    }
    const absl::Time next_due = begin + interval * index;
    if (next_due >= stop_at) break;
    absl::SleepFor(std::max(next_due, now + options.issue_every) - absl::Now());
  }
  *end_index = options.first_index + index;
  absl::MutexLock lock(&state->mu);
  state->mu.Await(absl::Condition(
      +[](int64_t* count) { return *count == 0; }, &state->in_flight));
  return {std::move(state->samples)};
}

double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

LoadResult Summarize(const LoadOptions& options, const std::vector<Samples>& parts) {
  LoadResult result;
  std::vector<double> latencies;
  std::vector<absl::Duration> started;
  for (const Samples& part : parts) {
    latencies.insert(latencies.end(), part.latencies_ms.begin(), part.latencies_ms.end());
    started.insert(started.end(), part.started.begin(), part.started.end());
    result.ok += part.ok;
    for (const auto& [code, count] : part.errors_by_code) {
      result.errors_by_code[code] += count;
      int number = 0;
      const bool expected = absl::SimpleAtoi(code, &number) &&
                            options.expected_codes.count(static_cast<grpc::StatusCode>(number)) > 0;
      if (!expected) result.errors += count;
    }
  }
  result.window_max_ms = WindowMaxima(started, latencies, options.duration);
  std::sort(latencies.begin(), latencies.end());
  result.calls = static_cast<int64_t>(latencies.size());
  result.seconds = absl::ToDoubleSeconds(options.duration);
  result.throughput = result.calls / result.seconds;
  result.ok_throughput = result.ok / result.seconds;
  result.p50_ms = Percentile(latencies, 0.50);
  result.p90_ms = Percentile(latencies, 0.90);
  result.p99_ms = Percentile(latencies, 0.99);
  result.p999_ms = Percentile(latencies, 0.999);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  result.slow_windows = std::count_if(result.window_max_ms.begin(), result.window_max_ms.end(),
                                      [](double max_ms) { return max_ms > kSlowWindowMs; });
  return result;
}

}  // namespace

std::vector<double> WindowMaxima(const std::vector<absl::Duration>& started,
                                 const std::vector<double>& latencies_ms, absl::Duration duration) {
  const int64_t windows = std::max<int64_t>(1, duration / kLatencyWindow);
  std::vector<double> maxima(windows, 0);
  for (size_t i = 0; i < started.size() && i < latencies_ms.size(); ++i) {
    const int64_t window = std::clamp<int64_t>(started[i] / kLatencyWindow, 0, windows - 1);
    maxima[window] = std::max(maxima[window], latencies_ms[i]);
  }
  return maxima;
}

LoadResult RunLoad(const LoadOptions& options, const StartCall& start) {
  // The machine's CPU times over the measured window, taken by a thread of their own so that
  // neither loop needs a timer.
  const absl::Time measure_from = absl::Now() + options.warmup;
  CpuTimes before, after;
  std::thread cpu_clock([&] {
    absl::SleepFor(measure_from - absl::Now());
    before = ReadCpuTimes();
    absl::SleepFor(measure_from + options.duration - absl::Now());
    after = ReadCpuTimes();
  });
  int64_t end_index = 0;
  LoadResult result =
      Summarize(options, options.rate > 0 ? RunOpenLoop(options, start, &end_index)
                                          : RunClosedLoop(options, start, &end_index));
  result.end_index = end_index;
  cpu_clock.join();
  result.stolen_cpu = StolenFraction(before, after);
  result.idle_cpu = IdleFraction(before, after);
  return result;
}

}  // namespace fieldwork::bench
