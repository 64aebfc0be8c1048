// The demo organization generated from a seed: a fictitious district committee's roster, venues and
// a few months of past and planned activities, plus what happened at the past ones. Pure: no I/O,
// the same options always give the same plan, and the plan never double-books a member or an
// exclusive venue (the scheduling service would refuse it).
#ifndef FIELDWORK_TOOLS_DEMO_DEMO_PLAN_H_
#define FIELDWORK_TOOLS_DEMO_DEMO_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "fieldwork/scheduling/v1/roster_service.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"

namespace fieldwork::demo {

struct DemoOptions {
  std::string organization_id = "demo";
  uint32_t seed = 1;
  // Events are laid out around the week of `now`: about three months back, two months ahead.
  absl::Time now;
};

struct PlannedEvent {
  scheduling::v1::CreateEventRequest create;
  // Ended long enough ago to carry attendance (check-ins, leave, finalization).
  bool past = false;
  // When set, the event is cancelled with this reason right after it is booked.
  std::string cancel_reason;
};

// Every mutating request carries a request_id derived from the seed, the week and the resource, so
// rerunning an interrupted load replays instead of duplicating.
struct DemoPlan {
  DemoOptions options;
  std::string parent;  // "organizations/{organization_id}"
  scheduling::v1::CreateOrganizationRequest organization;
  std::vector<scheduling::v1::CreateUnitRequest> units;
  std::vector<scheduling::v1::CreateVenueRequest> venues;
  scheduling::v1::ImportMembersRequest members;
  std::vector<PlannedEvent> events;  // in time order
  // Starts every request_id: "demo/{seed}/{Monday of the week of now, yyyymmdd}/".
  std::string request_id_prefix;

  // `suffix` with the prefix, e.g. "demo/1/20261123/unit/sector-economy".
  std::string RequestId(const std::string& suffix) const;
};

DemoPlan MakeDemoPlan(const DemoOptions& options);

// What happened at a past event, decided from the plan's seed and the event as booked (its
// resolved participants): approved leaves first, then the sign-in sheet, then finalization.
struct AttendancePlan {
  std::vector<attendance::v1::RequestLeaveRequest> leaves;
  attendance::v1::BatchCheckInRequest check_ins;  // no rows when nobody came
  attendance::v1::FinalizeEventRequest finalize;
};

AttendancePlan PlanAttendance(const DemoPlan& plan, const scheduling::v1::Event& event);

}  // namespace fieldwork::demo

#endif  // FIELDWORK_TOOLS_DEMO_DEMO_PLAN_H_
