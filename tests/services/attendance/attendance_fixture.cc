// The attendance integration test fixture (see attendance_fixture.h).
#include "tests/services/attendance/attendance_fixture.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/harness/child_process.h"

#ifndef FIELDWORK_ATTENDANCE_BINARY
#error "FIELDWORK_ATTENDANCE_BINARY must name the fieldwork-attendance executable"
#endif

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

absl::StatusOr<std::string> WriteServiceTokenFile() {
  const std::string path = absl::StrCat(MakeTempDir("attendance-service-token"), "/token");
  std::ofstream out(path);
  out << kService << "\n";
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  if (chmod(path.c_str(), 0600) != 0) return absl::InternalError(absl::StrCat("chmod ", path));
  return path;
}

// The attendance process shared by the tests of this test binary and the scheduling address it
// was started against; (re)started when missing, dead, or when scheduling moved to another port.
struct SharedAttendance {
  std::unique_ptr<ServiceProcess> process;
  std::string scheduling_target;
};

SharedAttendance* const shared_attendance = new SharedAttendance();
// The shared scheduling process the shared attendance talks to (owned by the scheduling fixture).
ServiceProcess* shared_scheduling = nullptr;

// The shared processes outlive every test but must not outlive the test binary: they would keep
// retrying the binary's Redis, which is gone.
class StopSharedServicesAtExit : public ::testing::Environment {
 public:
  void TearDown() override {
    shared_attendance->process.reset();
    if (shared_scheduling != nullptr) {
      shared_scheduling->Stop(absl::Seconds(10)).status().IgnoreError();
    }
  }
};
::testing::Environment* const stop_shared_services =
    ::testing::AddGlobalTestEnvironment(new StopSharedServicesAtExit());

absl::StatusOr<ServiceProcess*> SharedAttendanceService(const std::string& redis_url,
                                                        const std::string& scheduling_target) {
  SharedAttendance* const shared = shared_attendance;
  // Set by ctest for the run of CheckInRpcTest against a replica with an event cache, where
  // CheckIn takes its path without waiting (services/attendance/README.md). Each test then gets
  // a fresh process, so no test acts on events cached by another.
  const char* const cache_ttl = std::getenv("FIELDWORK_TEST_EVENT_CACHE_TTL");
  if (cache_ttl == nullptr && shared->process != nullptr &&
      shared->scheduling_target == scheduling_target &&
      !shared->process->process().Wait(absl::ZeroDuration()).ok()) {
    return shared->process.get();
  }
  shared->process.reset();
  AttendanceReplicaOptions options;
  options.redis_url = redis_url;
  options.scheduling_target = scheduling_target;
  if (cache_ttl != nullptr) {
    options.extra_flags.push_back(absl::StrCat("--event-cache-ttl=", cache_ttl));
  }
  absl::StatusOr<std::unique_ptr<ServiceProcess>> started = StartAttendanceReplica(options);
  if (!started.ok()) return started.status();
  shared->process = *std::move(started);
  shared->scheduling_target = scheduling_target;
  return shared->process.get();
}

}  // namespace

absl::StatusOr<std::string> ServiceTokenFile() {
  static const absl::StatusOr<std::string>* const path =
      new absl::StatusOr<std::string>(WriteServiceTokenFile());
  return *path;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> StartAttendanceReplica(
    const AttendanceReplicaOptions& options) {
  absl::StatusOr<std::string> tokens = SchedulingTokensFile();
  if (!tokens.ok()) return tokens.status();
  absl::StatusOr<std::string> service_token = ServiceTokenFile();
  if (!service_token.ok()) return service_token.status();
  ServiceOptions service;
  service.binary = FIELDWORK_ATTENDANCE_BINARY;
  service.flags = {
      absl::StrCat("--redis-url=", options.redis_url),
      absl::StrCat("--tokens-file=", options.tokens_file.empty() ? *tokens : options.tokens_file),
      absl::StrCat("--scheduling-target=", options.scheduling_target),
      absl::StrCat("--service-token-file=", *service_token),
      absl::StrCat("--finalize-sweep-interval=",
                   absl::FormatDuration(options.finalize_sweep_interval)),
      "--log-level=warn"};
  service.flags.insert(service.flags.end(), options.extra_flags.begin(), options.extra_flags.end());
  return ServiceProcess::Start(service);
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(time));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

grpc::Status ToGrpcStatus(const common::v1::ErrorStatus& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message(),
                      status.SerializeAsString());
}

std::string CreateEventOrDie(Scheduling& scheduling, absl::string_view token,
                             absl::string_view organization_id, absl::string_view event_id,
                             absl::Time start, absl::Time end, const std::vector<Invitee>& invitees,
                             v1::EventState state) {
  const std::string parent = absl::StrCat("organizations/", organization_id);
  v1::CreateEventRequest request;
  request.set_parent(parent);
  request.set_event_id(std::string(event_id));
  v1::Event& event = *request.mutable_event();
  event.set_kind(v1::EVENT_KIND_INSPECTION);
  event.set_title(absl::StrCat("专题视察 ", event_id));
  event.set_state(state);
  *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
  *event.mutable_time_range()->mutable_end_time() = ToTimestamp(end);
  for (const Invitee& invitee : invitees) {
    v1::Participant& participant = *event.add_participants();
    participant.set_member(absl::StrCat(parent, "/members/", invitee.member_id));
    participant.set_role(invitee.role);
  }
  v1::CreateEventResponse response;
  grpc::ClientContext context;
  PrepareContext(context, token);
  const grpc::Status status = scheduling.CreateEvent(&context, request, &response);
  EXPECT_TRUE(status.ok()) << "CreateEvent " << event_id << ": " << Describe(status);
  return absl::StrCat(parent, "/events/", event_id);
}

std::vector<att::AttendanceRecord> ListAllRecords(Attendance& attendance, absl::string_view token,
                                                  att::ListAttendanceRequest request) {
  std::vector<att::AttendanceRecord> records;
  // A bound on pages, so a server that never ends the list fails the test instead of hanging it.
  for (int page = 0; page < 1000; ++page) {
    att::ListAttendanceResponse response;
    grpc::ClientContext context;
    PrepareContext(context, token);
    const grpc::Status status = attendance.ListAttendance(&context, request, &response);
    EXPECT_TRUE(status.ok()) << "ListAttendance: " << Describe(status);
    if (!status.ok()) return records;
    records.insert(records.end(), response.records().begin(), response.records().end());
    if (response.next_page_token().empty()) return records;
    request.set_page_token(response.next_page_token());
  }
  ADD_FAILURE() << "ListAttendance never returned its last page";
  return records;
}

void AttendanceFixture::SetUp() {
  CalendarFixture::SetUp();
  if (HasFatalFailure()) return;
  shared_scheduling = &service();
  absl::StatusOr<ServiceProcess*> started =
      SharedAttendanceService(redis().url(), service().address());
  ASSERT_TRUE(started.ok()) << started.status();
  attendance_service_ = *started;
  attendance_ = att::AttendanceService::NewStub(attendance_service_->channel());
}

absl::Time AttendanceFixture::Now() {
  return absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
}

std::string AttendanceFixture::EventName(absl::string_view event_id) {
  return absl::StrCat("organizations/", kOrgA, "/events/", event_id);
}

std::string AttendanceFixture::RecordName(absl::string_view event_name,
                                          absl::string_view member_id) {
  return absl::StrCat(event_name, "/attendance/", member_id);
}

void AttendanceFixture::SetAttendanceSettings(const v1::AttendanceSettings& settings,
                                              absl::string_view organization_id) {
  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(absl::StrCat("organizations/", organization_id));
  *request.mutable_organization()->mutable_attendance_settings() = settings;
  request.mutable_update_mask()->add_paths("attendance_settings");
  v1::Organization organization;
  const grpc::Status status = Call(&Scheduling::UpdateOrganization, kAdmin, request, &organization);
  ASSERT_TRUE(status.ok()) << "UpdateOrganization: " << Describe(status);
}

void AttendanceFixture::CreateMembers(const std::vector<std::string>& member_ids) {
  for (const std::string& id : member_ids) CreateMember(id);
}

void AttendanceFixture::CreateOtherOrganization() {
  CreateOrganizationOrDie(kOrgB, "郊区政协");
  v1::CreateMemberRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgB));
  request.set_member_id("m1");
  request.mutable_member()->set_display_name("郊区委员");
  request.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
  request.mutable_member()->set_status(v1::MEMBER_STATUS_ACTIVE);
  v1::Member member;
  const grpc::Status status = Call(&Roster::CreateMember, kStaffB, request, &member);
  EXPECT_TRUE(status.ok()) << "CreateMember in " << kOrgB << ": " << Describe(status);
}

std::string AttendanceFixture::CreateEventOrDie(absl::string_view event_id, absl::Time start,
                                                absl::Time end,
                                                const std::vector<Invitee>& invitees,
                                                v1::EventState state) {
  return fieldwork::testing::CreateEventOrDie(scheduling(), kStaffA, kOrgA, event_id, start, end,
                                              invitees, state);
}

std::string AttendanceFixture::CreateInProgressEvent(absl::string_view event_id,
                                                     const std::vector<Invitee>& invitees) {
  const absl::Time now = Now();
  return CreateEventOrDie(event_id, now - absl::Minutes(5), now + absl::Hours(2), invitees);
}

std::string AttendanceFixture::CreateEndedEvent(absl::string_view event_id,
                                                const std::vector<Invitee>& invitees) {
  const absl::Time now = Now();
  return CreateEventOrDie(event_id, now - absl::Hours(3), now - absl::Hours(2), invitees);
}

std::string AttendanceFixture::CreateFutureEvent(absl::string_view event_id,
                                                 const std::vector<Invitee>& invitees) {
  const absl::Time now = Now();
  return CreateEventOrDie(event_id, now + absl::Hours(24), now + absl::Hours(26), invitees);
}

void AttendanceFixture::CancelEventOrDie(const std::string& event_name) {
  v1::CancelEventRequest request;
  request.set_name(event_name);
  request.set_reason("天气原因取消");
  v1::Event event;
  const grpc::Status status = Call(&Scheduling::CancelEvent, kStaffA, request, &event);
  ASSERT_TRUE(status.ok()) << "CancelEvent " << event_name << ": " << Describe(status);
}

v1::Event AttendanceFixture::GetEventOrDie(const std::string& event_name) {
  v1::GetEventRequest request;
  request.set_name(event_name);
  v1::Event event;
  const grpc::Status status = Call(&Scheduling::GetEvent, kStaffA, request, &event);
  EXPECT_TRUE(status.ok()) << "GetEvent " << event_name << ": " << Describe(status);
  return event;
}

std::string AttendanceFixture::IssueCodeOrDie(const std::string& event_name) {
  att::IssueCheckInCodeRequest request;
  request.set_event(event_name);
  att::IssueCheckInCodeResponse response;
  const grpc::Status status = Call(&Attendance::IssueCheckInCode, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "IssueCheckInCode " << event_name << ": " << Describe(status);
  return response.code();
}

std::string AttendanceFixture::OtherCode(absl::string_view code) {
  int value = 0;
  for (const char digit : code) value = (value * 10 + (digit - '0')) % 1000000;
  return absl::StrFormat("%06d", (value + 500000) % 1000000);
}

att::AttendanceRecord AttendanceFixture::GetRecordOrDie(const std::string& record_name,
                                                        absl::string_view token) {
  att::GetAttendanceRequest request;
  request.set_name(record_name);
  att::AttendanceRecord record;
  const grpc::Status status = Call(&Attendance::GetAttendance, token, request, &record);
  EXPECT_TRUE(status.ok()) << "GetAttendance " << record_name << ": " << Describe(status);
  return record;
}

std::vector<att::AttendanceRecord> AttendanceFixture::ListAllRecords(
    att::ListAttendanceRequest request, absl::string_view token) {
  return fieldwork::testing::ListAllRecords(attendance(), token, std::move(request));
}

att::CheckInResponse AttendanceFixture::StaffCheckInOrDie(const std::string& event_name,
                                                          absl::string_view member_id,
                                                          absl::Time time) {
  att::CheckInRequest request;
  request.set_name(RecordName(event_name, member_id));
  *request.mutable_check_in_time() = ToTimestamp(time);
  att::CheckInResponse response;
  const grpc::Status status = Call(&Attendance::CheckIn, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "CheckIn " << request.name() << ": " << Describe(status);
  return response;
}

att::CheckOutResponse AttendanceFixture::StaffCheckOutOrDie(const std::string& event_name,
                                                            absl::string_view member_id,
                                                            absl::Time time) {
  att::CheckOutRequest request;
  request.set_name(RecordName(event_name, member_id));
  *request.mutable_check_out_time() = ToTimestamp(time);
  att::CheckOutResponse response;
  const grpc::Status status = Call(&Attendance::CheckOut, kStaffA, request, &response);
  EXPECT_TRUE(status.ok()) << "CheckOut " << request.name() << ": " << Describe(status);
  return response;
}

}  // namespace fieldwork::testing
