// CPU time accounting from /proc/stat (see cpu_times.h).
#include "tools/load-generator/cpu_times.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace fieldwork::bench {

absl::StatusOr<CpuTimes> ParseProcStatCpuLine(absl::string_view line) {
  const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (fields.empty() || fields[0] != "cpu") {
    return absl::InvalidArgumentError("not the aggregate cpu line of /proc/stat");
  }
  // user nice system idle iowait irq softirq steal
  constexpr int kColumns = 8;
  int64_t ticks[kColumns] = {};
  if (fields.size() < 5) return absl::InvalidArgumentError("/proc/stat cpu line too short");
  for (size_t i = 1; i < fields.size() && i <= kColumns; ++i) {
    if (!absl::SimpleAtoi(fields[i], &ticks[i - 1]) || ticks[i - 1] < 0) {
      return absl::InvalidArgumentError("/proc/stat cpu line has a field that is not a count");
    }
  }
  const auto [user, nice, system, idle, iowait, irq, softirq, steal] = ticks;
  return CpuTimes{
      .busy = user + nice + system + irq + softirq, .idle = idle + iowait, .steal = steal};
}

CpuTimes ReadCpuTimes() {
  std::ifstream stat("/proc/stat");
  std::string line;
  if (!std::getline(stat, line)) return {};
  absl::StatusOr<CpuTimes> times = ParseProcStatCpuLine(line);
  return times.ok() ? *times : CpuTimes{};
}

namespace {

double Fraction(int64_t part, const CpuTimes& before, const CpuTimes& after) {
  const int64_t total =
      (after.busy - before.busy) + (after.idle - before.idle) + (after.steal - before.steal);
  return total > 0 ? static_cast<double>(part) / static_cast<double>(total) : 0;
}

}  // namespace

double StolenFraction(const CpuTimes& before, const CpuTimes& after) {
  return Fraction(after.steal - before.steal, before, after);
}

double IdleFraction(const CpuTimes& before, const CpuTimes& after) {
  return Fraction(after.idle - before.idle, before, after);
}

}  // namespace fieldwork::bench
