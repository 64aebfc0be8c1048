// The role × RPC matrix runner and the arrangements its rows share (see matrix_fixture.h).
#include "tests/security/matrix_fixture.h"

#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "google/protobuf/descriptor.h"

namespace fieldwork::testing {
namespace {

constexpr char kBadToken[] = "no-such-token";

struct Column {
  const char* label;
  const char* token;
  grpc::StatusCode Expected::*code;
};

constexpr Column kColumns[] = {
    {"admin", kAdmin, &Expected::admin},
    {"service", kService, &Expected::service},
    {"org-admin A", kOrgAdminA, &Expected::org_admin_a},
    {"staff A", kStaffA, &Expected::staff_a},
    {"member A m1", kMemberA1, &Expected::member_a1},
    {"member A m2", kMemberA2, &Expected::member_a2},
    {"org-admin B", kOrgAdminB, &Expected::org_admin_b},
    {"staff B", kStaffB, &Expected::staff_b},
    {"member B m1", kMemberB1, &Expected::member_b1},
};

// Identities the service token forwards, each expected to get what that caller gets directly.
struct Forwarded {
  const char* label;
  Principal principal;
  grpc::StatusCode Expected::*code;
};

std::vector<Forwarded> ForwardedCallers() {
  const auto member = [](const char* organization, const char* id) {
    return Principal{absl::StrCat("organizations/", organization, "/members/", id), Role::kMember,
                     organization, ""};
  };
  return {
      {"staff A", {"staff-a", Role::kStaff, kOrgA, ""}, &Expected::staff_a},
      {"member A m1", member(kOrgA, "m1"), &Expected::member_a1},
      {"member A m2", member(kOrgA, "m2"), &Expected::member_a2},
      {"staff B", {"staff-b", Role::kStaff, kOrgB, ""}, &Expected::staff_b},
  };
}

}  // namespace

void MatrixFixture::Prepare(grpc::ClientContext& context, const Credentials& credentials) {
  if (credentials.token.empty()) {
    // No authorization metadata at all (PrepareContext would send "Bearer " with nothing).
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  } else {
    PrepareContext(context, credentials.token);
  }
  if (!credentials.on_behalf_of.empty()) {
    context.AddMetadata(kOnBehalfOfMetadataKey, credentials.on_behalf_of);
  }
}

void MatrixFixture::SetUp() {
  ReportingFixture::SetUp();
  if (HasFatalFailure()) return;
  CreateOtherOrganization();
  CreateMember("m1");
  CreateMember("m2");
}

void MatrixFixture::RunMatrix(const std::string& service_name, const std::vector<MatrixRow>& rows) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
  ASSERT_NE(service, nullptr) << "no linked proto defines " << service_name;
  std::set<std::string> methods;
  for (int i = 0; i < service->method_count(); ++i) methods.insert(service->method(i)->name());
  std::set<std::string> covered;
  for (const MatrixRow& row : rows) {
    EXPECT_TRUE(covered.insert(row.method).second) << "two rows for " << row.method;
  }
  ASSERT_EQ(covered, methods) << service_name << ": every RPC needs exactly one row in the matrix";

  for (const MatrixRow& row : rows) {
    SCOPED_TRACE(absl::StrCat(service->name(), ".", row.method));
    Caller call = row.arrange();
    if (HasFatalFailure()) return;
    // No authorization metadata, an empty bearer token, an unknown one.
    for (const Credentials& credentials :
         {Credentials{"", ""}, Credentials{" ", ""}, Credentials{kBadToken, ""}}) {
      const grpc::Status status = call(credentials);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << row.method << " with token \"" << credentials.token << "\": " << Describe(status);
    }
    for (const Column& column : kColumns) {
      const grpc::Status status = call({column.token, ""});
      EXPECT_EQ(status.error_code(), row.expected.*column.code)
          << row.method << " as " << column.label << ": " << Describe(status);
      if (status.ok()) call = row.arrange();
    }
    for (const Forwarded& forwarded : ForwardedCallers()) {
      const grpc::Status status = call({kService, FormatOnBehalfOf(forwarded.principal)});
      EXPECT_EQ(status.error_code(), row.expected.*forwarded.code)
          << row.method << " by the service for " << forwarded.label << ": " << Describe(status);
      if (status.ok()) call = row.arrange();
    }
    const Principal admin{"impostor", Role::kAdmin, std::string(kAllOrganizations), ""};
    const grpc::Status escalation = call({kStaffA, FormatOnBehalfOf(admin)});
    EXPECT_EQ(escalation.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << row.method << " by staff forwarding an admin: " << Describe(escalation);
  }
}

void MatrixFixture::ExpectEveryServedServiceHasAMatrix() {
  const std::set<std::string> with_matrix = {
      "fieldwork.scheduling.v1.SchedulingService", "fieldwork.scheduling.v1.RosterService",
      "fieldwork.attendance.v1.AttendanceService", "fieldwork.reporting.v1.ReportingService",
      "fieldwork.common.v1.AuditService"};
  for (ServiceProcess* process : {&service(), &attendance_service(), &reporting_service()}) {
    const absl::StatusOr<std::vector<std::string>> services =
        ListServicesByReflection(process->channel());
    ASSERT_TRUE(services.ok()) << services.status();
    for (const std::string& name : *services) {
      if (absl::StartsWith(name, "grpc.")) continue;  // health and reflection are public
      EXPECT_TRUE(with_matrix.count(name) == 1) << name << " is served but has no matrix";
    }
  }
}

std::string MatrixFixture::FreshId() { return absl::StrCat("x", ++next_id_); }

absl::Time MatrixFixture::FreshMorning() { return Monday(9, 0, 7 * ++next_id_); }

std::string MatrixFixture::InProgressEventOfSelf() {
  return CreateInProgressEvent(FreshId(), {{"m1", v1::PARTICIPANT_ROLE_OPTIONAL}});
}

std::string MatrixFixture::EndedEventOfSelf() {
  return CreateEndedEvent(FreshId(), {{"m1", v1::PARTICIPANT_ROLE_OPTIONAL}});
}

std::string MatrixFixture::FutureEventOfSelf() {
  return CreateFutureEvent(FreshId(), {{"m1", v1::PARTICIPANT_ROLE_OPTIONAL}});
}

Caller MatrixFixture::Watching(v1::WatchChangesRequest request) {
  return [this, request = std::move(request)](const Credentials& credentials) {
    grpc::ClientContext context;
    Prepare(context, credentials);
    std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
        scheduling().WatchChanges(&context, request);
    v1::WatchChangesResponse message;
    if (reader->Read(&message)) {
      context.TryCancel();
      reader->Finish().IgnoreError();
      return grpc::Status::OK;
    }
    return reader->Finish();
  };
}

Caller MatrixFixture::ListingAudit(ServiceProcess& process,
                                   common::v1::ListAuditEntriesRequest request) {
  return
      [channel = process.channel(), request = std::move(request)](const Credentials& credentials) {
        grpc::ClientContext context;
        Prepare(context, credentials);
        common::v1::ListAuditEntriesResponse response;
        return common::v1::AuditService::NewStub(channel)->ListAuditEntries(&context, request,
                                                                            &response);
      };
}

Caller MatrixFixture::Exporting(rep::ExportReportRequest request) {
  return [this, request = std::move(request)](const Credentials& credentials) {
    grpc::ClientContext context;
    Prepare(context, credentials);
    std::unique_ptr<grpc::ClientReader<rep::ExportReportResponse>> reader =
        reporting().ExportReport(&context, request);
    rep::ExportReportResponse message;
    while (reader->Read(&message)) {
    }
    return reader->Finish();
  };
}

}  // namespace fieldwork::testing
