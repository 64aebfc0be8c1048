// Microbenchmarks of protobuf serialization and parsing of the largest messages the services
// send: a ListEvents page of 50 events with 10 / 100 / 1,000 participants each, and a unit report
// of 10 / 100 / 1,000 members (built by the report builder from a synthetic year). Bytes per
// message are reported as a counter.
#include <string>

#include "benchmark/benchmark.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "services/reporting/report_builder.h"
#include "tests/bench/synthetic_year.h"

namespace fieldwork::bench {
namespace {

constexpr int kPageSize = 50;

fieldwork::scheduling::v1::ListEventsResponse EventPage(int participants) {
  SyntheticYear year = MakeSyntheticYear(participants, kPageSize, participants);
  fieldwork::scheduling::v1::ListEventsResponse page;
  for (auto& event : year.data.events) *page.add_events() = std::move(event);
  page.set_total_size(400);
  page.set_next_page_token("bench-next-page-token-0123456789abcdef");
  return page;
}

fieldwork::reporting::v1::UnitReport UnitReport(int members) {
  const SyntheticYear year = MakeSyntheticYear(members, 400, 50);
  return reporting::BuildUnitReport(year.data, year.period, year.unit);
}

template <typename Message>
void Serialize(benchmark::State& state, const Message& message) {
  std::string bytes;
  for (auto _ : state) {
    bytes.clear();
    message.SerializeToString(&bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

template <typename Message>
void Parse(benchmark::State& state, const Message& message) {
  const std::string bytes = message.SerializeAsString();
  for (auto _ : state) {
    Message parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(bytes));
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

void BM_SerializeListEventsPage(benchmark::State& state) {
  Serialize(state, EventPage(static_cast<int>(state.range(0))));
}
void BM_ParseListEventsPage(benchmark::State& state) {
  Parse(state, EventPage(static_cast<int>(state.range(0))));
}
void BM_SerializeUnitReport(benchmark::State& state) {
  Serialize(state, UnitReport(static_cast<int>(state.range(0))));
}
void BM_ParseUnitReport(benchmark::State& state) {
  Parse(state, UnitReport(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_SerializeListEventsPage)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseListEventsPage)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SerializeUnitReport)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseUnitReport)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fieldwork::bench

BENCHMARK_MAIN();
