// The checker itself: a checker that never fails proves nothing, so each kind of violation is
// planted on a real cluster (through Redis or a forged history) and must be reported.
#include "tests/fault/checker.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/fault/booking_load.h"
#include "tests/fault/fault_scenario.h"

namespace fieldwork::testing {
namespace {

class CheckerTest : public FaultScenarioTest {};

bool Reports(const Verdict& verdict, const std::string& needle) {
  for (const std::string& violation : verdict.violations) {
    if (absl::StrContains(violation, needle)) return true;
  }
  return false;
}

TEST_F(CheckerTest, ReportsLostBookingsOrphanEntriesStaleLocksAndRefusedBookingsThatTookEffect) {
  ClusterOptions options;
  options.scheduling_replicas = 1;
  StartCluster(options);
  ASSERT_FALSE(HasFatalFailure());
  BookingLoad load(cluster(), history(), {20, absl::Seconds(10), 2}, RetryPolicy());
  load.Start();
  load.Join();
  Verdict clean = Checker(cluster(), history()).Check();
  ASSERT_TRUE(clean.ok()) << clean.ToString();

  // A booking acknowledged but not stored, a refused booking whose event exists, a calendar
  // entry no event books, and a lock that never expires.
  Operation lost;
  lost.kind = OperationKind::kCreateEvent;
  lost.request_id = "lost";
  lost.code = grpc::StatusCode::OK;
  lost.attempts = {grpc::StatusCode::OK};
  lost.result = absl::StrCat(kFaultParent, "/events/lost");
  history().Add(lost);
  for (const Operation& operation : history().operations()) {
    if (!operation.acknowledged() || operation.kind != OperationKind::kCreateEvent) continue;
    Operation refused = operation;
    refused.code = grpc::StatusCode::FAILED_PRECONDITION;
    refused.attempts = {grpc::StatusCode::FAILED_PRECONDITION};
    History forged;
    forged.Add(refused);
    CheckOptions no_replay;
    no_replay.replay = false;
    const Verdict verdict = Checker(cluster(), forged, no_replay).Check();
    EXPECT_TRUE(Reports(verdict, "refused CreateEvent")) << verdict.ToString();
    break;
  }
  ASSERT_TRUE(
      cluster()
          .redis()
          .Command({"ZADD", "fw:{tongguan}:cal:member:m0", "1900003600",
                    absl::StrCat("1900000000|1900003600|1|-|", kFaultParent, "/events/ghost")})
          .ok());
  ASSERT_TRUE(cluster().redis().Command({"SET", "fw:{tongguan}:lock:member:m1", "stale"}).ok());
  CheckOptions short_locks;
  short_locks.lock_ttl = absl::Milliseconds(100);
  const Verdict verdict = Checker(cluster(), history(), short_locks).Check();
  std::cout << "[fault] planted violations: " << verdict.ToString() << std::endl;
  EXPECT_TRUE(Reports(verdict, "acknowledged CreateEvent lost")) << verdict.ToString();
  EXPECT_TRUE(Reports(verdict, "orphan calendar entry")) << verdict.ToString();
  EXPECT_TRUE(Reports(verdict, "calendar locks outlive their TTL")) << verdict.ToString();
}

}  // namespace
}  // namespace fieldwork::testing
