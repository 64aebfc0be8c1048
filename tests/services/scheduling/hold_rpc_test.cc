// Holds and busy blocks over gRPC against the real fieldwork-scheduling binary and a real Redis: a
// live hold blocks conflicting bookings and other holds, expires by itself and then frees its
// calendars, is released or confirmed into an event; busy blocks are created, listed and deleted;
// every field rule, idempotent retries and tenant isolation.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

class HoldRpcTest : public CalendarFixture {
 protected:
  void SetUp() override {
    CalendarFixture::SetUp();
    if (HasFatalFailure()) return;
    m1_ = CreateMember("m1");
    m2_ = CreateMember("m2");
  }

  static v1::CreateHoldRequest HoldRequest(absl::Time start, absl::Time end,
                                           const std::vector<std::string>& members) {
    v1::CreateHoldRequest request;
    request.set_parent(kOrgAName);
    for (const std::string& member : members) request.mutable_hold()->add_members(member);
    *request.mutable_hold()->mutable_time_range() = Range(start, end);
    return request;
  }

  // A SCHEDULED event of `members` (REQUIRED); the status of CreateEvent.
  grpc::Status Book(absl::Time start, absl::Time end, const std::vector<std::string>& members,
                    v1::CreateEventResponse* response) {
    v1::CreateEventRequest request;
    request.set_parent(kOrgAName);
    request.mutable_event()->set_kind(v1::EVENT_KIND_CONSULTATION);
    request.mutable_event()->set_title("协商议事会");
    request.mutable_event()->set_state(v1::EVENT_STATE_SCHEDULED);
    *request.mutable_event()->mutable_time_range() = Range(start, end);
    for (const std::string& member : members) {
      v1::Participant* participant = request.mutable_event()->add_participants();
      participant->set_member(member);
      participant->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
    }
    return Call(&Scheduling::CreateEvent, kStaffA, request, response);
  }

  v1::HoldState StateOf(const std::string& name) {
    v1::GetHoldRequest request;
    request.set_name(name);
    v1::Hold hold;
    const grpc::Status status = Call(&Scheduling::GetHold, kStaffA, request, &hold);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return hold.state();
  }

  std::string m1_, m2_;
};

TEST_F(HoldRpcTest, LiveHoldBlocksBookingsAndOtherHolds) {
  const v1::Hold hold = CreateHold(Monday(10), Monday(11), {m1_});
  EXPECT_EQ(hold.state(), v1::HOLD_STATE_ACTIVE);
  EXPECT_EQ(hold.resolved_members_size(), 1);
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(hold.expire_time()) -
                TimeUtil::TimestampToMilliseconds(hold.create_time()),
            10 * 60 * 1000);
  v1::CreateEventResponse response;
  const grpc::Status status = Book(Monday(11, 10), Monday(12), {m1_, m2_}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  ASSERT_EQ(ConflictsOf(status).conflicts_size(), 1);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).booked_by(), hold.name());
  EXPECT_EQ(ConflictsOf(status).conflicts(0).calendar(), m1_);

  v1::Hold second;
  const grpc::Status other_hold = Call(&Scheduling::CreateHold, kStaffA,
                                       HoldRequest(Monday(10, 30), Monday(11), {m1_}), &second);
  EXPECT_EQ(other_hold.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Book(Monday(10), Monday(11), {m2_}, &response).ok());
}

TEST_F(HoldRpcTest, ExpiredHoldFreesItsCalendarsByItself) {
  const v1::Hold hold = CreateHold(Monday(10), Monday(11), {m1_}, absl::Minutes(1));
  v1::CreateEventResponse response;
  ASSERT_EQ(Book(Monday(10), Monday(11), {m1_}, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const absl::Status expired =
      WaitFor([&] { return StateOf(hold.name()) == v1::HOLD_STATE_EXPIRED; }, absl::Minutes(3),
              "the hold to expire");
  ASSERT_TRUE(expired.ok()) << expired;
  const grpc::Status booked = Book(Monday(10), Monday(11), {m1_}, &response);
  EXPECT_TRUE(booked.ok()) << Describe(booked);

  v1::ReleaseHoldRequest release;
  release.set_name(hold.name());
  v1::Hold released;
  const grpc::Status too_late = Call(&Scheduling::ReleaseHold, kStaffA, release, &released);
  EXPECT_EQ(too_late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(too_late), "ERROR_REASON_HOLD_NOT_ACTIVE");
}

TEST_F(HoldRpcTest, ReleaseFreesTheCalendarsOnce) {
  const v1::Hold hold = CreateHold(Monday(10), Monday(11), {m1_});
  v1::ReleaseHoldRequest request;
  request.set_name(hold.name());
  v1::Hold released;
  ASSERT_TRUE(Call(&Scheduling::ReleaseHold, kStaffA, request, &released).ok());
  EXPECT_EQ(released.state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(StateOf(hold.name()), v1::HOLD_STATE_RELEASED);
  v1::CreateEventResponse response;
  EXPECT_TRUE(Book(Monday(10), Monday(11), {m1_}, &response).ok());
  const grpc::Status again = Call(&Scheduling::ReleaseHold, kStaffA, request, &released);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(again), "ERROR_REASON_HOLD_NOT_ACTIVE");
}

TEST_F(HoldRpcTest, ConfirmTurnsTheHoldIntoAnEventThatKeepsItsCalendars) {
  const std::string hall = CreateVenue("hall", /*exclusive=*/true);
  v1::CreateHoldRequest hold_request = HoldRequest(Monday(10), Monday(11), {m1_, m2_});
  hold_request.mutable_hold()->set_venue(hall);
  v1::Hold hold;
  ASSERT_TRUE(Call(&Scheduling::CreateHold, kStaffA, hold_request, &hold).ok());

  v1::ConfirmHoldRequest request;
  request.set_name(hold.name());
  request.set_event_id("from-hold");
  request.mutable_event()->set_kind(v1::EVENT_KIND_INSPECTION);
  request.mutable_event()->set_title("集中视察");
  v1::ConfirmHoldResponse confirmed;
  const grpc::Status status = Call(&Scheduling::ConfirmHold, kStaffA, request, &confirmed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(confirmed.event().name(), "organizations/tongguan/events/from-hold");
  EXPECT_EQ(confirmed.event().state(), v1::EVENT_STATE_SCHEDULED);
  EXPECT_EQ(confirmed.event().hold(), hold.name());
  EXPECT_EQ(confirmed.event().venue(), hall);
  EXPECT_EQ(confirmed.event().resolved_participants_size(), 2);
  EXPECT_EQ(confirmed.hold().state(), v1::HOLD_STATE_CONFIRMED);
  EXPECT_EQ(confirmed.hold().event(), confirmed.event().name());
  EXPECT_EQ(StateOf(hold.name()), v1::HOLD_STATE_CONFIRMED);

  v1::CreateEventResponse response;
  const grpc::Status clash = Book(Monday(10), Monday(11), {m1_}, &response);
  ASSERT_EQ(clash.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ConflictsOf(clash).conflicts(0).booked_by(), confirmed.event().name());
  const grpc::Status twice = Call(&Scheduling::ConfirmHold, kStaffA, request, &confirmed);
  EXPECT_EQ(ErrorReasonOf(twice), "ERROR_REASON_HOLD_NOT_ACTIVE");
}

TEST_F(HoldRpcTest, ConfirmBooksCalendarsBeyondTheHoldNormally) {
  const v1::Hold hold = CreateHold(Monday(10), Monday(11), {m1_});
  v1::CreateEventResponse other;
  ASSERT_TRUE(Book(Monday(10), Monday(11), {m2_}, &other).ok());
  v1::ConfirmHoldRequest request;
  request.set_name(hold.name());
  request.mutable_event()->set_kind(v1::EVENT_KIND_VISIT);
  request.mutable_event()->set_title("走访");
  for (const std::string& member : {m1_, m2_}) {
    v1::Participant* participant = request.mutable_event()->add_participants();
    participant->set_member(member);
    participant->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
  }
  v1::ConfirmHoldResponse confirmed;
  const grpc::Status status = Call(&Scheduling::ConfirmHold, kStaffA, request, &confirmed);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).calendar(), m2_);
  EXPECT_EQ(StateOf(hold.name()), v1::HOLD_STATE_ACTIVE);
}

TEST_F(HoldRpcTest, UnitsExpandToActiveMembers) {
  const std::string sector = CreateUnit("economy");
  const std::string member = CreateMember("m4", {sector});
  CreateMember("m5", {sector}, /*active=*/false);
  v1::CreateHoldRequest request = HoldRequest(Monday(10), Monday(11), {});
  request.mutable_hold()->add_units(sector);
  v1::Hold hold;
  const grpc::Status status = Call(&Scheduling::CreateHold, kStaffA, request, &hold);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(
      std::vector<std::string>(hold.resolved_members().begin(), hold.resolved_members().end()),
      std::vector<std::string>{member});
}

TEST_F(HoldRpcTest, RejectsEachInvalidFieldAndWritesNothing) {
  struct Case {
    std::string field;
    std::function<void(v1::CreateHoldRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"parent", [](auto& r) { r.set_parent("organizations/"); }},
      {"hold_id", [](auto& r) { r.set_hold_id("-bad"); }},
      {"request_id", [](auto& r) { r.set_request_id("带空格 的id"); }},
      {"hold", [](auto& r) { r.clear_hold(); }},
      {"hold.members", [](auto& r) { r.mutable_hold()->clear_members(); }},
      {"hold.members[1]", [](auto& r) { r.mutable_hold()->add_members(r.hold().members(0)); }},
      {"hold.members[0]",
       [](auto& r) { r.mutable_hold()->set_members(0, "organizations/jiaoqu/members/m1"); }},
      {"hold.members[0]",
       [](auto& r) { r.mutable_hold()->set_members(0, "organizations/tongguan/members/ghost"); }},
      {"hold.units[0]",
       [](auto& r) { r.mutable_hold()->add_units("organizations/tongguan/units/nope"); }},
      {"hold.venue", [](auto& r) { r.mutable_hold()->set_venue("venues/hall"); }},
      {"hold.time_range", [](auto& r) { r.mutable_hold()->clear_time_range(); }},
      {"hold.time_range.end_time",
       [](auto& r) { *r.mutable_hold()->mutable_time_range() = Range(Monday(11), Monday(10)); }},
      {"hold.ttl", [](auto& r) { r.mutable_hold()->mutable_ttl()->set_seconds(59); }},
      {"hold.ttl", [](auto& r) { r.mutable_hold()->mutable_ttl()->set_seconds(31 * 60); }},
      {"hold.ttl",
       [](auto& r) {
         r.mutable_hold()->mutable_ttl()->set_seconds(120);
         r.mutable_hold()->mutable_ttl()->set_nanos(5);
       }},
      {"hold.note", [](auto& r) { r.mutable_hold()->set_note(std::string(201, 'a')); }},
  };
  for (const Case& test_case : cases) {
    v1::CreateHoldRequest request = HoldRequest(Monday(10), Monday(11), {m1_});
    test_case.spoil(request);
    v1::Hold hold;
    const grpc::Status status = Call(&Scheduling::CreateHold, kStaffA, request, &hold);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << test_case.field << ": " << Describe(status);
    const std::vector<std::string> fields = ViolationFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), test_case.field), fields.end())
        << "expected " << test_case.field << ", got " << Describe(status);
  }
  v1::ListHoldsRequest list;
  list.set_parent(kOrgAName);
  v1::ListHoldsResponse listed;
  ASSERT_TRUE(Call(&Scheduling::ListHolds, kStaffA, list, &listed).ok());
  EXPECT_EQ(listed.holds_size(), 0);
}

TEST_F(HoldRpcTest, RetryWithTheSameRequestIdReturnsTheFirstHold) {
  v1::CreateHoldRequest request = HoldRequest(Monday(10), Monday(11), {m1_});
  request.set_request_id("hold-retry-1");
  v1::Hold first;
  v1::Hold second;
  ASSERT_TRUE(Call(&Scheduling::CreateHold, kStaffA, request, &first).ok());
  const grpc::Status retried = Call(&Scheduling::CreateHold, kStaffA, request, &second);
  ASSERT_TRUE(retried.ok()) << Describe(retried);
  EXPECT_EQ(second.name(), first.name());
  v1::ListHoldsRequest list;
  list.set_parent(kOrgAName);
  v1::ListHoldsResponse listed;
  ASSERT_TRUE(Call(&Scheduling::ListHolds, kStaffA, list, &listed).ok());
  EXPECT_EQ(listed.holds_size(), 1);
}

TEST_F(HoldRpcTest, ListsByCreationWithFiltersAndPages) {
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    // Ids in creation order, so holds created within one millisecond still list in that order.
    v1::CreateHoldRequest request =
        HoldRequest(Monday(9 + 2 * i), Monday(10 + 2 * i), {i == 1 ? m2_ : m1_});
    request.set_hold_id(absl::StrCat("h", i));
    v1::Hold hold;
    ASSERT_TRUE(Call(&Scheduling::CreateHold, kStaffA, request, &hold).ok());
    names.push_back(hold.name());
  }
  v1::ReleaseHoldRequest release;
  release.set_name(names[2]);
  v1::Hold released;
  ASSERT_TRUE(Call(&Scheduling::ReleaseHold, kStaffA, release, &released).ok());

  v1::ListHoldsRequest request;
  request.set_parent(kOrgAName);
  request.set_page_size(2);
  std::vector<std::string> listed;
  do {
    v1::ListHoldsResponse response;
    ASSERT_TRUE(Call(&Scheduling::ListHolds, kStaffA, request, &response).ok());
    for (const v1::Hold& hold : response.holds()) listed.push_back(hold.name());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(listed, names);

  v1::ListHoldsRequest filtered;
  filtered.set_parent(kOrgAName);
  filtered.add_states(v1::HOLD_STATE_ACTIVE);
  filtered.set_member(m1_);
  v1::ListHoldsResponse response;
  ASSERT_TRUE(Call(&Scheduling::ListHolds, kStaffA, filtered, &response).ok());
  ASSERT_EQ(response.holds_size(), 1);
  EXPECT_EQ(response.holds(0).name(), names[0]);

  filtered.set_page_size(501);
  EXPECT_EQ(ViolationFields(Call(&Scheduling::ListHolds, kStaffA, filtered, &response)),
            std::vector<std::string>{"page_size"});
}

TEST_F(HoldRpcTest, HoldsOfAnotherOrganizationAreNotFound) {
  CreateOrganizationOrDie(kOrgB, "郊区政协");
  const v1::Hold hold = CreateHold(Monday(10), Monday(11), {m1_});
  v1::GetHoldRequest get;
  get.set_name(hold.name());
  v1::Hold read;
  EXPECT_EQ(Call(&Scheduling::GetHold, kStaffB, get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ReleaseHoldRequest release;
  release.set_name(hold.name());
  EXPECT_EQ(Call(&Scheduling::ReleaseHold, kStaffB, release, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(StateOf(hold.name()), v1::HOLD_STATE_ACTIVE);
  get.set_name("organizations/tongguan/holds/none");
  EXPECT_EQ(Call(&Scheduling::GetHold, kStaffA, get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

class BusyBlockRpcTest : public HoldRpcTest {};

TEST_F(BusyBlockRpcTest, RefusedWhereTheMemberIsBookedAndAllowedOverOtherBlocks) {
  v1::CreateEventResponse event;
  ASSERT_TRUE(Book(Monday(10), Monday(11), {m1_}, &event).ok());
  v1::CreateBusyBlockRequest request;
  request.set_parent(m1_);
  *request.mutable_busy_block()->mutable_time_range() = Range(Monday(11, 10), Monday(12));
  v1::BusyBlock block;
  const grpc::Status status = Call(&Scheduling::CreateBusyBlock, kStaffA, request, &block);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).booked_by(), event.event().name());

  CreateBusyBlock(m1_, Monday(14), Monday(16));
  const v1::BusyBlock overlapping = CreateBusyBlock(m1_, Monday(15), Monday(17));
  EXPECT_FALSE(overlapping.name().empty());
}

TEST_F(BusyBlockRpcTest, MemberManagesOnlyItsOwnBlocks) {
  v1::CreateBusyBlockRequest request;
  request.set_parent(m1_);
  request.set_busy_block_id("hospital");
  *request.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(18));
  request.mutable_busy_block()->set_reason("住院");
  v1::BusyBlock block;
  const grpc::Status own = Call(&Scheduling::CreateBusyBlock, kMemberA1, request, &block);
  ASSERT_TRUE(own.ok()) << Describe(own);
  EXPECT_EQ(block.name(), "organizations/tongguan/members/m1/busyBlocks/hospital");
  EXPECT_EQ(block.created_by(), "organizations/tongguan/members/m1");

  request.set_parent(m2_);
  EXPECT_EQ(Call(&Scheduling::CreateBusyBlock, kMemberA1, request, &block).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteBusyBlockRequest remove;
  remove.set_name("organizations/tongguan/members/m1/busyBlocks/hospital");
  google::protobuf::Empty empty;
  EXPECT_EQ(Call(&Scheduling::DeleteBusyBlock, kMemberA2, remove, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&Scheduling::DeleteBusyBlock, kStaffB, remove, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Call(&Scheduling::DeleteBusyBlock, kMemberA1, remove, &empty).ok());
  EXPECT_EQ(Call(&Scheduling::DeleteBusyBlock, kMemberA1, remove, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(BusyBlockRpcTest, ListsByStartForOneMemberOrEveryMember) {
  const v1::BusyBlock late = CreateBusyBlock(m1_, Monday(14), Monday(15));
  const v1::BusyBlock early = CreateBusyBlock(m1_, Monday(9), Monday(10));
  const v1::BusyBlock other = CreateBusyBlock(m2_, Monday(12), Monday(13));
  auto list = [&](const std::string& parent, v1::ListBusyBlocksRequest request) {
    request.set_parent(parent);
    std::vector<std::string> names;
    do {
      v1::ListBusyBlocksResponse response;
      const grpc::Status status = Call(&Scheduling::ListBusyBlocks, kStaffA, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      for (const v1::BusyBlock& block : response.busy_blocks()) names.push_back(block.name());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return names;
  };
  v1::ListBusyBlocksRequest paged;
  paged.set_page_size(1);
  EXPECT_EQ(list(m1_, paged), (std::vector<std::string>{early.name(), late.name()}));
  EXPECT_EQ(list("organizations/tongguan/members/-", paged),
            (std::vector<std::string>{early.name(), other.name(), late.name()}));
  v1::ListBusyBlocksRequest window;
  *window.mutable_time_range() = Range(Monday(11), Monday(20));
  EXPECT_EQ(list("organizations/tongguan/members/-", window),
            (std::vector<std::string>{other.name(), late.name()}));

  v1::ListBusyBlocksRequest request;
  request.set_parent("organizations/tongguan/members/-");
  v1::ListBusyBlocksResponse response;
  EXPECT_EQ(Call(&Scheduling::ListBusyBlocks, kMemberA1, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_page_size(1001);
  EXPECT_EQ(ViolationFields(Call(&Scheduling::ListBusyBlocks, kStaffA, request, &response)),
            std::vector<std::string>{"page_size"});
}

TEST_F(BusyBlockRpcTest, RejectsEachInvalidField) {
  struct Case {
    std::string field;
    std::function<void(v1::CreateBusyBlockRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"parent", [](auto& r) { r.set_parent("organizations/tongguan/venues/m1"); }},
      {"busy_block_id", [](auto& r) { r.set_busy_block_id("UPPER"); }},
      {"busy_block", [](auto& r) { r.clear_busy_block(); }},
      {"busy_block.time_range", [](auto& r) { r.mutable_busy_block()->clear_time_range(); }},
      {"busy_block.time_range",
       [](auto& r) {
         *r.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(9, 0, 91));
       }},
      {"busy_block.reason",
       [](auto& r) { r.mutable_busy_block()->set_reason(std::string(201, 'a')); }},
  };
  for (const Case& test_case : cases) {
    v1::CreateBusyBlockRequest request;
    request.set_parent(m1_);
    *request.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(10));
    test_case.spoil(request);
    v1::BusyBlock block;
    const grpc::Status status = Call(&Scheduling::CreateBusyBlock, kStaffA, request, &block);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << test_case.field;
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{test_case.field})
        << Describe(status);
  }
  v1::CreateBusyBlockRequest unknown;
  unknown.set_parent("organizations/tongguan/members/ghost");
  *unknown.mutable_busy_block()->mutable_time_range() = Range(Monday(9), Monday(10));
  v1::BusyBlock block;
  EXPECT_EQ(Call(&Scheduling::CreateBusyBlock, kStaffA, unknown, &block).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace fieldwork::testing
