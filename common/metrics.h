// Process-wide Prometheus metrics: counters and latency histograms with labels, rendered in the
// Prometheus text exposition format by the /metrics endpoint of every service.
#ifndef FIELDWORK_COMMON_METRICS_H_
#define FIELDWORK_COMMON_METRICS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace fieldwork {

// Label name → value, e.g. {{"method", "/fieldwork.scheduling.v1.SchedulingService/GetEvent"}}.
using MetricLabels = std::map<std::string, std::string>;

class Metrics {
 public:
  // The registry every part of the process reports to.
  static Metrics& Global();

  // Adds `by` to the counter `name` with `labels`; `help` is used the first time the name is seen.
  void Increment(absl::string_view name, absl::string_view help, const MetricLabels& labels,
                 double by = 1);
  // Records one observation (in seconds) in the latency histogram `name` with `labels`.
  void ObserveSeconds(absl::string_view name, absl::string_view help, const MetricLabels& labels,
                      double seconds);
  // The whole registry in the Prometheus text format (version 0.0.4).
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::vector<double> bucket_counts;  // cumulative at render time, per kLatencyBuckets
    double sum = 0;
    double count = 0;
  };
  struct Family {
    std::string help;
    bool is_histogram = false;
    std::map<MetricLabels, double> counters;
    std::map<MetricLabels, Histogram> histograms;
  };
  Family& FamilyLocked(absl::string_view name, absl::string_view help, bool is_histogram)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_METRICS_H_
