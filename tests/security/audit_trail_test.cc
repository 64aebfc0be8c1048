// The audit trail (issue 8) against the real fieldwork-scheduling, fieldwork-attendance and
// fieldwork-reporting binaries on a real Redis: mutations, exports and denied calls through each
// service appear in that service's trail with the right method, caller, resource and outcome;
// reads do not; a replay is marked; the filters and pages of ListAuditEntries; who may read.
// Entries are written in the background a moment after each call, so the tests poll the trail
// with a deadline. Every test works on resources with ids of its own and filters on them, so
// entries of other tests cannot satisfy it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "fieldwork/common/v1/audit_service.grpc.pb.h"
#include "tests/services/reporting/reporting_fixture.h"

namespace fieldwork::testing {
namespace {

namespace cv1 = ::fieldwork::common::v1;

constexpr char kRoster[] = "/fieldwork.scheduling.v1.RosterService/";
constexpr char kScheduling[] = "/fieldwork.scheduling.v1.SchedulingService/";

class AuditTrailTest : public ReportingFixture {
 protected:
  static cv1::ListAuditEntriesRequest Beneath(const std::string& resource,
                                              absl::string_view organization = kOrgA) {
    cv1::ListAuditEntriesRequest request;
    request.set_parent(absl::StrCat("organizations/", organization));
    request.set_resource(resource);
    return request;
  }

  static grpc::Status List(ServiceProcess& process, absl::string_view token,
                           const cv1::ListAuditEntriesRequest& request,
                           cv1::ListAuditEntriesResponse* response) {
    grpc::ClientContext context;
    PrepareContext(context, token);
    return cv1::AuditService::NewStub(process.channel())
        ->ListAuditEntries(&context, request, response);
  }

  // The first page of `request` (as `token`) once it holds at least `count` entries, or as it
  // stands after 10 s.
  static std::vector<cv1::AuditEntry> Await(ServiceProcess& process,
                                            const cv1::ListAuditEntriesRequest& request,
                                            size_t count, absl::string_view token = kOrgAdminA) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    cv1::ListAuditEntriesResponse response;
    for (;;) {
      response.Clear();
      const grpc::Status status = List(process, token, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok() || static_cast<size_t>(response.audit_entries_size()) >= count ||
          absl::Now() > deadline) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return {response.audit_entries().begin(), response.audit_entries().end()};
  }
};

TEST_F(AuditTrailTest, RecordsAMutationWithMethodCallerResourceAndOutcome) {
  const std::string member = CreateMember("aud-m1");
  const std::vector<cv1::AuditEntry> entries = Await(service(), Beneath(member), 1);
  ASSERT_EQ(entries.size(), 1u);
  const cv1::AuditEntry& entry = entries[0];
  EXPECT_TRUE(absl::StartsWith(entry.name(), "organizations/tongguan/auditEntries/scheduling-"))
      << entry.name();
  EXPECT_EQ(entry.service(), "scheduling");
  EXPECT_EQ(entry.method(), absl::StrCat(kRoster, "CreateMember"));
  EXPECT_EQ(entry.caller().subject(), kStaffA);
  EXPECT_EQ(entry.caller().role(), cv1::CALLER_ROLE_STAFF);
  EXPECT_FALSE(entry.has_original_caller());
  EXPECT_EQ(entry.resource(), member);
  EXPECT_EQ(entry.status_code(), 0);
  EXPECT_EQ(entry.error_reason(), "");
  EXPECT_FALSE(entry.replayed());
  EXPECT_TRUE(absl::StrContains(entry.peer(), "127.0.0.1")) << entry.peer();
  EXPECT_LE(absl::Now() - FromTimestamp(entry.time()), absl::Minutes(1));
}

TEST_F(AuditTrailTest, AFailedMutationIsRecordedWithItsCodeAndReason) {
  const std::string event = CreateFutureEvent("aud-ev1", {});
  v1::CancelEventRequest request;
  request.set_name(event);
  request.set_reason("天气");
  request.set_etag("stale");
  v1::Event cancelled;
  const grpc::Status status = Call(&Scheduling::CancelEvent, kStaffA, request, &cancelled);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << Describe(status);

  cv1::ListAuditEntriesRequest failures = Beneath(event);
  failures.set_failures_only(true);
  const std::vector<cv1::AuditEntry> entries = Await(service(), failures, 1);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), absl::StrCat(kScheduling, "CancelEvent"));
  EXPECT_EQ(entries[0].resource(), event);
  EXPECT_EQ(entries[0].status_code(), static_cast<int>(grpc::StatusCode::ABORTED));
  EXPECT_EQ(entries[0].error_reason(), ErrorReasonOf(status));
  EXPECT_FALSE(entries[0].error_reason().empty());
}

TEST_F(AuditTrailTest, AReplayedRequestIdIsMarkedReplayed) {
  v1::CreateUnitRequest request;
  request.set_parent(absl::StrCat("organizations/", kOrgA));
  request.set_unit_id("aud-u1");
  request.mutable_unit()->set_display_name("经济界");
  request.mutable_unit()->set_kind(v1::UNIT_KIND_SECTOR);
  request.set_request_id("aud-replay-1");
  for (int attempt = 0; attempt < 2; ++attempt) {
    v1::Unit unit;
    const grpc::Status status = Call(&Roster::CreateUnit, kStaffA, request, &unit);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }
  const std::vector<cv1::AuditEntry> entries = Await(service(), Beneath(UnitName("aud-u1")), 2);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[0].replayed()) << "newest first: the retry";
  EXPECT_FALSE(entries[1].replayed());
  for (const cv1::AuditEntry& entry : entries) {
    EXPECT_EQ(entry.request_id(), "aud-replay-1");
    EXPECT_EQ(entry.resource(), UnitName("aud-u1"));
    EXPECT_EQ(entry.status_code(), 0);
  }
}

TEST_F(AuditTrailTest, ReadsAreNotRecordedButDeniedCallsAre) {
  const std::string member = CreateMember("aud-m2");
  v1::GetMemberRequest get;
  get.set_name(member);
  v1::Member read;
  ASSERT_TRUE(Call(&Roster::GetMember, kStaffA, get, &read).ok());
  // A member adding a busy block to another member, then a caller with an unknown token.
  v1::CreateBusyBlockRequest block;
  block.set_parent(member);
  *block.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(10));
  v1::BusyBlock created;
  const grpc::Status denied = Call(&Scheduling::CreateBusyBlock, kMemberA1, block, &created);
  ASSERT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(denied);
  const grpc::Status anonymous = Call(&Roster::GetMember, "no-such-token", get, &read);
  ASSERT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(anonymous);

  // Written in call order, so once the last is there any entry of the read would be too.
  const std::vector<cv1::AuditEntry> entries = Await(service(), Beneath(member), 3);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].method(), absl::StrCat(kRoster, "GetMember"));
  EXPECT_EQ(entries[0].status_code(), static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_FALSE(entries[0].has_caller());
  EXPECT_EQ(entries[1].method(), absl::StrCat(kScheduling, "CreateBusyBlock"));
  EXPECT_EQ(entries[1].status_code(), static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(entries[1].caller().subject(), MemberName("m1"));
  EXPECT_EQ(entries[1].caller().role(), cv1::CALLER_ROLE_MEMBER);
  EXPECT_EQ(entries[1].resource(), member);
  EXPECT_EQ(entries[2].method(), absl::StrCat(kRoster, "CreateMember"));
}

TEST_F(AuditTrailTest, AttendanceAndReportingRecordTheirOwnCallsInTheirOwnTrails) {
  const std::string member = CreateMember("aud-m3");
  const std::string event = CreateInProgressEvent("aud-ev2", {{"aud-m3"}});
  const std::string code = IssueCodeOrDie(event);
  const std::vector<cv1::AuditEntry> attendance = Await(attendance_service(), Beneath(event), 1);
  ASSERT_EQ(attendance.size(), 1u);
  EXPECT_EQ(attendance[0].service(), "attendance");
  EXPECT_EQ(attendance[0].method(), "/fieldwork.attendance.v1.AttendanceService/IssueCheckInCode");
  EXPECT_EQ(attendance[0].resource(), event);
  EXPECT_FALSE(absl::StrContains(attendance[0].SerializeAsString(), code))
      << "an entry never holds what the call returned";

  rep::ExportReportRequest export_request;
  export_request.set_table(rep::REPORT_TABLE_MEMBER_EVENTS);
  export_request.set_subject(member);
  *export_request.mutable_period() = Year(2026);
  ASSERT_TRUE(Export(kStaffA, export_request).status.ok());
  const std::vector<cv1::AuditEntry> reporting = Await(reporting_service(), Beneath(member), 1);
  ASSERT_EQ(reporting.size(), 1u);
  EXPECT_EQ(reporting[0].service(), "reporting");
  EXPECT_EQ(reporting[0].method(), "/fieldwork.reporting.v1.ReportingService/ExportReport");
  EXPECT_EQ(reporting[0].caller().subject(), kStaffA);
  EXPECT_EQ(reporting[0].status_code(), 0);
}

TEST_F(AuditTrailTest, ACallIntoAnotherTenantIsRecordedOnlyInTheCallersOrganization) {
  CreateOtherOrganization();
  const std::string event = CreateFutureEvent("aud-ev3", {});
  v1::CancelEventRequest request;
  request.set_name(event);
  request.set_reason("越权");
  v1::Event cancelled;
  const grpc::Status status = Call(&Scheduling::CancelEvent, kStaffB, request, &cancelled);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

  cv1::ListAuditEntriesRequest in_b = Beneath("", kOrgB);
  in_b.set_subject(kStaffB);
  in_b.set_method(absl::StrCat(kScheduling, "CancelEvent"));
  const std::vector<cv1::AuditEntry> entries = Await(service(), in_b, 1, kOrgAdminB);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].resource(), "organizations/jiaoqu");
  EXPECT_EQ(entries[0].status_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  // kOrgA's trail of the event holds its creation only.
  const std::vector<cv1::AuditEntry> in_a = Await(service(), Beneath(event), 1);
  ASSERT_EQ(in_a.size(), 1u);
  EXPECT_EQ(in_a[0].method(), absl::StrCat(kScheduling, "CreateEvent"));
}

TEST_F(AuditTrailTest, FiltersAndPages) {
  const std::string member = CreateMember("aud-pg");
  for (int day = 0; day < 5; ++day) {
    CreateBusyBlock(member, Monday(9, 0, day), Monday(10, 0, day));
  }
  v1::CreateBusyBlockRequest reversed;
  reversed.set_parent(member);
  *reversed.mutable_busy_block()->mutable_time_range() = Range(Monday(10), Monday(9));
  v1::BusyBlock block;
  ASSERT_EQ(Call(&Scheduling::CreateBusyBlock, kStaffA, reversed, &block).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<cv1::AuditEntry> all = Await(service(), Beneath(member), 7);
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(FromTimestamp(all[i - 1].time()), FromTimestamp(all[i].time())) << "newest first";
  }

  // Pages of 3 give the same entries in the same order, and the last page has no token.
  cv1::ListAuditEntriesRequest paged = Beneath(member);
  paged.set_page_size(3);
  std::vector<std::string> names;
  std::vector<int> page_sizes;
  for (;;) {
    cv1::ListAuditEntriesResponse page;
    const grpc::Status status = List(service(), kOrgAdminA, paged, &page);
    ASSERT_TRUE(status.ok()) << Describe(status);
    page_sizes.push_back(page.audit_entries_size());
    for (const cv1::AuditEntry& entry : page.audit_entries()) names.push_back(entry.name());
    if (page.next_page_token().empty()) break;
    paged.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  std::vector<std::string> expected;
  for (const cv1::AuditEntry& entry : all) expected.push_back(entry.name());
  EXPECT_EQ(names, expected);

  const auto count = [&](cv1::ListAuditEntriesRequest request) {
    request.set_page_size(1000);
    cv1::ListAuditEntriesResponse response;
    const grpc::Status status = List(service(), kOrgAdminA, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.audit_entries_size();
  };
  cv1::ListAuditEntriesRequest by_method = Beneath(member);
  by_method.set_method(absl::StrCat(kScheduling, "CreateBusyBlock"));
  EXPECT_EQ(count(by_method), 6);
  cv1::ListAuditEntriesRequest failures = Beneath(member);
  failures.set_failures_only(true);
  EXPECT_EQ(count(failures), 1);
  cv1::ListAuditEntriesRequest by_subject = Beneath(member);
  by_subject.set_subject(kStaffA);
  EXPECT_EQ(count(by_subject), 7);
  by_subject.set_subject(kAdmin);
  EXPECT_EQ(count(by_subject), 0);
  cv1::ListAuditEntriesRequest in_range = Beneath(member);
  *in_range.mutable_time_range()->mutable_start_time() = ToTimestamp(absl::FromUnixSeconds(1e9));
  *in_range.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromUnixSeconds(4e9));
  EXPECT_EQ(count(in_range), 7);
  *in_range.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromUnixSeconds(1e9 + 1));
  EXPECT_EQ(count(in_range), 0);

  // A token is tied to its filters; page sizes follow the proto.
  cv1::ListAuditEntriesRequest other = by_method;
  cv1::ListAuditEntriesRequest first = Beneath(member);
  first.set_page_size(3);
  cv1::ListAuditEntriesResponse page;
  ASSERT_TRUE(List(service(), kOrgAdminA, first, &page).ok());
  other.set_page_token(page.next_page_token());
  grpc::Status status = List(service(), kOrgAdminA, other, &page);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"page_token"}) << Describe(status);
  for (const int size : {-1, 1001}) {
    cv1::ListAuditEntriesRequest bad = Beneath(member);
    bad.set_page_size(size);
    status = List(service(), kOrgAdminA, bad, &page);
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"page_size"}) << Describe(status);
  }
}

TEST_F(AuditTrailTest, OnlyAdminsOfTheOrganizationReadItsTrail) {
  for (ServiceProcess* process : {&service(), &attendance_service(), &reporting_service()}) {
    cv1::ListAuditEntriesRequest request = Beneath("");
    for (const char* token : {kOrgAdminA, kAdmin}) {
      cv1::ListAuditEntriesResponse response;
      const grpc::Status status = List(*process, token, request, &response);
      EXPECT_TRUE(status.ok()) << token << ": " << Describe(status);
    }
    for (const char* token : {kStaffA, kMemberA1}) {
      cv1::ListAuditEntriesResponse response;
      EXPECT_EQ(List(*process, token, request, &response).error_code(),
                grpc::StatusCode::PERMISSION_DENIED)
          << token;
    }
    cv1::ListAuditEntriesResponse response;
    EXPECT_EQ(List(*process, kOrgAdminB, request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
}

}  // namespace
}  // namespace fieldwork::testing
