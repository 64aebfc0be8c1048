// The attendance load of the fault scenarios: client threads working through the records of the
// in-progress events, each record getting one story: a staff check-in at a time of its own
// (even records), or a leave request followed by its approval (odd records). Every request has a
// request_id, is retried as retrying_call.h says and is recorded in the history.
#ifndef FIELDWORK_TESTS_FAULT_ATTENDANCE_LOAD_H_
#define FIELDWORK_TESTS_FAULT_ATTENDANCE_LOAD_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_cluster.h"
#include "tests/fault/history.h"
#include "tests/fault/load_bounds.h"
#include "tests/fault/retrying_call.h"

namespace fieldwork::testing {

// One record's story.
struct AttendanceStory {
  std::string record;        // <event>/attendance/<member>
  bool check_in = true;      // else leave request + approval
  absl::Time check_in_time;  // for check-ins
};

// The stories of `events`' records, alternating check-in and leave.
std::vector<AttendanceStory> StoriesOf(const std::vector<AttendanceEvent>& events);

class AttendanceLoad {
 public:
  // `tag` makes the request_ids of this load unique within the scenario.
  AttendanceLoad(FaultCluster& cluster, History& history, std::vector<AttendanceStory> stories,
                 int clients, RetryPolicy policy, std::string tag);
  AttendanceLoad(const AttendanceLoad&) = delete;
  AttendanceLoad& operator=(const AttendanceLoad&) = delete;
  ~AttendanceLoad() { Join(); }

  void Start();
  void Join();

 private:
  void Tell(const AttendanceStory& story, int index);

  FaultCluster& cluster_;
  History& history_;
  const std::vector<AttendanceStory> stories_;
  const int clients_count_;
  const RetryPolicy policy_;
  const std::string tag_;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> clients_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_ATTENDANCE_LOAD_H_
