// The load generator's reading of /proc/stat: which columns are busy, idle and stolen, and the
// fractions of a window.
#include "tools/load-generator/cpu_times.h"

#include "gtest/gtest.h"

namespace fieldwork::bench {
namespace {

TEST(CpuTimesTest, ParsesTheAggregateLineIntoBusyIdleAndStolenTicks) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const auto times = ParseProcStatCpuLine("cpu  100 1 50 400 4 2 3 40 0 0");
  ASSERT_TRUE(times.ok()) << times.status();
  EXPECT_EQ(times->busy, 100 + 1 + 50 + 2 + 3);
  EXPECT_EQ(times->idle, 400 + 4);
  EXPECT_EQ(times->steal, 40);
}

TEST(CpuTimesTest, AKernelWithoutTheStealColumnStealsNothing) {
  const auto times = ParseProcStatCpuLine("cpu 10 0 5 80 1");
  ASSERT_TRUE(times.ok()) << times.status();
  EXPECT_EQ(times->steal, 0);
  EXPECT_EQ(times->idle, 81);
}

TEST(CpuTimesTest, RefusesAnotherLineOrAFieldThatIsNotACount) {
  EXPECT_FALSE(ParseProcStatCpuLine("cpu0 10 0 5 80 1 0 0 0").ok());
  EXPECT_FALSE(ParseProcStatCpuLine("cpu 10 x 5 80 1 0 0 0").ok());
  EXPECT_FALSE(ParseProcStatCpuLine("cpu 10 0").ok());
  EXPECT_FALSE(ParseProcStatCpuLine("").ok());
}

TEST(CpuTimesTest, FractionsAreOfTheTicksBetweenTwoReadings) {
  const CpuTimes before{.busy = 1000, .idle = 500, .steal = 100};
  const CpuTimes after{.busy = 1600, .idle = 600, .steal = 400};  // 600 + 100 + 300 ticks
  EXPECT_DOUBLE_EQ(StolenFraction(before, after), 0.3);
  EXPECT_DOUBLE_EQ(IdleFraction(before, after), 0.1);
  EXPECT_DOUBLE_EQ(StolenFraction(before, before), 0);
}

}  // namespace
}  // namespace fieldwork::bench
