// The scheduling RPC test fixture (see scheduling_fixture.h).
#include "tests/services/scheduling/scheduling_fixture.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/token_store.h"

#ifndef FIELDWORK_SCHEDULING_BINARY
#error "FIELDWORK_SCHEDULING_BINARY must name the fieldwork-scheduling executable"
#endif

namespace fieldwork::testing {
namespace {

struct TokenEntry {
  const char* token;
  const char* subject;
  const char* role;
  const char* organization;
};

constexpr TokenEntry kTokens[] = {
    {kAdmin, kAdmin, "admin", "*"},
    {kService, kService, "service", "*"},
    {kOrgAdminA, kOrgAdminA, "org-admin", kOrgA},
    {kStaffA, kStaffA, "staff", kOrgA},
    {kOrgAdminB, kOrgAdminB, "org-admin", kOrgB},
    {kStaffB, kStaffB, "staff", kOrgB},
    {kMemberA1, "organizations/tongguan/members/m1", "member", kOrgA},
    {kMemberA2, "organizations/tongguan/members/m2", "member", kOrgA},
    {kMemberB1, "organizations/jiaoqu/members/m1", "member", kOrgB},
};

absl::StatusOr<std::string> WriteTokensFile() {
  const std::string path = absl::StrCat(MakeTempDir("scheduling-tokens"), "/tokens.yaml");
  std::ofstream out(path);
  out << "tokens:\n";
  for (const TokenEntry& entry : kTokens) {
    out << "  - sha256: " << Sha256Hex(entry.token) << "\n"
        << "    subject: \"" << entry.subject << "\"\n"
        << "    role: " << entry.role << "\n"
        << "    organization: \"" << entry.organization << "\"\n";
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  if (chmod(path.c_str(), 0600) != 0) return absl::InternalError(absl::StrCat("chmod ", path));
  return path;
}

// The binary shared by the tests of this test binary, (re)started when missing or dead.
absl::StatusOr<ServiceProcess*> SharedSchedulingService(const std::string& redis_url) {
  static std::unique_ptr<ServiceProcess>* const shared = new std::unique_ptr<ServiceProcess>();
  if (*shared != nullptr && (*shared)->process().running()) {
    absl::StatusOr<int> exited = (*shared)->process().Wait(absl::ZeroDuration());
    if (!exited.ok()) return shared->get();
  }
  absl::StatusOr<std::unique_ptr<ServiceProcess>> started = StartSchedulingReplica(redis_url);
  if (!started.ok()) return started.status();
  *shared = *std::move(started);
  return shared->get();
}

}  // namespace

absl::StatusOr<std::string> SchedulingTokensFile() {
  static const absl::StatusOr<std::string>* const path =
      new absl::StatusOr<std::string>(WriteTokensFile());
  return *path;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> StartSchedulingReplica(
    const std::string& redis_url, const std::vector<std::string>& extra_flags) {
  absl::StatusOr<std::string> tokens = SchedulingTokensFile();
  if (!tokens.ok()) return tokens.status();
  ServiceOptions options;
  options.binary = FIELDWORK_SCHEDULING_BINARY;
  options.flags = {absl::StrCat("--redis-url=", redis_url), absl::StrCat("--tokens-file=", *tokens),
                   "--log-level=warn"};
  options.flags.insert(options.flags.end(), extra_flags.begin(), extra_flags.end());
  return ServiceProcess::Start(options);
}

void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Duration timeout) {
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
}

std::string Describe(const grpc::Status& status) {
  if (status.ok()) return "OK";
  std::string text = absl::StrCat("code ", status.error_code(), ": ", status.error_message());
  const std::vector<std::string> fields = ViolationFields(status);
  if (!fields.empty()) absl::StrAppend(&text, " [fields: ", absl::StrJoin(fields, ", "), "]");
  const std::string reason = ErrorReasonOf(status);
  if (!reason.empty()) absl::StrAppend(&text, " [", reason, "]");
  return text;
}

std::vector<std::string> ViolationFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const std::optional<common::v1::FieldViolations> violations =
      GetFieldViolations(FromGrpcStatus(status));
  if (!violations.has_value()) return fields;
  for (const auto& violation : violations->violations()) fields.push_back(violation.field());
  return fields;
}

std::string ErrorReasonOf(const grpc::Status& status) {
  common::v1::ErrorStatus details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return "";
  }
  for (const google::protobuf::Any& any : details.details()) {
    common::v1::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

common::v1::Conflicts ConflictsOf(const grpc::Status& status) {
  return GetConflicts(FromGrpcStatus(status)).value_or(common::v1::Conflicts());
}

void SchedulingFixture::SetUp() {
  absl::StatusOr<RedisServer*> redis = SharedRedisServer();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = *redis;
  if (!redis_->running()) {
    const absl::Status restarted = redis_->Restart();
    ASSERT_TRUE(restarted.ok()) << restarted;
  }
  const absl::StatusOr<std::string> flushed = redis_->Command({"FLUSHALL"});
  ASSERT_TRUE(flushed.ok()) << flushed.status();
  absl::StatusOr<ServiceProcess*> service = SharedSchedulingService(redis_->url());
  ASSERT_TRUE(service.ok()) << service.status();
  service_ = *service;
  roster_ = v1::RosterService::NewStub(service_->channel());
  scheduling_ = v1::SchedulingService::NewStub(service_->channel());
}

v1::Organization SchedulingFixture::CreateOrganizationOrDie(absl::string_view id,
                                                            absl::string_view display_name) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(std::string(id));
  request.mutable_organization()->set_display_name(std::string(display_name));
  v1::Organization organization;
  const grpc::Status status = Call(&Scheduling::CreateOrganization, kAdmin, request, &organization);
  EXPECT_TRUE(status.ok()) << "CreateOrganization " << id << ": " << Describe(status);
  return organization;
}

}  // namespace fieldwork::testing
