// The load generator's engine, through gRPC's callback API, for a warm-up and then a measured
// duration. Closed loop: a fixed number of outstanding calls, each completed call immediately
// issues the next. Open loop (a fixed arrival rate): call i is due at start + i / rate whatever
// the server does, and its latency is measured from that due time, so a slow server cannot hide
// its queueing delay by slowing the client down (no coordinated omission).
// Records every measured call's latency and status.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace fieldwork::bench {

// Starts one call on `context` (deadline and metadata already set) for the `index`-th call of
// the run and calls `done` with its status when it completes.
using StartCall = std::function<void(grpc::ClientContext* context, int64_t index,
                                     std::function<void(grpc::Status)> done)>;

inline constexpr absl::Duration kLatencyWindow = absl::Milliseconds(100);
inline constexpr double kSlowWindowMs = 10;  // the latency targets' p99 bound

struct LoadOptions {
  int outstanding = 16;  // closed loop: calls in flight at once
  double rate = 0;       // open loop: calls started per second; 0 → closed loop
  // Open loop: the issuing thread wakes at most this often and starts every call due by then.
  absl::Duration issue_every = absl::Milliseconds(1);
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  absl::Duration call_timeout = absl::Seconds(5);
  std::string token;  // bearer token; none when empty
  // The index of the run's first call (StartCall); a run following another on the same seeded
  // data starts where the other ended (LoadResult::end_index), so that its calls are new ones.
  int64_t first_index = 0;
  // Codes that are an expected answer rather than an error (a booking conflict's
  // FAILED_PRECONDITION under contention); counted in errors_by_code but not in errors.
  std::set<grpc::StatusCode> expected_codes;
};

struct LoadResult {
  int64_t calls = 0;      // measured calls that completed (any status)
  int64_t end_index = 0;  // one past the index of the last call started (warm-up included)
  int64_t ok = 0;         // of which OK
  int64_t errors = 0;     // of which failed with a code not in expected_codes
  std::map<std::string, int64_t> errors_by_code;  // every non-OK code, by its number
  double seconds = 0;
  double throughput = 0;     // measured calls per second
  double ok_throughput = 0;  // measured OK calls per second
  // Latency percentiles of the measured calls, in milliseconds.
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  // Where the slow calls were: the longest latency of the calls started in each kLatencyWindow of
  // the measured window (0 when none started), and how many windows had one past kSlowWindowMs.
  // A few windows holding every slow call point at a pause; slow calls everywhere at saturation.
  std::vector<double> window_max_ms;
  int64_t slow_windows = 0;
  // Of the machine's CPU time over the measured window, the fraction the hypervisor took
  // (steal) and the fraction idle (cpu_times.h).
  double stolen_cpu = 0, idle_cpu = 0;
};

// Open loop when options.rate > 0, else closed loop.
LoadResult RunLoad(const LoadOptions& options, const StartCall& start);

// The longest of `latencies_ms` per kLatencyWindow of a run of `duration`, each call counted in
// the window it started in (`started`, from the run's start; calls outside it count in the first
// or last window); 0 for a window where no call started. One window at least.
std::vector<double> WindowMaxima(const std::vector<absl::Duration>& started,
                                 const std::vector<double>& latencies_ms, absl::Duration duration);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_
