// The gtest fixture every fault scenario builds on: starts the cluster and the roster, owns the
// history, and ends a scenario by running the checker and printing one line of counts and the
// verdict ("[fault] <scenario>: requests=… acknowledged=… failed{…} retried=… | verdict: PASS
// (…)").
#ifndef FIELDWORK_TESTS_FAULT_FAULT_SCENARIO_H_
#define FIELDWORK_TESTS_FAULT_FAULT_SCENARIO_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/fault/checker.h"
#include "tests/fault/fault_cluster.h"
#include "tests/fault/history.h"

namespace fieldwork::testing {

class FaultScenarioTest : public ::testing::Test {
 protected:
  // Starts the cluster, creates the booking roster and, when asked, `attendance_events` events
  // with eight members each.
  void StartCluster(const ClusterOptions& options, int attendance_events = 0);

  FaultCluster& cluster() { return *cluster_; }
  History& history() { return history_; }
  const std::vector<AttendanceEvent>& attendance_events() const { return attendance_events_; }

  // Runs the checker, prints the scenario's counts and verdict (and the first few requests that
  // failed unexpectedly), and fails the test on any violation. Returns the counts for the
  // scenario's own assertions.
  HistoryCounts CheckAndReport(const CheckOptions& options = {});

 private:
  std::unique_ptr<FaultCluster> cluster_;
  History history_;
  std::vector<AttendanceEvent> attendance_events_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_FAULT_SCENARIO_H_
