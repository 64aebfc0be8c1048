// Shared fixture of the scheduling RPC tests: one private redis-server and one fieldwork-scheduling
// binary per test binary (started on first use, restarted if they died), a tokens file with a
// fixed cast of callers in two organizations, the generated stubs, and helpers to call with a
// caller's token and to read the machine-readable error details. Each test starts with Redis
// empty (FLUSHALL), so organizations must be created by the test (CreateOrganizationOrDie).
//
//   class RosterRpcTest : public SchedulingFixture {};
//   TEST_F(RosterRpcTest, CreatesMember) {
//     CreateOrganizationOrDie(kOrgA);
//     v1::CreateMemberRequest request;  ...
//     v1::Member member;
//     grpc::Status status = Call(&Roster::CreateMember, kStaffA, request, &member);
//     ASSERT_TRUE(status.ok()) << Describe(status);
//   }
#ifndef FIELDWORK_TESTS_SERVICES_SCHEDULING_SCHEDULING_FIXTURE_H_
#define FIELDWORK_TESTS_SERVICES_SCHEDULING_SCHEDULING_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/common/v1/error.pb.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/service_process.h"

namespace fieldwork::testing {

namespace v1 = ::fieldwork::scheduling::v1;
using Roster = v1::RosterService::Stub;
using Scheduling = v1::SchedulingService::Stub;

// The two organizations the tokens are scoped to (ids; names are "organizations/<id>").
inline constexpr char kOrgA[] = "tongguan";
inline constexpr char kOrgB[] = "jiaoqu";
inline constexpr char kOrgAName[] = "organizations/tongguan";

// Bearer tokens of the fixture's tokens file (the token text is also the subject, except members).
inline constexpr char kAdmin[] = "admin-token";            // admin, every organization
inline constexpr char kService[] = "service-token";        // service, every organization
inline constexpr char kOrgAdminA[] = "org-admin-a-token";  // org-admin of kOrgA
inline constexpr char kStaffA[] = "staff-a-token";         // staff of kOrgA
inline constexpr char kOrgAdminB[] = "org-admin-b-token";  // org-admin of kOrgB
inline constexpr char kStaffB[] = "staff-b-token";         // staff of kOrgB
inline constexpr char kMemberA1[] = "member-a1-token";     // organizations/tongguan/members/m1
inline constexpr char kMemberA2[] = "member-a2-token";     // organizations/tongguan/members/m2
inline constexpr char kMemberB1[] = "member-b1-token";     // organizations/jiaoqu/members/m1
inline constexpr char kMemberA1Subject[] = "organizations/tongguan/members/m1";  // kMemberA1's

// The path of the tokens file defining the tokens above (written once per test binary).
absl::StatusOr<std::string> SchedulingTokensFile();

// Starts one more fieldwork-scheduling process on `redis_url` with the fixture's tokens file and
// `extra_flags` (a replica for race tests). Waits until it serves.
absl::StatusOr<std::unique_ptr<ServiceProcess>> StartSchedulingReplica(
    const std::string& redis_url, const std::vector<std::string>& extra_flags = {});

// Sets `token` as the bearer credential and a deadline `timeout` from now on `context`.
void PrepareContext(grpc::ClientContext& context, absl::string_view token,
                    absl::Duration timeout = absl::Seconds(10));

// The status with its grpc-status-details-bin trailer decoded (for messages and assertions).
std::string Describe(const grpc::Status& status);
// The FieldViolations paths of an INVALID_ARGUMENT answer, in order; empty when none.
std::vector<std::string> ViolationFields(const grpc::Status& status);
// The ErrorInfo reason name of an answer ("" when none), e.g. "ERROR_REASON_STALE_ETAG".
std::string ErrorReasonOf(const grpc::Status& status);
// The Conflicts detail of an answer (empty when none).
fieldwork::common::v1::Conflicts ConflictsOf(const grpc::Status& status);

class SchedulingFixture : public ::testing::Test {
 protected:
  // Ensures Redis and the binary run, then empties Redis.
  void SetUp() override;

  RedisServer& redis() { return *redis_; }
  ServiceProcess& service() { return *service_; }
  std::shared_ptr<grpc::Channel> channel() { return service_->channel(); }
  Roster& roster() { return *roster_; }
  Scheduling& scheduling() { return *scheduling_; }

  // Calls a unary RPC of `stub` with `token`: Call(&Roster::GetMember, kStaffA, request, &member).
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    absl::string_view token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token);
    return (StubFor<Stub>().*rpc)(&context, request, response);
  }

  // Creates organizations/<id> with display name `display_name` as admin; fails the test otherwise.
  v1::Organization CreateOrganizationOrDie(absl::string_view id,
                                           absl::string_view display_name = "铜官区政协");

 private:
  template <typename Stub>
  Stub& StubFor();

  RedisServer* redis_ = nullptr;
  ServiceProcess* service_ = nullptr;
  std::unique_ptr<Roster> roster_;
  std::unique_ptr<Scheduling> scheduling_;
};

template <>
inline Roster& SchedulingFixture::StubFor<Roster>() {
  return *roster_;
}
template <>
inline Scheduling& SchedulingFixture::StubFor<Scheduling>() {
  return *scheduling_;
}

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SERVICES_SCHEDULING_SCHEDULING_FIXTURE_H_
