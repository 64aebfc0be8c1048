// Fault scenario "peer down": every scheduling replica is killed while attendance and reporting
// keep taking calls. Attendance writes and reporting reads must answer a clear UNAVAILABLE (or, for
// a read, the right answer) — never a wrong answer, a hang into the deadline, or a half-written
// record; once scheduling is back on the same addresses both recover by themselves, the same
// requests retried with their request_ids take effect exactly once, and the reports show them.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/fault/attendance_load.h"
#include "tests/fault/fault_scenario.h"
#include "tests/fault/load_bounds.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

namespace rv1 = ::fieldwork::reporting::v1;
namespace av1 = ::fieldwork::attendance::v1;

grpc::Status GetSheet(FaultCluster& cluster, const std::string& event, rv1::EventSheet* sheet) {
  sheet->Clear();
  rv1::GetEventSheetRequest request;
  request.set_event(event);
  grpc::ClientContext context;
  PrepareContext(context, kStaffA, absl::Seconds(8));
  return cluster.ReportingStub()->GetEventSheet(&context, request, sheet);
}

// The sheet without what changes from one read to the next (when it was made).
std::string Content(rv1::EventSheet sheet) {
  sheet.clear_metadata();
  return sheet.SerializeAsString();
}

std::string MemberOf(const std::string& record) { return record.substr(record.rfind('/') + 1); }

class PeerDownFaultTest : public FaultScenarioTest {};

TEST_F(PeerDownFaultTest, SchedulingDownGivesClearUnavailableNoWrongAnswerAndRecovers) {
  ClusterOptions options;
  options.scheduling_replicas = 2;
  options.with_attendance_and_reporting = true;
  StartCluster(options, /*attendance_events=*/4 * SoakFactor());
  ASSERT_FALSE(HasFatalFailure());
  const std::vector<AttendanceStory> stories = StoriesOf(attendance_events());
  const std::vector<AttendanceStory> before(stories.begin(), stories.begin() + stories.size() / 2);
  const std::vector<AttendanceStory> during(stories.begin() + stories.size() / 2, stories.end());
  {
    AttendanceLoad load(cluster(), history(), before, 4, RetryPolicy(), "up");
    load.Start();
  }
  std::map<std::string, rv1::EventSheet> baseline;
  for (const AttendanceEvent& event : attendance_events()) {
    const grpc::Status read = GetSheet(cluster(), event.name, &baseline[event.name]);
    ASSERT_TRUE(read.ok()) << Describe(read);
  }

  for (int i = 0; i < cluster().scheduling_replicas(); ++i) cluster().scheduling(i).Kill();
  std::map<std::string, int> outage_answers;
  for (const AttendanceEvent& event : attendance_events()) {
    rv1::EventSheet sheet;
    const grpc::Status read = GetSheet(cluster(), event.name, &sheet);
    ++outage_answers[absl::StrCat("GetEventSheet ", CodeName(read.error_code()))];
    if (read.ok()) {
      EXPECT_EQ(Content(sheet), Content(baseline[event.name])) << "a wrong sheet of " << event.name;
    } else {
      EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(read);
    }
  }
  History outage;
  RetryPolicy once;
  once.max_attempts = 1;
  {
    AttendanceLoad load(cluster(), outage, during, 4, once, "down");
    load.Start();
  }
  for (const Operation& operation : outage.operations()) {
    ++outage_answers[absl::StrCat(KindName(operation.kind), " ", CodeName(operation.code))];
    EXPECT_EQ(operation.code, grpc::StatusCode::UNAVAILABLE)
        << KindName(operation.kind) << " " << operation.target
        << " with scheduling down: " << CodeName(operation.code) << " " << operation.message;
  }
  for (const auto& [what, count] : outage_answers)
    std::cout << "[fault] outage " << what << "=" << count << "\n";
  // Attendance promises that nothing is written when scheduling cannot be asked.
  History refused;
  for (Operation operation : outage.operations()) {
    operation.known_refused = true;
    refused.Add(std::move(operation));
  }

  for (int i = 0; i < cluster().scheduling_replicas(); ++i) {
    const absl::Status started = cluster().scheduling(i).Start();
    ASSERT_TRUE(started.ok()) << started;
  }
  const absl::Status recovered = WaitFor(
      [&] {
        rv1::EventSheet sheet;
        return GetSheet(cluster(), attendance_events()[0].name, &sheet).ok();
      },
      absl::Seconds(60), "reporting and attendance to reach scheduling again");
  ASSERT_TRUE(recovered.ok()) << recovered;
  CheckOptions no_replay;
  no_replay.replay = false;
  const Verdict nothing_written = Checker(cluster(), refused, no_replay).Check();
  EXPECT_TRUE(nothing_written.ok()) << "after the outage: " << nothing_written.ToString();

  // The same requests, retried with the same request_ids now that scheduling is back.
  {
    AttendanceLoad load(cluster(), history(), during, 4, RetryPolicy(), "down");
    load.Start();
  }
  const HistoryCounts counts = CheckAndReport();
  EXPECT_EQ(counts.failed_unexpectedly, 0) << counts.ToString();
  // The reports show every story.
  for (const AttendanceEvent& event : attendance_events()) {
    rv1::EventSheet sheet;
    const grpc::Status read = GetSheet(cluster(), event.name, &sheet);
    ASSERT_TRUE(read.ok()) << Describe(read);
    std::map<std::string, const rv1::EventSheetLine*> lines;
    for (const rv1::EventSheetLine& line : sheet.lines()) lines[MemberOf(line.member())] = &line;
    for (const AttendanceStory& story : stories) {
      if (!absl::StartsWith(story.record, event.name + "/")) continue;
      const rv1::EventSheetLine* line = lines[MemberOf(story.record)];
      ASSERT_NE(line, nullptr) << story.record << " is not on the sheet";
      if (story.check_in) {
        EXPECT_EQ(line->check_in_time().seconds(), absl::ToUnixSeconds(story.check_in_time))
            << story.record;
      } else {
        EXPECT_EQ(line->leave_state(), av1::LEAVE_STATE_APPROVED) << story.record;
      }
    }
  }
}

}  // namespace
}  // namespace fieldwork::testing
