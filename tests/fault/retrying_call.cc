// Retrying a request through the next replica (see retrying_call.h).
#include "tests/fault/retrying_call.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

// How long a new request starts away from a replica that answered UNAVAILABLE.
constexpr absl::Duration kAvoidAfterUnavailable = absl::Milliseconds(500);

absl::Mutex avoid_mu;
std::map<int, absl::Time>& UnavailableAt() ABSL_EXCLUSIVE_LOCKS_REQUIRED(avoid_mu) {
  static auto* const at = new std::map<int, absl::Time>();
  return *at;
}

// The first replica from `preferred` on that has not answered UNAVAILABLE lately; `preferred`
// when every one has.
int FirstReplica(int replicas, int preferred) {
  absl::MutexLock lock(&avoid_mu);
  const absl::Time now = absl::Now();
  for (int n = 0; n < replicas; ++n) {
    const int replica = (preferred + n) % replicas;
    const auto last = UnavailableAt().find(replica);
    if (last == UnavailableAt().end() || now - last->second > kAvoidAfterUnavailable) {
      return replica;
    }
  }
  return preferred;
}

void NoteUnavailable(int replica) {
  absl::MutexLock lock(&avoid_mu);
  UnavailableAt()[replica] = absl::Now();
}

}  // namespace

grpc::Status CallWithRetry(const RetryPolicy& policy, int replicas, int first_replica,
                           absl::string_view token, const Attempt& attempt, Operation& operation) {
  const absl::Time give_up = absl::Now() + policy.budget;
  absl::Duration backoff = absl::Milliseconds(50);
  grpc::Status status;
  const int first = FirstReplica(replicas, first_replica);
  for (int n = 0; n < policy.max_attempts; ++n) {
    grpc::ClientContext context;
    PrepareContext(context, token, policy.attempt_timeout);
    const int replica = (first + n) % replicas;
    status = attempt(replica, &context);
    operation.attempts.push_back(status.error_code());
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) NoteUnavailable(replica);
    if (!IsRetryable(status.error_code()) || absl::Now() + backoff >= give_up) break;
    // A client's backoff between attempts, not a wait for a condition.
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(1));
  }
  operation.code = status.error_code();
  operation.message = Describe(status);
  // Which bookings a refused booking collided with: the checker names them in its violations.
  std::set<std::string> booked_by;
  const common::v1::Conflicts conflicts = ConflictsOf(status);
  for (const auto& conflict : conflicts.conflicts()) booked_by.insert(conflict.booked_by());
  operation.conflicts_with.assign(booked_by.begin(), booked_by.end());
  if (!booked_by.empty()) {
    absl::StrAppend(&operation.message, " [conflicts with: ", absl::StrJoin(booked_by, ", "), "]");
  }
  return status;
}

}  // namespace fieldwork::testing
