// The /metrics and /healthz endpoints (common/metrics_server.h) and the text they serve.
#include "common/metrics_server.h"

#include "absl/strings/match.h"
#include "common/metrics.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace fieldwork {
namespace {

TEST(MetricsServerTest, ServesPrometheusTextAndHealthz) {
  Metrics::Global().Increment("fieldwork_test_events_total", "Events seen by the test.",
                              {{"kind", "probe"}}, 3);
  Metrics::Global().ObserveSeconds("fieldwork_test_latency_seconds", "Latency seen by the test.",
                                   {{"method", "/a.B/C"}}, 0.003);
  absl::StatusOr<std::unique_ptr<MetricsServer>> server = MetricsServer::Start("127.0.0.1", 0);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());

  const httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics) << httplib::to_string(metrics.error());
  EXPECT_EQ(metrics->status, 200);
  EXPECT_TRUE(absl::StartsWith(metrics->get_header_value("Content-Type"), "text/plain"));
  for (const char* line : {
           "# TYPE fieldwork_test_events_total counter",
           "fieldwork_test_events_total{kind=\"probe\"} 3",
           "# TYPE fieldwork_test_latency_seconds histogram",
           "fieldwork_test_latency_seconds_bucket{method=\"/a.B/C\",le=\"0.0025\"} 0",
           "fieldwork_test_latency_seconds_bucket{method=\"/a.B/C\",le=\"0.005\"} 1",
           "fieldwork_test_latency_seconds_bucket{method=\"/a.B/C\",le=\"+Inf\"} 1",
           "fieldwork_test_latency_seconds_count{method=\"/a.B/C\"} 1",
       }) {
    EXPECT_TRUE(absl::StrContains(metrics->body, line)) << line << "\n" << metrics->body;
  }

  const httplib::Result healthz = client.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  const httplib::Result missing = client.Get("/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST(MetricsServerTest, PortInUseIsAnError) {
  absl::StatusOr<std::unique_ptr<MetricsServer>> first = MetricsServer::Start("127.0.0.1", 0);
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::StatusOr<std::unique_ptr<MetricsServer>> second =
      MetricsServer::Start("127.0.0.1", (*first)->port());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace fieldwork
