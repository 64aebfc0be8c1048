// Fault scenarios on Redis, under booking (and attendance) load from clients that retry
// UNAVAILABLE / DEADLINE_EXCEEDED with the same request_id:
//  - RedisRestarted: SIGKILL Redis mid-load and start it again on the same data (AOF,
//    appendfsync always): while it is gone every service reports NOT_SERVING and answers
//    UNAVAILABLE (not a hang until the deadline); they recover by themselves; every acknowledged
//    write survives.
//  - RedisSlow: DEBUG SLEEP past the callers' deadlines: DEADLINE_EXCEEDED / UNAVAILABLE, and
//    afterwards every read answers about what it asked for (no late reply matched to the wrong
//    command) and every value written reads back as written.
//  - RedisRefusesWrites: Redis refuses every write (min-replicas-to-write 1 with no replica, the
//    same refusal path as a failed AOF write): writes fail with a clear error, reads keep working,
//    nothing is half-written.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/fault/attendance_load.h"
#include "tests/fault/booking_load.h"
#include "tests/fault/fault_scenario.h"
#include "tests/fault/load_bounds.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;

constexpr absl::Duration kLockTtl = absl::Seconds(1);

ClusterOptions Replicas(bool with_peers) {
  ClusterOptions options;
  options.scheduling_replicas = 2;
  options.scheduling_flags = {absl::StrCat("--lock-ttl=", absl::FormatDuration(kLockTtl)),
                              "--lock-wait=3s"};
  options.with_attendance_and_reporting = with_peers;
  return options;
}

CheckOptions Checks() {
  CheckOptions options;
  options.lock_ttl = kLockTtl;
  return options;
}

// GetMember of m<i> through `replica` with a deadline of `timeout`.
grpc::Status GetMember(FaultCluster& cluster, int replica, int i, absl::Duration timeout,
                       sv1::Member* member) {
  auto roster = sv1::RosterService::NewStub(cluster.scheduling(replica).channel());
  sv1::GetMemberRequest request;
  request.set_name(absl::StrCat(kFaultParent, "/members/m", i));
  grpc::ClientContext context;
  PrepareContext(context, kStaffA, timeout);
  return roster->GetMember(&context, request, member);
}

bool AllReport(FaultCluster& cluster, ServingStatus wanted) {
  for (int i = 0; i < cluster.scheduling_replicas(); ++i) {
    const absl::StatusOr<ServingStatus> health = cluster.scheduling(i).Health();
    if (!health.ok() || *health != wanted) return false;
  }
  return true;
}

class RedisFaultTest : public FaultScenarioTest {};

TEST_F(RedisFaultTest, RedisKilledAndRestartedOnSameDataKeepsEveryAcknowledgedWrite) {
  StartCluster(Replicas(/*with_peers=*/true), /*attendance_events=*/4 * SoakFactor());
  ASSERT_FALSE(HasFatalFailure());
  const LoadBounds bounds = Bounded({600, absl::Seconds(20), 8});
  BookingLoad bookings(cluster(), history(), bounds, RetryPolicy());
  bookings.Start();
  ASSERT_TRUE(WaitFor([&] { return bookings.sent() >= bounds.max_requests / 3 || bookings.done(); },
                      absl::Seconds(30), "a third of the load")
                  .ok());

  cluster().redis().Kill();
  // Attendance changes start while Redis is gone and must get through once it is back.
  AttendanceLoad attendance(cluster(), history(), StoriesOf(attendance_events()), 4, RetryPolicy(),
                            "restart");
  attendance.Start();
  const absl::Status not_serving = WaitFor(
      [&] {
        const absl::StatusOr<ServingStatus> peer = cluster().attendance().CheckHealth();
        return AllReport(cluster(), grpc::health::v1::HealthCheckResponse::NOT_SERVING) &&
               peer.ok() && *peer == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
      },
      absl::Seconds(15), "every service to report NOT_SERVING without Redis");
  EXPECT_TRUE(not_serving.ok()) << not_serving;
  // A call while Redis is gone answers UNAVAILABLE rather than running into its deadline.
  sv1::Member member;
  const grpc::Status down = GetMember(cluster(), 0, 0, absl::Seconds(8), &member);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(down);

  const absl::Status restarted = cluster().redis().Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  const absl::Status recovered = WaitFor(
      [&] {
        const absl::StatusOr<ServingStatus> peer = cluster().attendance().CheckHealth();
        return AllReport(cluster(), grpc::health::v1::HealthCheckResponse::SERVING) && peer.ok() &&
               *peer == grpc::health::v1::HealthCheckResponse::SERVING;
      },
      absl::Seconds(30), "every service to serve again by itself");
  EXPECT_TRUE(recovered.ok()) << recovered;
  bookings.Join();
  attendance.Join();
  const HistoryCounts counts = CheckAndReport(Checks());
  EXPECT_GT(counts.retried, 0) << "no request met the Redis outage";
  EXPECT_EQ(counts.failed_unexpectedly, 0) << counts.ToString();
}

TEST_F(RedisFaultTest, RedisSlowerThanDeadlinesNeverMatchesALateReplyToAnotherCommand) {
  StartCluster(Replicas(/*with_peers=*/false));
  ASSERT_FALSE(HasFatalFailure());
  RetryPolicy policy;
  policy.attempt_timeout = absl::Seconds(1);
  BookingLoad bookings(cluster(), history(), Bounded({500, absl::Seconds(15), 8}), policy);
  bookings.Start();
  int stalls = 0;
  int timed_out_reads = 0;
  int mismatched_reads = 0;
  int reads_after = 0;
  while (!bookings.done() && stalls < 3 * SoakFactor()) {
    // Reads sent while Redis sleeps, each asking for a different member: their late replies
    // must never answer another command.
    std::thread stalled_reads([&] {
      for (int i = 0; i < kBookingMembers; ++i) {
        sv1::Member member;
        const grpc::Status status =
            GetMember(cluster(), i % 2, i, absl::Milliseconds(300), &member);
        if (IsRetryable(status.error_code())) ++timed_out_reads;
      }
    });
    // The fault: Redis answers nothing for two seconds, longer than every caller's deadline.
    const absl::StatusOr<std::string> slept =
        cluster().redis().Command({"DEBUG", "SLEEP", "2"}, absl::Seconds(10));
    stalled_reads.join();
    ASSERT_TRUE(slept.ok()) << slept.status();
    ++stalls;
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < kBookingMembers; ++i) {
        sv1::Member member;
        const grpc::Status status =
            GetMember(cluster(), (i + round) % 2, i, absl::Seconds(5), &member);
        if (!status.ok()) continue;
        ++reads_after;
        if (member.name() != absl::StrCat(kFaultParent, "/members/m", i)) {
          ++mismatched_reads;
          ADD_FAILURE() << "GetMember m" << i << " answered " << member.ShortDebugString();
        }
      }
    }
  }
  bookings.Join();
  const HistoryCounts counts = CheckAndReport(Checks());
  int deadline_attempts = 0;
  for (const Operation& operation : history().operations()) {
    for (grpc::StatusCode code : operation.attempts) deadline_attempts += IsRetryable(code);
  }
  std::cout << "[fault] stalls=" << stalls << " timed-out attempts=" << deadline_attempts
            << " timed-out reads=" << timed_out_reads << " reads after=" << reads_after
            << " mismatched=" << mismatched_reads << std::endl;
  EXPECT_GE(stalls, 2);
  EXPECT_GT(deadline_attempts + timed_out_reads, 0) << "Redis never outlasted a deadline";
  EXPECT_GT(reads_after, 0);
  EXPECT_EQ(mismatched_reads, 0);
}

TEST_F(RedisFaultTest, RedisRefusingWritesFailsWritesClearlyKeepsReadsAndHalfWritesNothing) {
  StartCluster(Replicas(/*with_peers=*/true), /*attendance_events=*/2);
  ASSERT_FALSE(HasFatalFailure());
  {
    BookingLoad before(cluster(), history(), {60, absl::Seconds(10), 4}, RetryPolicy());
    before.Start();
    before.Join();
  }
  // Redis now refuses every write command and every script that writes ("NOREPLICAS"), and
  // still serves reads.
  ASSERT_TRUE(cluster().redis().Command({"CONFIG", "SET", "min-replicas-to-write", "1"}).ok());
  History refused;
  RetryPolicy policy;
  policy.max_attempts = 2;
  {
    BookingLoad during(cluster(), refused, {40, absl::Seconds(10), 4}, policy, "r");
    during.Start();
    during.Join();
    AttendanceLoad attendance(cluster(), refused, StoriesOf(attendance_events()), 2, policy,
                              "refused");
    attendance.Start();
    attendance.Join();
  }
  std::map<std::string, int> refusals;
  for (const Operation& operation : refused.operations()) {
    ++refusals[absl::StrCat(KindName(operation.kind), " ", CodeName(operation.code))];
    EXPECT_FALSE(operation.acknowledged())
        << KindName(operation.kind) << " " << operation.request_id << " was acknowledged";
    EXPECT_NE(operation.code, grpc::StatusCode::DEADLINE_EXCEEDED)
        << "a refused write should fail at once, not hang: " << operation.message;
    EXPECT_TRUE(absl::StrContains(operation.message, "ERROR_REASON_STORE_UNAVAILABLE"))
        << "not a clear refusal: " << Describe(operation);
  }
  for (const auto& [what, count] : refusals) {
    std::cout << "[fault] refused " << what << "=" << count << std::endl;
  }
  if (!refused.operations().empty()) {
    std::cout << "[fault] refusal message: " << refused.operations()[0].message << std::endl;
  }
  // Reads keep working meanwhile: the roster, events and attendance records.
  for (int i = 0; i < kBookingMembers; ++i) {
    sv1::Member member;
    const grpc::Status read = GetMember(cluster(), i % 2, i, absl::Seconds(5), &member);
    EXPECT_TRUE(read.ok()) << Describe(read);
  }
  History refused_for_checker;
  for (Operation operation : refused.operations()) {
    operation.known_refused = true;
    refused_for_checker.Add(std::move(operation));
  }
  CheckOptions no_replay = Checks();
  no_replay.replay = false;  // a replay would be refused too
  const Verdict during = Checker(cluster(), refused_for_checker, no_replay).Check();
  EXPECT_TRUE(during.ok()) << "while Redis refuses writes: " << during.ToString();
  ASSERT_TRUE(cluster().redis().Command({"CONFIG", "SET", "min-replicas-to-write", "0"}).ok());
  // Nothing half-written: none of the refused requests left a trace (events, calendar entries,
  // locks, attendance changes), and the writes acknowledged before are all there.
  for (const Operation& operation : refused_for_checker.operations()) history().Add(operation);
  const HistoryCounts counts = CheckAndReport(Checks());
  EXPECT_GT(counts.acknowledged, 10);
}

}  // namespace
}  // namespace fieldwork::testing
