// Prometheus registry: counters and fixed-bucket latency histograms, rendered as text.
#include "common/metrics.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace fieldwork {
namespace {

// Upper bounds in seconds, from 100 µs (a Redis round trip on loopback) to 10 s (a deadline).
constexpr std::array<double, 14> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 10};

std::string EscapeLabelValue(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

std::string RenderLabels(const MetricLabels& labels, absl::string_view extra_name = "",
                         absl::string_view extra_value = "") {
  std::vector<std::string> parts;
  for (const auto& [name, value] : labels) {
    parts.push_back(absl::StrCat(name, "=\"", EscapeLabelValue(value), "\""));
  }
  if (!extra_name.empty()) parts.push_back(absl::StrCat(extra_name, "=\"", extra_value, "\""));
  if (parts.empty()) return "";
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

}  // namespace

Metrics& Metrics::Global() {
  static Metrics* const metrics = new Metrics();
  return *metrics;
}

Metrics::Family& Metrics::FamilyLocked(absl::string_view name, absl::string_view help,
                                       bool is_histogram) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.help = std::string(help);
    it->second.is_histogram = is_histogram;
  }
  return it->second;
}

void Metrics::Increment(absl::string_view name, absl::string_view help, const MetricLabels& labels,
                        double by) {
  absl::MutexLock lock(&mu_);
  FamilyLocked(name, help, /*is_histogram=*/false).counters[labels] += by;
}

void Metrics::ObserveSeconds(absl::string_view name, absl::string_view help,
                             const MetricLabels& labels, double seconds) {
  absl::MutexLock lock(&mu_);
  Histogram& histogram = FamilyLocked(name, help, /*is_histogram=*/true).histograms[labels];
  if (histogram.bucket_counts.empty()) histogram.bucket_counts.resize(kLatencyBuckets.size());
  const auto bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
  if (bucket != kLatencyBuckets.end()) {
    ++histogram.bucket_counts[bucket - kLatencyBuckets.begin()];
  }
  histogram.sum += seconds;
  ++histogram.count;
}

std::string Metrics::RenderPrometheus() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", family.help, "\n# TYPE ", name, " ",
                    family.is_histogram ? "histogram" : "counter", "\n");
    for (const auto& [labels, value] : family.counters) {
      absl::StrAppend(&out, name, RenderLabels(labels), " ", value, "\n");
    }
    for (const auto& [labels, histogram] : family.histograms) {
      double cumulative = 0;
      for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        cumulative += histogram.bucket_counts[i];
        absl::StrAppend(&out, name, "_bucket",
                        RenderLabels(labels, "le", absl::StrCat(kLatencyBuckets[i])), " ",
                        cumulative, "\n");
      }
      absl::StrAppend(&out, name, "_bucket", RenderLabels(labels, "le", "+Inf"), " ",
                      histogram.count, "\n");
      absl::StrAppend(&out, name, "_sum", RenderLabels(labels), " ", histogram.sum, "\n");
      absl::StrAppend(&out, name, "_count", RenderLabels(labels), " ", histogram.count, "\n");
    }
  }
  return out;
}

}  // namespace fieldwork
