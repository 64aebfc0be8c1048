// How the machine's CPU time was spent while a scenario ran, from Linux's /proc/stat. On a
// virtual machine `steal` is the time the hypervisor gave our virtual CPUs to someone else:
// the load generator reports it beside each figure, since a run that lost a third of its CPU
// says more about the host than about the code.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_CPU_TIMES_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_CPU_TIMES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fieldwork::bench {

// Cumulative clock ticks of all CPUs together.
struct CpuTimes {
  int64_t busy = 0;   // user, nice, system, irq, softirq
  int64_t idle = 0;   // idle and iowait
  int64_t steal = 0;  // taken by the hypervisor
};

// Parses the aggregate "cpu  user nice system idle iowait irq softirq steal ..." line of
// /proc/stat (the first line). Older kernels without the steal column read as steal 0.
absl::StatusOr<CpuTimes> ParseProcStatCpuLine(absl::string_view line);

// The first line of /proc/stat, parsed; zeros when it cannot be read (not Linux).
CpuTimes ReadCpuTimes();

// Of the ticks between `before` and `after`, the fraction stolen and the fraction idle; 0 when
// no tick passed.
double StolenFraction(const CpuTimes& before, const CpuTimes& after);
double IdleFraction(const CpuTimes& before, const CpuTimes& after);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_CPU_TIMES_H_
