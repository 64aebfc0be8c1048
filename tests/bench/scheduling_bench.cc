// Microbenchmarks of the scheduling domain logic at the sizes of the scheduling issue:
// FindSlots for 300 members over 90 days, and the conflict check of a 50-member event.
#include <algorithm>
#include <random>

#include "benchmark/benchmark.h"
#include "services/scheduling/booking.h"
#include "services/scheduling/slot_finder.h"

namespace fieldwork::scheduling {
namespace {

// `count` one-to-three-hour bookings spread over the 90 days after `from`, ordered by start as the
// store returns them.
std::vector<Interval> RandomBusy(std::mt19937& random, absl::Time from, int count) {
  std::uniform_int_distribution<int> minute(0, 90 * 24 * 60);
  std::uniform_int_distribution<int> length(60, 180);
  std::vector<Interval> busy;
  for (int i = 0; i < count; ++i) {
    const absl::Time start = from + absl::Minutes(minute(random));
    busy.push_back({start, start + absl::Minutes(length(random))});
  }
  std::sort(busy.begin(), busy.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  return busy;
}

void BM_FindSlots300Members90Days(benchmark::State& state) {
  std::mt19937 random(42);
  SlotQuery query;
  query.rules = DefaultCalendarRules();
  const absl::Time from = absl::FromCivil(absl::CivilDay(2027, 1, 4), query.rules.zone);
  query.window = {from, from + absl::Hours(24 * 90)};
  query.duration = absl::Hours(2);
  query.granularity = absl::Minutes(30);
  query.buffer = absl::Minutes(30);
  query.respect_working_hours = false;  // every grid point is a candidate: the worst case
  query.grid_origin = query.window.start;
  query.disjoint = true;  // as FindSlots the RPC asks
  query.max_results = 100;
  for (int i = 0; i < 100; ++i) {
    query.required.push_back({"r" + std::to_string(i), RandomBusy(random, from, 200)});
  }
  for (int i = 0; i < 200; ++i) {
    query.optional.push_back({"o" + std::to_string(i), RandomBusy(random, from, 200)});
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(FindSlots(query));
  }
}
BENCHMARK(BM_FindSlots300Members90Days)->Unit(benchmark::kMillisecond);

void BM_ConflictCheck50Required(benchmark::State& state) {
  std::mt19937 random(7);
  const absl::Time from = absl::FromCivil(absl::CivilDay(2027, 1, 4), absl::UTCTimeZone());
  const Interval wanted{from + absl::Hours(24 * 45), from + absl::Hours(24 * 45 + 3)};
  std::vector<CalendarCheck> calendars;
  for (int i = 0; i < 50; ++i) {
    CalendarCheck calendar{"m" + std::to_string(i), wanted, absl::Minutes(30), true, {}};
    for (const Interval& busy : RandomBusy(random, from, 200)) {
      calendar.existing.push_back({"events/e", busy});
    }
    calendars.push_back(std::move(calendar));
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckBooking(calendars, "events/new"));
  }
}
BENCHMARK(BM_ConflictCheck50Required)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fieldwork::scheduling

BENCHMARK_MAIN();
