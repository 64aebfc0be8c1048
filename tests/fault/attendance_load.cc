// The attendance load (see attendance_load.h).
#include "tests/fault/attendance_load.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;
namespace av1 = ::fieldwork::attendance::v1;

}  // namespace

std::vector<AttendanceStory> StoriesOf(const std::vector<AttendanceEvent>& events) {
  std::vector<AttendanceStory> stories;
  for (const AttendanceEvent& event : events) {
    for (size_t i = 0; i < event.records.size(); ++i) {
      stories.push_back({event.records[i], i % 2 == 0,
                         event.start + absl::Seconds(static_cast<int64_t>(7 * i + 1))});
    }
  }
  return stories;
}

AttendanceLoad::AttendanceLoad(FaultCluster& cluster, History& history,
                               std::vector<AttendanceStory> stories, int clients,
                               RetryPolicy policy, std::string tag)
    : cluster_(cluster),
      history_(history),
      stories_(std::move(stories)),
      clients_count_(clients),
      policy_(policy),
      tag_(std::move(tag)) {}

void AttendanceLoad::Start() {
  for (int client = 0; client < clients_count_; ++client) {
    clients_.emplace_back([this] {
      for (size_t index = next_.fetch_add(1); index < stories_.size(); index = next_.fetch_add(1)) {
        Tell(stories_[index], static_cast<int>(index));
      }
    });
  }
}

void AttendanceLoad::Join() {
  for (std::thread& client : clients_) {
    if (client.joinable()) client.join();
  }
}

void AttendanceLoad::Tell(const AttendanceStory& story, int index) {
  const std::unique_ptr<av1::AttendanceService::Stub> stub = cluster_.AttendanceStub();
  auto send = [&](OperationKind kind, const std::string& request_id, const auto& request,
                  auto rpc) {
    Operation operation;
    operation.kind = kind;
    operation.request_id = request_id;
    operation.target = story.record;
    operation.request = request.SerializeAsString();
    const grpc::Status status = CallWithRetry(
        policy_, 1, 0, kStaffA, [&](int, grpc::ClientContext* context) { return rpc(context); },
        operation);
    history_.Add(std::move(operation));
    return status;
  };
  if (story.check_in) {
    av1::CheckInRequest request;
    request.set_name(story.record);
    *request.mutable_check_in_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(story.check_in_time));
    request.set_request_id(absl::StrCat(tag_, "-in-", index));
    av1::CheckInResponse response;
    send(OperationKind::kCheckIn, request.request_id(), request,
         [&](grpc::ClientContext* context) { return stub->CheckIn(context, request, &response); });
    return;
  }
  av1::RequestLeaveRequest leave;
  leave.set_name(story.record);
  leave.set_reason(absl::StrCat("出差 ", tag_, " ", index));
  leave.set_request_id(absl::StrCat(tag_, "-leave-", index));
  av1::AttendanceRecord record;
  const grpc::Status requested = send(
      OperationKind::kRequestLeave, leave.request_id(), leave,
      [&](grpc::ClientContext* context) { return stub->RequestLeave(context, leave, &record); });
  if (!requested.ok()) return;
  av1::DecideLeaveRequest decide;
  decide.set_name(story.record);
  decide.set_decision(av1::LEAVE_DECISION_APPROVE);
  decide.set_request_id(absl::StrCat(tag_, "-decide-", index));
  send(OperationKind::kDecideLeave, decide.request_id(), decide,
       [&](grpc::ClientContext* context) { return stub->DecideLeave(context, decide, &record); });
}

}  // namespace fieldwork::testing
