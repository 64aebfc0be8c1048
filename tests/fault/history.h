// The history of a fault scenario: every request the load sent, with its request_id, kind, target,
// each attempt's answer code, the final answer and whether it was acknowledged (OK). The checker
// reads it to know what must be present, what must be absent and what to replay; the scenario
// prints its counts.
#ifndef FIELDWORK_TESTS_FAULT_HISTORY_H_
#define FIELDWORK_TESTS_FAULT_HISTORY_H_

#include <grpcpp/support/status.h>

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace fieldwork::testing {

// What a request asked for; the checker knows how to read back and replay each kind.
enum class OperationKind { kCreateEvent, kCancelEvent, kCheckIn, kRequestLeave, kDecideLeave };

const char* KindName(OperationKind kind);

struct Operation {
  OperationKind kind = OperationKind::kCreateEvent;
  std::string request_id;
  std::string target;   // the resource acted on: parent, event or attendance record name
  std::string request;  // the serialized request (the same bytes on every attempt)
  std::string result;   // for creates: the name of the event the acknowledged answer returned
  std::vector<grpc::StatusCode> attempts;             // the code of each attempt, in order
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;  // the final answer's code
  std::string message;  // the final answer's message and details (conflicting bookings)
  // Set by a scenario that knows the request could not take effect whatever its code says (sent
  // while Redis refused every write): the checker then treats it as refused, not ambiguous.
  bool known_refused = false;

  std::vector<std::string> conflicts_with;  // bookings a refused booking collided with

  bool acknowledged() const { return code == grpc::StatusCode::OK; }
  bool retried() const { return attempts.size() > 1; }
  // The effect may or may not have happened: the final answer is UNAVAILABLE, DEADLINE_EXCEEDED or
  // the like, or any failure after an attempt that timed out or lost its replica (that attempt
  // may still commit after the retry answered; a replay with the request_id tells).
  bool ambiguous() const;
};

// A code a client retries through another replica with the same request_id.
bool IsRetryable(grpc::StatusCode code);

// Counts of a history, as each scenario prints them.
struct HistoryCounts {
  int requests = 0;
  int acknowledged = 0;
  int retried = 0;                            // requests that needed more than one attempt
  int attempts = 0;                           // attempts over all requests
  std::map<std::string, int> failed_by_code;  // final code name → requests
  // Final answers other than OK, a booking conflict (FAILED_PRECONDITION) or a busy calendar
  // (ABORTED), nor expected by the scenario (known_refused): what a client retrying UNAVAILABLE
  // should never see in a graceful rollout.
  int failed_unexpectedly = 0;

  std::string ToString() const;
};

// "CreateEvent c3-17 → organizations/…: UNAVAILABLE after [DEADLINE_EXCEEDED, UNAVAILABLE]: …".
std::string Describe(const Operation& operation);

class History {
 public:
  void Add(Operation operation);
  std::vector<Operation> operations() const;
  HistoryCounts Counts() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<Operation> operations_ ABSL_GUARDED_BY(mu_);
};

// "UNAVAILABLE", "DEADLINE_EXCEEDED", …
std::string CodeName(grpc::StatusCode code);

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_HISTORY_H_
