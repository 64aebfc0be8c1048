// The load generator's latency windows: each call counts in the 100-ms window it started in.
#include "tools/load-generator/load_loop.h"

#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace fieldwork::bench {
namespace {

TEST(WindowMaximaTest, KeepsTheSlowestCallOfEachWindowByItsStart) {
  const std::vector<absl::Duration> started = {absl::Milliseconds(0), absl::Milliseconds(99),
                                               absl::Milliseconds(100), absl::Milliseconds(350)};
  // The call started at 99 ms ended in the second window; it still counts in the first.
  const std::vector<double> latencies_ms = {1.5, 40, 2, 7};
  EXPECT_EQ(WindowMaxima(started, latencies_ms, absl::Milliseconds(400)),
            (std::vector<double>{40, 2, 0, 7}));
}

TEST(WindowMaximaTest, CallsOutsideTheRunCountInItsFirstOrLastWindow) {
  const std::vector<absl::Duration> started = {absl::Milliseconds(-5), absl::Milliseconds(200),
                                               absl::Milliseconds(950)};
  const std::vector<double> latencies_ms = {3, 11, 4};
  EXPECT_EQ(WindowMaxima(started, latencies_ms, absl::Milliseconds(200)),
            (std::vector<double>{3, 11}));
}

TEST(WindowMaximaTest, ARunShorterThanAWindowHasOne) {
  EXPECT_EQ(WindowMaxima({absl::Milliseconds(10)}, {2.5}, absl::Milliseconds(50)),
            (std::vector<double>{2.5}));
  EXPECT_EQ(WindowMaxima({}, {}, absl::ZeroDuration()), (std::vector<double>{0}));
}

}  // namespace
}  // namespace fieldwork::bench
