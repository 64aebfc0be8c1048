// The audit policy, resource extraction and entry building (common/audit/audit_entry.h), on real
// request messages and without I/O.
#include "common/audit/audit_entry.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "common/api/error_reason.h"
#include "common/errors.h"
#include "common/message_names.h"
#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"

namespace fieldwork {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;
namespace cv1 = ::fieldwork::common::v1;

constexpr char kCreateEvent[] = "/fieldwork.scheduling.v1.SchedulingService/CreateEvent";
constexpr char kUpdateEvent[] = "/fieldwork.scheduling.v1.SchedulingService/UpdateEvent";
constexpr char kGetEvent[] = "/fieldwork.scheduling.v1.SchedulingService/GetEvent";
constexpr char kCheckIn[] = "/fieldwork.attendance.v1.AttendanceService/CheckIn";

RpcCallInfo StaffCall(absl::string_view method, absl::string_view organization) {
  RpcCallInfo info;
  info.method = std::string(method);
  info.organization = std::string(organization);
  info.subject = "staff-li";
  info.role = Role::kStaff;
  info.scope = std::string(organization);
  info.authenticated = true;
  info.authorized = true;
  return info;
}

// `info` with what the interceptor copies from `request`.
RpcCallInfo Noting(RpcCallInfo info, const google::protobuf::Message& request) {
  info.request_names = ResourceNamesOf(request);
  info.request_id = RequestIdOf(request);
  return info;
}

TEST(AuditPolicyTest, AuditsEverythingButReads) {
  EXPECT_TRUE(IsAuditedMethod(kCreateEvent));
  EXPECT_TRUE(IsAuditedMethod(kCheckIn));
  EXPECT_TRUE(IsAuditedMethod("/fieldwork.reporting.v1.ReportingService/ExportReport"));
  EXPECT_TRUE(IsAuditedMethod("/fieldwork.scheduling.v1.SchedulingService/ExportCalendar"));
  EXPECT_FALSE(IsAuditedMethod(kGetEvent));
  EXPECT_FALSE(IsAuditedMethod("/fieldwork.scheduling.v1.RosterService/ListMembers"));
  EXPECT_FALSE(IsAuditedMethod("/fieldwork.scheduling.v1.SchedulingService/FindSlots"));
  EXPECT_FALSE(IsAuditedMethod("/fieldwork.scheduling.v1.SchedulingService/WatchChanges"));
}

TEST(AuditPolicyTest, AuditsDeniedReads) {
  EXPECT_TRUE(IsAuditedCall(kGetEvent, grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(IsAuditedCall(kGetEvent, grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_FALSE(IsAuditedCall(kGetEvent, grpc::StatusCode::NOT_FOUND));
  EXPECT_FALSE(IsAuditedCall(kGetEvent, grpc::StatusCode::OK));
  EXPECT_TRUE(IsAuditedCall(kCreateEvent, grpc::StatusCode::INVALID_ARGUMENT));
}

TEST(AuditResourceTest, CreateNamesTheNewResourceOnSuccessAndTheParentOnFailure) {
  const std::vector<std::string> request = {"organizations/o1"};
  const std::vector<std::string> response = {"organizations/o1/events/e1"};
  EXPECT_EQ(AuditResource(kCreateEvent, request, response, true, "o1"),
            "organizations/o1/events/e1");
  EXPECT_EQ(AuditResource(kCreateEvent, request, {}, false, "o1"), "organizations/o1");
  EXPECT_EQ(AuditResource(kUpdateEvent, {"organizations/o1/events/e2"}, response, true, "o1"),
            "organizations/o1/events/e2")
      << "only a Create is named by its answer";
}

TEST(AuditResourceTest, ANameOutsideTheOrganizationFallsBackToTheOrganization) {
  EXPECT_EQ(AuditResource(kCheckIn, {"organizations/o2/events/e1/attendance/m1"}, {}, false, "o1"),
            "organizations/o1");
  EXPECT_EQ(AuditResource(kCheckIn, {"organizations/o10/events/e1"}, {}, false, "o1"),
            "organizations/o1")
      << "an id that merely starts with the organization's is another organization";
  EXPECT_EQ(AuditResource(kCheckIn, {"organizations/o2/x", "organizations/o1/events/e3"}, {}, false,
                          "o1"),
            "organizations/o1/events/e3");
  EXPECT_EQ(AuditResource(kCheckIn, {}, {}, false, "o1"), "organizations/o1");
}

TEST(AuditResourceTest, OrganizationNamedByTheAnswerThenTheRequest) {
  EXPECT_EQ(OrganizationNamedBy({"organizations/o2/events/e1"}, {}), "o2");
  EXPECT_EQ(OrganizationNamedBy({"organizations/o2"}, {"organizations/o3"}), "o3");
  EXPECT_EQ(OrganizationNamedBy({"organizations/Bad_Id/events/e1"}, {}), "");
  EXPECT_EQ(OrganizationNamedBy({"members/m1"}, {}), "");
  EXPECT_EQ(OrganizationNamedBy({}, {}), "");
}

TEST(AuditEntryTest, RecordsWhoWhatAndOutcome) {
  sv1::CancelEventRequest request;
  request.set_name("organizations/o1/events/e1");
  request.set_request_id("r-1");
  RpcCallInfo info = StaffCall("/fieldwork.scheduling.v1.SchedulingService/CancelEvent", "o1");
  info.replayed = true;
  const grpc::Status status = grpc::Status::OK;
  const absl::Time time = absl::FromUnixSeconds(1767225600);
  const std::optional<PendingAuditEntry> pending = AuditEntryFor(
      FinishedCall{Noting(info, request), {}, status, "ipv4:127.0.0.1:5000", time}, "scheduling");
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->organization, "o1");
  EXPECT_TRUE(pending->may_create_stream);
  const cv1::AuditEntry& entry = pending->entry;
  EXPECT_EQ(entry.time().seconds(), 1767225600);
  EXPECT_EQ(entry.service(), "scheduling");
  EXPECT_EQ(entry.method(), "/fieldwork.scheduling.v1.SchedulingService/CancelEvent");
  EXPECT_EQ(entry.caller().subject(), "staff-li");
  EXPECT_EQ(entry.caller().role(), cv1::CALLER_ROLE_STAFF);
  EXPECT_FALSE(entry.has_original_caller());
  EXPECT_EQ(entry.request_id(), "r-1");
  EXPECT_EQ(entry.resource(), "organizations/o1/events/e1");
  EXPECT_EQ(entry.status_code(), 0);
  EXPECT_EQ(entry.error_reason(), "");
  EXPECT_TRUE(entry.replayed());
  EXPECT_EQ(entry.peer(), "ipv4:127.0.0.1:5000");
}

TEST(AuditEntryTest, AFailureCarriesItsCodeAndReason) {
  sv1::CancelEventRequest request;
  request.set_name("organizations/o1/events/e1");
  const RpcCallInfo info =
      StaffCall("/fieldwork.scheduling.v1.SchedulingService/CancelEvent", "o1");
  const grpc::Status status =
      ToGrpcStatus(WithReason(absl::AbortedError("stale"), cv1::ERROR_REASON_STALE_ETAG));
  const std::optional<PendingAuditEntry> pending =
      AuditEntryFor(FinishedCall{Noting(info, request), {}, status, "", absl::Now()}, "scheduling");
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->entry.status_code(), static_cast<int>(grpc::StatusCode::ABORTED));
  EXPECT_EQ(pending->entry.error_reason(), "ERROR_REASON_STALE_ETAG");
}

TEST(AuditEntryTest, AForwardedCallNamesTheServiceAndTheOriginalCaller) {
  sv1::CancelEventRequest request;
  RpcCallInfo info = StaffCall("/fieldwork.scheduling.v1.SchedulingService/CancelEvent", "o1");
  info.via = "attendance";
  const grpc::Status status = grpc::Status::OK;
  const std::optional<PendingAuditEntry> pending =
      AuditEntryFor(FinishedCall{Noting(info, request), {}, status, "", absl::Now()}, "scheduling");
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->entry.caller().subject(), "attendance");
  EXPECT_EQ(pending->entry.caller().role(), cv1::CALLER_ROLE_SERVICE);
  EXPECT_EQ(pending->entry.original_caller().subject(), "staff-li");
  EXPECT_EQ(pending->entry.original_caller().role(), cv1::CALLER_ROLE_STAFF);
}

TEST(AuditEntryTest, ACallIntoAnotherTenantIsRecordedWithItsCaller) {
  sv1::CancelEventRequest request;
  request.set_name("organizations/o2/events/e1");
  RpcCallInfo info = StaffCall("/fieldwork.scheduling.v1.SchedulingService/CancelEvent", "o2");
  info.scope = "o1";
  const grpc::Status status(grpc::StatusCode::NOT_FOUND, "organizations/o2 not found");
  const std::optional<PendingAuditEntry> pending =
      AuditEntryFor(FinishedCall{Noting(info, request), {}, status, "", absl::Now()}, "scheduling");
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->organization, "o1");
  EXPECT_EQ(pending->entry.resource(), "organizations/o1");
}

TEST(AuditEntryTest, AnUnauthenticatedCallGoesOnlyIntoAnExistingStreamOfTheNamedOrganization) {
  sv1::GetEventRequest request;
  request.set_name("organizations/o1/events/e1");
  RpcCallInfo info;
  info.method = kGetEvent;
  const grpc::Status status(grpc::StatusCode::UNAUTHENTICATED, "unknown bearer token");
  const std::optional<PendingAuditEntry> pending =
      AuditEntryFor(FinishedCall{Noting(info, request), {}, status, "", absl::Now()}, "scheduling");
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->organization, "o1");
  EXPECT_FALSE(pending->may_create_stream);
  EXPECT_FALSE(pending->entry.has_caller());
}

TEST(AuditEntryTest, SkipsReadsAndCallsWithoutAnOrganization) {
  sv1::GetEventRequest read;
  read.set_name("organizations/o1/events/e1");
  const RpcCallInfo info = StaffCall(kGetEvent, "o1");
  const grpc::Status ok = grpc::Status::OK;
  EXPECT_FALSE(AuditEntryFor(FinishedCall{Noting(info, read), {}, ok, "", absl::Now()}, "s"));
  RpcCallInfo anonymous;
  anonymous.method = kCreateEvent;
  const grpc::Status denied(grpc::StatusCode::UNAUTHENTICATED, "");
  EXPECT_FALSE(AuditEntryFor(FinishedCall{anonymous, {}, denied, "", absl::Now()}, "s"));
}

}  // namespace
}  // namespace fieldwork
