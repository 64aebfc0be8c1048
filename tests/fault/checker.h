// The fault suite's checker: after a scenario's load and faults, reads everything back through the
// real RPCs (and Redis where only Redis can tell) and lists every violation of DESIGN.md
// invariants 1–4 against the recorded history:
//  - no required participant (travel buffer included) and no exclusive venue double-booked;
//  - every acknowledged booking, cancellation, check-in, leave request and leave decision present;
//  - no failed request left partial state: a definitely refused booking made no event; the
//    calendars in Redis hold exactly the entries of the SCHEDULED events (no orphan entry of a
//    failed or cancelled booking, none missing — the loads make no holds or busy blocks); no
//    calendar lock outlives its TTL;
//  - retries with the same request_id made exactly one effect: one event per CreateEvent
//    request_id; replaying every acknowledged or ambiguous request again with its request_id
//    answers the first answer and changes nothing (attendance records keep their update_time).
#ifndef FIELDWORK_TESTS_FAULT_CHECKER_H_
#define FIELDWORK_TESTS_FAULT_CHECKER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "tests/fault/fault_cluster.h"
#include "tests/fault/history.h"

namespace fieldwork::testing {

struct Verdict {
  std::vector<std::string> violations;
  std::map<std::string, int> checked;  // what was checked → how many

  bool ok() const { return violations.empty(); }
  // "PASS (…)" or "FAIL: n violations: …" with the checked counts.
  std::string ToString() const;
};

struct CheckOptions {
  absl::Duration lock_ttl = absl::Seconds(1);  // the scheduling replicas' --lock-ttl
  bool replay = true;                          // replay requests to prove retries are safe
};

class Checker {
 public:
  Checker(FaultCluster& cluster, const History& history, CheckOptions options = {});

  // Every check; every scheduling replica (and attendance, when the history has attendance
  // requests) must be up.
  Verdict Check();

 private:
  std::vector<scheduling::v1::Event> ListEvents(Verdict& verdict);
  void CheckNoDoubleBooking(const std::vector<scheduling::v1::Event>& events, Verdict& verdict);
  void CheckBookingsPresent(const std::vector<scheduling::v1::Event>& events, Verdict& verdict);
  void CheckCalendars(const std::vector<scheduling::v1::Event>& events, Verdict& verdict);
  void CheckNoLingeringLocks(Verdict& verdict);
  void ReplayBookings(Verdict& verdict);
  void CheckAttendance(Verdict& verdict);

  FaultCluster& cluster_;
  const std::vector<Operation> operations_;
  const CheckOptions options_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_CHECKER_H_
