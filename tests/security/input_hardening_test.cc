// Bad input against the real services (DESIGN.md invariant 6): overlong strings, negative and
// huge page sizes, reversed and out-of-bounds time ranges, unknown enum values, malformed resource
// names, an unknown update_mask path and an oversized message are each refused with
// INVALID_ARGUMENT naming the field in a FieldViolation (RESOURCE_EXHAUSTED for the size), and
// Redis holds exactly what it held before (every key and its DUMP compared, except the audit
// streams, where a refused mutation is itself recorded, in the background). Invalid UTF-8 in a
// proto3 string never reaches a handler (protobuf refuses to parse the request); the runner's
// interceptor answers INVALID_ARGUMENT for it instead of gRPC's bare INTERNAL.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/security/matrix_fixture.h"

namespace fieldwork::testing {
namespace {

struct BadInput {
  std::string what;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  std::string field;  // a FieldViolation path the answer must carry; "" for none
};

class InputHardeningTest : public MatrixFixture {
 protected:
  // Every key of Redis with its DUMP serialization, the audit streams aside.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> snapshot;
    const absl::StatusOr<std::string> keys = redis().Command({"KEYS", "*"});
    EXPECT_TRUE(keys.ok()) << keys.status();
    if (!keys.ok() || keys->empty()) return snapshot;
    for (absl::string_view key : absl::StrSplit(*keys, '\n')) {
      if (absl::StrContains(key, "}:audit:")) continue;
      const absl::StatusOr<std::string> dump = redis().Command({"DUMP", std::string(key)});
      EXPECT_TRUE(dump.ok()) << key << ": " << dump.status();
      snapshot[std::string(key)] = dump.value_or("");
    }
    return snapshot;
  }

  void ExpectRefusedWritingNothing(const std::vector<BadInput>& cases) {
    for (const BadInput& bad : cases) {
      SCOPED_TRACE(bad.what);
      const std::map<std::string, std::string> before = Snapshot();
      ASSERT_FALSE(before.empty()) << "the fixture's organizations should be in Redis";
      const grpc::Status status = bad.call();
      EXPECT_EQ(status.error_code(), bad.code) << Describe(status);
      if (!bad.field.empty()) {
        const std::vector<std::string> fields = ViolationFields(status);
        EXPECT_NE(std::find(fields.begin(), fields.end(), bad.field), fields.end())
            << "expected a violation of " << bad.field << ", got " << Describe(status);
      }
      EXPECT_EQ(Snapshot(), before) << "Redis changed";
    }
  }

  template <typename Stub, typename Request, typename Response>
  std::function<grpc::Status()> AsStaff(grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                                        Request request) {
    return [this, rpc, request = std::move(request)] {
      Response response;
      return Call(rpc, kStaffA, request, &response);
    };
  }

  v1::CreateMemberRequest ValidMember() {
    v1::CreateMemberRequest request;
    request.set_parent(OrganizationA());
    request.set_member_id("m9");
    request.mutable_member()->set_display_name("委员");
    request.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
    request.mutable_member()->set_status(v1::MEMBER_STATUS_ACTIVE);
    return request;
  }
  v1::CreateEventRequest ValidEvent() {
    v1::CreateEventRequest request;
    request.set_parent(OrganizationA());
    v1::Event& event = *request.mutable_event();
    event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
    event.set_title("营商环境调研");
    event.set_state(v1::EVENT_STATE_SCHEDULED);
    *event.mutable_time_range() = Range(Monday(9), Monday(12));
    v1::Participant& participant = *event.add_participants();
    participant.set_member(SelfMember());
    participant.set_role(v1::PARTICIPANT_ROLE_REQUIRED);
    return request;
  }
  v1::CreateBusyBlockRequest ValidBusyBlock() {
    v1::CreateBusyBlockRequest request;
    request.set_parent(SelfMember());
    *request.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(12));
    request.mutable_busy_block()->set_reason("出差");
    return request;
  }
};

// The valid requests the cases spoil are accepted, so each refusal below is the spoiled field's.
TEST_F(InputHardeningTest, ValidRequestsAreAccepted) {
  v1::Member member;
  EXPECT_TRUE(Call(&Roster::CreateMember, kStaffA, ValidMember(), &member).ok());
  v1::CreateEventResponse event;
  const grpc::Status created = Call(&Scheduling::CreateEvent, kStaffA, ValidEvent(), &event);
  EXPECT_TRUE(created.ok()) << Describe(created);
  v1::BusyBlock block;
  v1::CreateBusyBlockRequest busy = ValidBusyBlock();
  *busy.mutable_busy_block()->mutable_time_range() = Range(Monday(14), Monday(15));
  const grpc::Status blocked = Call(&Scheduling::CreateBusyBlock, kStaffA, busy, &block);
  EXPECT_TRUE(blocked.ok()) << Describe(blocked);
}

TEST_F(InputHardeningTest, RefusesOverlongStringsNamingTheField) {
  v1::CreateMemberRequest long_name = ValidMember();
  long_name.mutable_member()->set_display_name(std::string(10000, 'x'));
  v1::CreateEventRequest long_title = ValidEvent();
  long_title.mutable_event()->set_title(std::string(10000, 'x'));
  v1::CreateBusyBlockRequest long_reason = ValidBusyBlock();
  long_reason.mutable_busy_block()->set_reason(std::string(10000, 'x'));
  v1::CreateMemberRequest long_request_id = ValidMember();
  long_request_id.set_request_id(std::string(65, 'r'));
  ExpectRefusedWritingNothing({
      {"member display_name", AsStaff(&Roster::CreateMember, long_name),
       grpc::StatusCode::INVALID_ARGUMENT, "member.display_name"},
      {"event title", AsStaff(&Scheduling::CreateEvent, long_title),
       grpc::StatusCode::INVALID_ARGUMENT, "event.title"},
      {"busy block reason", AsStaff(&Scheduling::CreateBusyBlock, long_reason),
       grpc::StatusCode::INVALID_ARGUMENT, "busy_block.reason"},
      {"request_id", AsStaff(&Roster::CreateMember, long_request_id),
       grpc::StatusCode::INVALID_ARGUMENT, "request_id"},
  });
}

TEST_F(InputHardeningTest, RefusesNegativeAndHugePageSizes) {
  std::vector<BadInput> cases;
  for (const int32_t page_size : {-1, 1 << 30}) {
    v1::ListMembersRequest members;
    members.set_parent(OrganizationA());
    members.set_page_size(page_size);
    v1::ListEventsRequest events;
    events.set_parent(OrganizationA());
    events.set_page_size(page_size);
    att::ListAttendanceRequest records;
    records.set_parent(absl::StrCat(OrganizationA(), "/events/-"));
    records.set_page_size(page_size);
    const std::string size = absl::StrCat(" page_size ", page_size);
    cases.push_back({"ListMembers" + size, AsStaff(&Roster::ListMembers, members),
                     grpc::StatusCode::INVALID_ARGUMENT, "page_size"});
    cases.push_back({"ListEvents" + size, AsStaff(&Scheduling::ListEvents, events),
                     grpc::StatusCode::INVALID_ARGUMENT, "page_size"});
    cases.push_back({"ListAttendance" + size, AsStaff(&Attendance::ListAttendance, records),
                     grpc::StatusCode::INVALID_ARGUMENT, "page_size"});
  }
  ExpectRefusedWritingNothing(cases);
}

TEST_F(InputHardeningTest, RefusesReversedAndOutOfBoundsTimeRanges) {
  v1::CreateEventRequest reversed = ValidEvent();
  *reversed.mutable_event()->mutable_time_range() = Range(Monday(12), Monday(9));
  v1::CreateEventRequest far_future = ValidEvent();
  *far_future.mutable_event()->mutable_time_range() =
      Range(absl::FromCivil(absl::CivilSecond(2200, 1, 1, 9, 0, 0), absl::UTCTimeZone()),
            absl::FromCivil(absl::CivilSecond(2200, 1, 1, 12, 0, 0), absl::UTCTimeZone()));
  v1::CreateEventRequest fractional = ValidEvent();
  fractional.mutable_event()->mutable_time_range()->mutable_start_time()->set_nanos(5);
  v1::CreateBusyBlockRequest reversed_block = ValidBusyBlock();
  *reversed_block.mutable_busy_block()->mutable_time_range() = Range(Monday(12), Monday(9));
  v1::CreateBusyBlockRequest ancient_block = ValidBusyBlock();
  *ancient_block.mutable_busy_block()->mutable_time_range() =
      Range(absl::FromUnixSeconds(0), absl::FromUnixSeconds(3600));
  ExpectRefusedWritingNothing({
      {"event reversed", AsStaff(&Scheduling::CreateEvent, reversed),
       grpc::StatusCode::INVALID_ARGUMENT, "event.time_range.end_time"},
      {"event in 2200", AsStaff(&Scheduling::CreateEvent, far_future),
       grpc::StatusCode::INVALID_ARGUMENT, "event.time_range.start_time"},
      {"event start with nanos", AsStaff(&Scheduling::CreateEvent, fractional),
       grpc::StatusCode::INVALID_ARGUMENT, "event.time_range.start_time"},
      {"busy block reversed", AsStaff(&Scheduling::CreateBusyBlock, reversed_block),
       grpc::StatusCode::INVALID_ARGUMENT, "busy_block.time_range.end_time"},
      {"busy block in 1970", AsStaff(&Scheduling::CreateBusyBlock, ancient_block),
       grpc::StatusCode::INVALID_ARGUMENT, "busy_block.time_range.start_time"},
  });
}

TEST_F(InputHardeningTest, RefusesUnknownEnumValues) {
  v1::CreateEventRequest kind = ValidEvent();
  kind.mutable_event()->set_kind(static_cast<v1::EventKind>(999));
  v1::CreateMemberRequest role = ValidMember();
  role.mutable_member()->set_role(static_cast<v1::MemberRole>(-7));
  v1::CreateEventRequest participant_role = ValidEvent();
  participant_role.mutable_event()->mutable_participants(0)->set_role(
      static_cast<v1::ParticipantRole>(42));
  ExpectRefusedWritingNothing({
      {"event kind 999", AsStaff(&Scheduling::CreateEvent, kind),
       grpc::StatusCode::INVALID_ARGUMENT, "event.kind"},
      {"member role -7", AsStaff(&Roster::CreateMember, role), grpc::StatusCode::INVALID_ARGUMENT,
       "member.role"},
      {"participant role 42", AsStaff(&Scheduling::CreateEvent, participant_role),
       grpc::StatusCode::INVALID_ARGUMENT, "event.participants[0].role"},
  });
}

TEST_F(InputHardeningTest, RefusesMalformedResourceNames) {
  std::vector<BadInput> cases;
  for (const char* parent :
       {"organisations/tongguan", "organizations/", "organizations/tongguan/extra",
        "organizations/../tongguan", "organizations/TONG GUAN", "organizations/{tongguan}"}) {
    v1::CreateMemberRequest member = ValidMember();
    member.set_parent(parent);
    cases.push_back({absl::StrCat("member parent ", parent), AsStaff(&Roster::CreateMember, member),
                     grpc::StatusCode::INVALID_ARGUMENT, "parent"});
  }
  v1::CreateEventRequest participant = ValidEvent();
  participant.mutable_event()->mutable_participants(0)->set_member(
      "organizations/tongguan/venues/m1");
  cases.push_back({"participant names a venue", AsStaff(&Scheduling::CreateEvent, participant),
                   grpc::StatusCode::INVALID_ARGUMENT, "event.participants[0].member"});
  v1::CreateMemberRequest member_id = ValidMember();
  member_id.set_member_id("m/1");
  cases.push_back({"member_id with a slash", AsStaff(&Roster::CreateMember, member_id),
                   grpc::StatusCode::INVALID_ARGUMENT, "member_id"});
  ExpectRefusedWritingNothing(cases);
}

TEST_F(InputHardeningTest, RefusesUnknownUpdateMaskPaths) {
  v1::UpdateMemberRequest request;
  request.mutable_member()->set_name(SelfMember());
  request.mutable_member()->set_phone("13800000000");
  request.mutable_update_mask()->add_paths("no_such_field");
  ExpectRefusedWritingNothing(
      {{"update_mask no_such_field", AsStaff(&Roster::UpdateMember, request),
        grpc::StatusCode::INVALID_ARGUMENT, "update_mask"}});
}

TEST_F(InputHardeningTest, RefusesOversizedMessagesBeforeTheHandler) {
  // Above the server's 4 MiB --max-message-bytes default.
  v1::ImportMembersRequest request;
  request.set_parent(OrganizationA());
  for (int i = 0; i < 5; ++i) {
    v1::Member& member = *request.add_members();
    member.set_name(MemberName(absl::StrCat("big", i)));
    member.set_display_name(std::string(1 << 20, 'x'));
  }
  ExpectRefusedWritingNothing({{"ImportMembers of 5 MiB", AsStaff(&Roster::ImportMembers, request),
                                grpc::StatusCode::RESOURCE_EXHAUSTED, ""}});
}

// protobuf refuses to parse a proto3 string that is not UTF-8, so the handler (and its
// FieldViolation) never runs; the runner's interceptor turns gRPC's bare INTERNAL into
// INVALID_ARGUMENT (no field can be named: the message never parsed). The bytes are sent raw, as
// a client in another language could.
TEST_F(InputHardeningTest, InvalidUtf8IsInvalidArgumentAndWritesNothing) {
  const auto raw = [this](const std::string& method, const google::protobuf::Message& request,
                          const std::string& marker, const std::string& bad) {
    return [this, method, bad, marker, serialized = request.SerializeAsString()] {
      std::string bytes = serialized;
      bytes.replace(bytes.find(marker), marker.size(), bad);
      std::string response;
      return CallUnaryRaw(channel(), method, bytes,
                          {{"authorization", absl::StrCat("Bearer ", kStaffA)}}, &response);
    };
  };
  v1::CreateMemberRequest name = ValidMember();
  name.mutable_member()->set_display_name("@@委员");
  v1::CreateEventRequest title = ValidEvent();
  title.mutable_event()->set_title("@@");
  ExpectRefusedWritingNothing({
      {"member display_name \\xff\\xfe",
       raw("/fieldwork.scheduling.v1.RosterService/CreateMember", name, "@@", "\xff\xfe"),
       grpc::StatusCode::INVALID_ARGUMENT, ""},
      {"event title \\xc3\\x28",
       raw("/fieldwork.scheduling.v1.SchedulingService/CreateEvent", title, "@@", "\xc3\x28"),
       grpc::StatusCode::INVALID_ARGUMENT, ""},
  });
}

}  // namespace
}  // namespace fieldwork::testing
