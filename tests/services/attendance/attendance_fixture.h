// Shared fixture of the attendance integration tests: the scheduling fixture (one private Redis,
// one fieldwork-scheduling, its tokens file and cast of callers, organization kOrgA created) plus
// one fieldwork-attendance per test binary pointed at that scheduling (restarted when it died or
// when scheduling moved), a way to start more attendance replicas (storm, peer-down tests), and
// one-line builders for what attendance tests arrange: members, events at times relative to now
// with LEAD/REQUIRED/OPTIONAL participants, attendance settings, check-in codes.
//
//   class CheckInRpcTest : public AttendanceFixture {};
//   TEST_F(CheckInRpcTest, StaffChecksInAnyParticipant) {
//     const std::string event = CreateEventOrDie("e1", Now() - absl::Minutes(5), ...);
//     att::CheckInRequest request;  ...
//     att::CheckInResponse response;
//     grpc::Status status = Call(&Attendance::CheckIn, kStaffA, request, &response);
//   }
#ifndef FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_FIXTURE_H_
#define FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/common/v1/error.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "tests/harness/service_process.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {

namespace att = ::fieldwork::attendance::v1;
using Attendance = att::AttendanceService::Stub;

// How to start one fieldwork-attendance process.
struct AttendanceReplicaOptions {
  std::string redis_url;          // required
  std::string scheduling_target;  // required, "127.0.0.1:<port>"
  std::string tokens_file;        // "" → the scheduling fixture's tokens file
  absl::Duration finalize_sweep_interval = absl::Seconds(1);
  std::vector<std::string> extra_flags;
};

// The path of a file holding the kService token (mode 0600), written once per test binary.
absl::StatusOr<std::string> ServiceTokenFile();

// Starts a fieldwork-attendance process and waits until it serves.
absl::StatusOr<std::unique_ptr<ServiceProcess>> StartAttendanceReplica(
    const AttendanceReplicaOptions& options);

// The Timestamp of `time` (whole seconds) and back.
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

// A per-row status of BatchCheckIn as a grpc::Status, so Describe, ErrorReasonOf and
// ViolationFields read it like a call's answer.
grpc::Status ToGrpcStatus(const common::v1::ErrorStatus& status);

// A member invited to an event, by member id (of kOrgA for the fixture's helpers).
struct Invitee {
  std::string member_id;
  v1::ParticipantRole role = v1::PARTICIPANT_ROLE_REQUIRED;
};

// Creates event `event_id` of `organization_id` over [start, end) with `invitees` (member ids of
// that organization), in `state`, through `scheduling` as `token`; returns the event's name and
// fails the test otherwise. For tests with their own processes and organizations (the check-in
// storm); AttendanceFixture::CreateEventOrDie is its kOrgA shorthand.
std::string CreateEventOrDie(Scheduling& scheduling, absl::string_view token,
                             absl::string_view organization_id, absl::string_view event_id,
                             absl::Time start, absl::Time end, const std::vector<Invitee>& invitees,
                             v1::EventState state = v1::EVENT_STATE_SCHEDULED);

// Every record of ListAttendance `request` through `attendance` as `token`, following the pages;
// fails the test when a page fails or the pages never end.
std::vector<att::AttendanceRecord> ListAllRecords(Attendance& attendance, absl::string_view token,
                                                  att::ListAttendanceRequest request);

class AttendanceFixture : public CalendarFixture {
 protected:
  // Scheduling fixture (Redis flushed, kOrgA created), then the shared attendance process.
  void SetUp() override;

  ServiceProcess& attendance_service() { return *attendance_service_; }
  Attendance& attendance() { return *attendance_; }

  using SchedulingFixture::Call;
  // Calls a unary AttendanceService RPC with `token`: Call(&Attendance::Respond, kMemberA1, ...).
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Attendance::*rpc)(grpc::ClientContext*, const Request&,
                                                    Response*),
                    absl::string_view token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token);
    return (attendance_.get()->*rpc)(&context, request, response);
  }

  // Now, truncated to whole seconds (the API takes whole seconds).
  static absl::Time Now();

  // Resource names in kOrgA.
  static std::string EventName(absl::string_view event_id);
  static std::string RecordName(absl::string_view event_name, absl::string_view member_id);

  // Sets an organization's attendance settings (every sub-field) as admin; fails the test
  // otherwise.
  void SetAttendanceSettings(const v1::AttendanceSettings& settings,
                             absl::string_view organization_id = kOrgA);
  // Creates the members of kOrgA with these ids; fails the test otherwise.
  void CreateMembers(const std::vector<std::string>& member_ids);
  // Creates kOrgB and its member m1 (the kMemberB1 token's subject).
  void CreateOtherOrganization();

  // Creates event `event_id` of kOrgA over [start, end) with `invitees`, SCHEDULED (or DRAFT),
  // as kStaffA; returns its name and fails the test otherwise.
  std::string CreateEventOrDie(absl::string_view event_id, absl::Time start, absl::Time end,
                               const std::vector<Invitee>& invitees,
                               v1::EventState state = v1::EVENT_STATE_SCHEDULED);
  // Events relative to now: started five minutes ago and ending in two hours; ended two hours
  // ago (three hours ago to two hours ago); starting tomorrow for two hours.
  std::string CreateInProgressEvent(absl::string_view event_id,
                                    const std::vector<Invitee>& invitees);
  std::string CreateEndedEvent(absl::string_view event_id, const std::vector<Invitee>& invitees);
  std::string CreateFutureEvent(absl::string_view event_id, const std::vector<Invitee>& invitees);
  // Cancels `event_name` through scheduling; fails the test otherwise.
  void CancelEventOrDie(const std::string& event_name);
  // The event as scheduling stores it.
  v1::Event GetEventOrDie(const std::string& event_name);

  // The current check-in code of `event_name`, issued to kStaffA; fails the test otherwise.
  std::string IssueCodeOrDie(const std::string& event_name);
  // A 6-digit code different from `code` (a wrong code for the event).
  static std::string OtherCode(absl::string_view code);

  // Reads one record as `token`; fails the test otherwise.
  att::AttendanceRecord GetRecordOrDie(const std::string& record_name,
                                       absl::string_view token = kStaffA);
  // Every record of ListAttendance `request` as kStaffA (or `token`), following the pages.
  std::vector<att::AttendanceRecord> ListAllRecords(att::ListAttendanceRequest request,
                                                    absl::string_view token = kStaffA);

  // Staff check-in / check-out of `member_id` at `time`; fails the test otherwise.
  att::CheckInResponse StaffCheckInOrDie(const std::string& event_name, absl::string_view member_id,
                                         absl::Time time);
  att::CheckOutResponse StaffCheckOutOrDie(const std::string& event_name,
                                           absl::string_view member_id, absl::Time time);

 private:
  ServiceProcess* attendance_service_ = nullptr;
  std::unique_ptr<Attendance> attendance_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_FIXTURE_H_
