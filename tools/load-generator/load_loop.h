// The load generator's engine: a fixed number of outstanding calls issued through gRPC's callback
// API for a warm-up and then a measured duration; each completed call immediately issues the next.
// Records every measured call's latency and status.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace fieldwork::bench {

// Starts one call on `context` (deadline and metadata already set) for the `index`-th call of
// the run and calls `done` with its status when it completes.
using StartCall = std::function<void(grpc::ClientContext* context, int64_t index,
                                     std::function<void(grpc::Status)> done)>;

struct LoadOptions {
  int outstanding = 16;
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  absl::Duration call_timeout = absl::Seconds(5);
  std::string token;  // bearer token; none when empty
};

struct LoadResult {
  int64_t calls = 0;  // measured calls that completed (any status)
  int64_t errors = 0;
  std::map<std::string, int64_t> errors_by_code;
  double seconds = 0;
  double throughput = 0;  // measured calls per second
  // Latency percentiles of the measured calls, in milliseconds.
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};

LoadResult RunLoad(const LoadOptions& options, const StartCall& start);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_LOAD_LOOP_H_
