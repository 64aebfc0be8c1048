// The fault scenario fixture (see fault_scenario.h).
#include "tests/fault/fault_scenario.h"

#include <iostream>

#include "tests/fault/booking_load.h"
#include "tests/fault/load_bounds.h"

namespace fieldwork::testing {

void FaultScenarioTest::StartCluster(const ClusterOptions& options, int attendance_events) {
  absl::StatusOr<std::unique_ptr<FaultCluster>> cluster = FaultCluster::Start(options);
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  cluster_ = *std::move(cluster);
  const absl::Status roster = cluster_->CreateRoster(kBookingMembers, kBookingVenues);
  ASSERT_TRUE(roster.ok()) << roster;
  if (attendance_events == 0) return;
  absl::StatusOr<std::vector<AttendanceEvent>> events =
      cluster_->CreateAttendanceEvents(attendance_events, /*members_per_event=*/8);
  ASSERT_TRUE(events.ok()) << events.status();
  attendance_events_ = *std::move(events);
}

HistoryCounts FaultScenarioTest::CheckAndReport(const CheckOptions& options) {
  const Verdict verdict = Checker(*cluster_, history_, options).Check();
  const HistoryCounts counts = history_.Counts();
  std::cout << "[fault] " << ::testing::UnitTest::GetInstance()->current_test_info()->name()
            << " (soak x" << SoakFactor() << "): " << counts.ToString()
            << " | verdict: " << verdict.ToString() << std::endl;
  EXPECT_TRUE(verdict.ok()) << verdict.ToString();
  int shown = 0;
  for (const Operation& operation : history_.operations()) {
    if (operation.acknowledged() || operation.known_refused ||
        operation.code == grpc::StatusCode::FAILED_PRECONDITION ||
        operation.code == grpc::StatusCode::ABORTED || ++shown > 5) {
      continue;
    }
    std::cout << "[fault]   failed: " << Describe(operation) << std::endl;
  }
  return counts;
}

}  // namespace fieldwork::testing
