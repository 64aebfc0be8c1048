// Microbenchmarks of the report aggregation (services/reporting/report_builder.h, pure) on a
// synthetic year: a member's report over 10 / 100 / 1,000 events; a unit's report and the
// organization summary over 400 events of 50 participants among 10 / 100 / 1,000 members.
#include "benchmark/benchmark.h"
#include "services/reporting/report_builder.h"
#include "tests/bench/synthetic_year.h"

namespace fieldwork::bench {
namespace {

constexpr int kEventsPerYear = 400;
constexpr int kParticipants = 50;

void BM_BuildMemberReport(benchmark::State& state) {
  // One member in every event.
  const SyntheticYear year = MakeSyntheticYear(1, static_cast<int>(state.range(0)), 1);
  const std::string member = year.data.members.begin()->first;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reporting::BuildMemberReport(year.data, year.period, member));
  }
}
BENCHMARK(BM_BuildMemberReport)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_BuildUnitReport(benchmark::State& state) {
  const SyntheticYear year =
      MakeSyntheticYear(static_cast<int>(state.range(0)), kEventsPerYear, kParticipants);
  for (auto _ : state) {
    benchmark::DoNotOptimize(reporting::BuildUnitReport(year.data, year.period, year.unit));
  }
}
BENCHMARK(BM_BuildUnitReport)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_BuildOrganizationSummary(benchmark::State& state) {
  const SyntheticYear year =
      MakeSyntheticYear(static_cast<int>(state.range(0)), kEventsPerYear, kParticipants);
  for (auto _ : state) {
    benchmark::DoNotOptimize(reporting::BuildOrganizationSummary(year.data, year.period));
  }
}
BENCHMARK(BM_BuildOrganizationSummary)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fieldwork::bench

BENCHMARK_MAIN();
