// The processes of one fault scenario, all real and on loopback: a durable Redis (AOF,
// appendfsync always), N fieldwork-scheduling replicas on fixed addresses (so they can be killed,
// paused, stopped and started again where peers expect them), and optionally one attendance and
// one reporting replica balancing over every scheduling replica. Plus the roster the loads use:
// organization kOrgA with booking members m0…, exclusive venues v0…, and in-progress events
// att0… whose required participants a0… take check-ins and leave requests.
#ifndef FIELDWORK_TESTS_FAULT_FAULT_CLUSTER_H_
#define FIELDWORK_TESTS_FAULT_FAULT_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/reporting/v1/reporting_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/fault/restartable_service.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/service_process.h"

namespace fieldwork::testing {

inline constexpr char kFaultParent[] = "organizations/tongguan";

struct ClusterOptions {
  int scheduling_replicas = 2;
  std::vector<std::string> scheduling_flags;  // e.g. "--lock-ttl=1s"
  // More flags for replica i (index into this vector; replicas past its end get none).
  std::vector<std::vector<std::string>> replica_extra_flags;
  bool with_attendance_and_reporting = false;
};

// An attendance event and the records the attendance load acts on.
struct AttendanceEvent {
  std::string name;
  absl::Time start;
  std::vector<std::string> records;  // <event>/attendance/<member>
};

class FaultCluster {
 public:
  static absl::StatusOr<std::unique_ptr<FaultCluster>> Start(const ClusterOptions& options);
  FaultCluster(const FaultCluster&) = delete;
  FaultCluster& operator=(const FaultCluster&) = delete;
  // Stops the peers before scheduling and scheduling before Redis.
  ~FaultCluster();

  RedisServer& redis() { return *redis_; }
  int scheduling_replicas() const { return static_cast<int>(scheduling_.size()); }
  RestartableService& scheduling(int replica) { return *scheduling_[replica]; }
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> SchedulingStub(int replica) const;
  std::unique_ptr<attendance::v1::AttendanceService::Stub> AttendanceStub() const;
  std::unique_ptr<reporting::v1::ReportingService::Stub> ReportingStub() const;
  ServiceProcess& attendance() { return *attendance_; }
  ServiceProcess& reporting() { return *reporting_; }

  // Creates the organization, `members` members m0… and `venues` exclusive venues v0….
  absl::Status CreateRoster(int members, int venues);
  // Creates `events` SCHEDULED events att0… running now (started five minutes ago, two hours
  // long), each with `members_per_event` required members of their own (a0…).
  absl::StatusOr<std::vector<AttendanceEvent>> CreateAttendanceEvents(int events,
                                                                      int members_per_event);

 private:
  FaultCluster() = default;
  absl::Status StartProcesses(const ClusterOptions& options);

  std::unique_ptr<RedisServer> redis_;
  std::vector<std::unique_ptr<RestartableService>> scheduling_;
  std::unique_ptr<ServiceProcess> attendance_;
  std::unique_ptr<ServiceProcess> reporting_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_FAULT_CLUSTER_H_
