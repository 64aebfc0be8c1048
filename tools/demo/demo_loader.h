// Loads a DemoPlan into running fieldwork services over gRPC (roster and events through
// scheduling, the past events' attendance through attendance) and counts what an organization
// holds. Every create uses the plan's fixed ids and request_ids, so a load interrupted midway can
// simply be run again.
#ifndef FIELDWORK_TOOLS_DEMO_DEMO_LOADER_H_
#define FIELDWORK_TOOLS_DEMO_DEMO_LOADER_H_

#include <grpcpp/channel.h>

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/demo/demo_plan.h"

namespace fieldwork::demo {

enum class OrganizationState {
  kAbsent,
  // Created by a load that stopped before its last step (automatic finalization still off).
  kPartial,
  kLoaded,
};

struct OrganizationCounts {
  int members = 0;
  int units = 0;
  int venues = 0;
  int events = 0;
};

struct LoadSummary {
  int past_events = 0;      // events with attendance entered
  bool attendance = false;  // false when the attendance service did not serve it yet
};

class DemoLoader {
 public:
  // `log` receives one line per step.
  DemoLoader(const std::shared_ptr<grpc::Channel>& scheduling,
             const std::shared_ptr<grpc::Channel>& attendance, std::ostream& log);

  absl::StatusOr<OrganizationState> State(const std::string& organization_id);
  // Creates what `plan` holds and is missing, enters the past events' attendance, then turns the
  // organization's automatic finalization on (which marks the load complete).
  absl::StatusOr<LoadSummary> Load(const DemoPlan& plan);
  absl::StatusOr<OrganizationCounts> Count(const std::string& parent);

 private:
  absl::Status CreateEvents(const DemoPlan& plan, std::vector<scheduling::v1::Event>* past);
  // False when the attendance service answers UNIMPLEMENTED (it does not serve the RPCs yet).
  absl::StatusOr<bool> EnterAttendance(const DemoPlan& plan, const scheduling::v1::Event& event);

  std::unique_ptr<scheduling::v1::RosterService::Stub> roster_;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<attendance::v1::AttendanceService::Stub> attendance_;
  std::ostream& log_;
};

}  // namespace fieldwork::demo

#endif  // FIELDWORK_TOOLS_DEMO_DEMO_LOADER_H_
