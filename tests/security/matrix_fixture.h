// The role × RPC matrix: every RPC of every service called by every caller of the cast — no
// token, a bad token, admin, service, and org-admin, staff and member of the right organization
// (kOrgA, which owns every resource called on) and of the wrong one (kOrgB) — with the exact gRPC
// code each must get. The service token forwarding a caller's identity must get exactly that
// caller's code, and a non-service token trying to forward one is refused. Each service's test
// holds one table with a row per RPC; RunMatrix fails when the generated service descriptor has an
// RPC without a row (or a row names no RPC), so a new RPC cannot ship unexamined.
//
// A row's arrange() creates, with fresh ids, whatever the call needs to be valid (events, holds,
// leave requests, check-in codes) and returns the call; after any caller's call succeeds the row
// is arranged again, so every caller meets the same untouched state.
#ifndef FIELDWORK_TESTS_SECURITY_MATRIX_FIXTURE_H_
#define FIELDWORK_TESTS_SECURITY_MATRIX_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fieldwork/common/v1/audit_service.grpc.pb.h"
#include "tests/services/reporting/reporting_fixture.h"

namespace fieldwork::testing {

// Short names for the expected-code tables.
inline constexpr grpc::StatusCode OK = grpc::StatusCode::OK;
inline constexpr grpc::StatusCode PD = grpc::StatusCode::PERMISSION_DENIED;
inline constexpr grpc::StatusCode NF = grpc::StatusCode::NOT_FOUND;

// The code each authenticated caller must get. Callers without a token or with an unknown token
// always get UNAUTHENTICATED and are not columns.
struct Expected {
  grpc::StatusCode admin;        // kAdmin (every organization)
  grpc::StatusCode service;      // kService, on its own account (every organization)
  grpc::StatusCode org_admin_a;  // kOrgAdminA
  grpc::StatusCode staff_a;      // kStaffA
  grpc::StatusCode member_a1;    // kMemberA1, the member the row's call names where it names one
  grpc::StatusCode member_a2;    // kMemberA2, a member of kOrgA the call is not about
  grpc::StatusCode org_admin_b;  // kOrgAdminB (the wrong organization)
  grpc::StatusCode staff_b;      // kStaffB
  grpc::StatusCode member_b1;    // kMemberB1
};

// What a role may do to a resource of kOrgA, as the rows use it: the three callers of kOrgB always
// get NOT_FOUND (the resource's existence is not theirs to learn).
// clang-format off
//                                              admin service org-admin-A staff-A member-A-m1
//                                                    member-A-m2 org-admin-B staff-B member-B-m1
inline constexpr Expected kStaffOnly =          {OK, PD, OK, OK, PD, PD, NF, NF, NF};
inline constexpr Expected kStaffOrSelf =        {OK, PD, OK, OK, OK, PD, NF, NF, NF};
inline constexpr Expected kStaffOrService =     {OK, OK, OK, OK, PD, PD, NF, NF, NF};
inline constexpr Expected kStaffServiceOrSelf = {OK, OK, OK, OK, OK, PD, NF, NF, NF};
inline constexpr Expected kOrgAdminOnly =       {OK, PD, OK, PD, PD, PD, NF, NF, NF};
inline constexpr Expected kAnyoneOfOrgA =       {OK, OK, OK, OK, OK, OK, NF, NF, NF};
// clang-format on

// Who makes a call: a bearer token ("" for no authorization metadata) and, for a service forwarding
// its caller's identity, that identity (FormatOnBehalfOf text; "" for none).
struct Credentials {
  std::string token;
  std::string on_behalf_of;
};

// One call with `credentials`; the answer's status.
using Caller = std::function<grpc::Status(const Credentials& credentials)>;

struct MatrixRow {
  std::string method;  // the RPC's name, e.g. "CreateMember"
  Expected expected;
  std::function<Caller()> arrange;
};

class MatrixFixture : public ReportingFixture {
 protected:
  // Reporting fixture (Redis flushed, kOrgA created), then kOrgB and its member m1, and kOrgA's
  // members m1 and m2.
  void SetUp() override;

  // Calls every row as every caller and expects its code; fails when the methods of `service`
  // ("package.Service", as the generated descriptor pool knows it) and the rows' methods differ.
  void RunMatrix(const std::string& service, const std::vector<MatrixRow>& rows);

  // Every service the three binaries serve (by reflection), health and reflection aside, is one
  // of the five with a matrix (AuditService, which every binary serves, included).
  void ExpectEveryServedServiceHasAMatrix();

  // A fresh id ("x<n>"), and a fresh Monday 2030-01-07 + 7n days at 09:00 for bookings that must
  // not overlap earlier ones.
  std::string FreshId();
  absl::Time FreshMorning();

  static std::string OrganizationA() { return absl::StrCat("organizations/", kOrgA); }
  // m1 of kOrgA: kMemberA1's own member.
  static std::string SelfMember() { return MemberName("m1"); }

  // The events an attendance row works on: m1 invited as OPTIONAL (optional participants may
  // overlap, so every arrangement can reuse "now"), SCHEDULED, as kStaffA.
  std::string InProgressEventOfSelf();
  std::string EndedEventOfSelf();
  std::string FutureEventOfSelf();

  // A Caller making the unary `rpc` with `request`: Calling(&Scheduling::GetEvent, request).
  template <typename Stub, typename Request, typename Response>
  Caller Calling(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                 Request request) {
    return [this, rpc, request = std::move(request)](const Credentials& credentials) {
      grpc::ClientContext context;
      Prepare(context, credentials);
      Response response;
      return (StubOf<Stub>().*rpc)(&context, request, &response);
    };
  }
  // A Caller opening WatchChanges with `request`: OK once the first message arrives (the stream
  // is then cancelled), else the status the server ended the stream with.
  Caller Watching(v1::WatchChangesRequest request);
  // A Caller reading the whole ExportReport stream of `request`.
  Caller Exporting(rep::ExportReportRequest request);
  // A Caller of AuditService.ListAuditEntries on `process` (each server serves its own).
  Caller ListingAudit(ServiceProcess& process, common::v1::ListAuditEntriesRequest request);

 private:
  // Token, forwarded identity and deadline on `context`.
  static void Prepare(grpc::ClientContext& context, const Credentials& credentials);
  template <typename Stub>
  Stub& StubOf();

  int next_id_ = 0;
};

template <>
inline Roster& MatrixFixture::StubOf<Roster>() {
  return roster();
}
template <>
inline Scheduling& MatrixFixture::StubOf<Scheduling>() {
  return scheduling();
}
template <>
inline Attendance& MatrixFixture::StubOf<Attendance>() {
  return attendance();
}
template <>
inline Reporting& MatrixFixture::StubOf<Reporting>() {
  return reporting();
}

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SECURITY_MATRIX_FIXTURE_H_
