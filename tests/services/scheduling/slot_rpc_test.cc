// FindSlots against the real binary and Redis: each field rule, ranking, bookings, holds and busy
// blocks respected with the travel buffer, units expanded, and the reasons of an empty answer.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

absl::Time ToAbsl(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(TimeUtil::TimestampToSeconds(t));
}

class SlotRpcTest : public CalendarFixture {
 protected:
  // Required members m1, m2 for one hour on Monday, 08:30–17:30 being the default working hours.
  v1::FindSlotsRequest MondayRequest() {
    v1::FindSlotsRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.add_required_members(MemberName("m1"));
    request.add_required_members(MemberName("m2"));
    request.mutable_duration()->set_seconds(3600);
    *request.mutable_search_window() = Range(Monday(0), Monday(24));
    return request;
  }

  grpc::Status Find(const v1::FindSlotsRequest& request, v1::FindSlotsResponse* response,
                    absl::string_view token = kStaffA) {
    return Call(&Scheduling::FindSlots, token, request, response);
  }

  v1::FindSlotsResponse FindOrDie(const v1::FindSlotsRequest& request) {
    v1::FindSlotsResponse response;
    const grpc::Status status = Find(request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }

  static absl::Time StartOf(const v1::SlotCandidate& candidate) {
    return ToAbsl(candidate.time_range().start_time());
  }
};

TEST_F(SlotRpcTest, RejectsEachInvalidFieldNamingIt) {
  CreateMember("m1");
  CreateMember("m2");
  const std::string other_org_member = "organizations/jiaoqu/members/m1";
  struct Case {
    std::string field;
    std::function<void(v1::FindSlotsRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"required_members[1]", [](auto& r) { r.set_required_members(1, "members/m2"); }},
      {"required_members[0]", [&](auto& r) { r.set_required_members(0, other_org_member); }},
      {"required_members[1]", [](auto& r) { r.set_required_members(1, MemberName("nobody")); }},
      {"optional_members[0]", [](auto& r) { r.add_optional_members(UnitName("u1")); }},
      {"required_units[0]", [](auto& r) { r.add_required_units(UnitName("missing")); }},
      {"required_units",
       [](auto& r) {
         for (int i = 0; i < 51; ++i) r.add_required_units(UnitName(absl::StrCat("u", i)));
       }},
      {"duration", [](auto& r) { r.clear_duration(); }},
      {"duration", [](auto& r) { r.mutable_duration()->set_seconds(7 * 60); }},
      {"duration", [](auto& r) { r.mutable_duration()->set_seconds(15 * 24 * 3600); }},
      {"search_window", [](auto& r) { r.clear_search_window(); }},
      {"search_window",
       [](auto& r) { *r.mutable_search_window() = Range(Monday(0), Monday(0, 0, 367)); }},
      {"search_window.end_time",
       [](auto& r) { *r.mutable_search_window() = Range(Monday(12), Monday(8)); }},
      {"search_window.start_time",
       [](auto& r) { r.mutable_search_window()->mutable_start_time()->set_nanos(5); }},
      {"granularity", [](auto& r) { r.mutable_granularity()->set_seconds(3 * 60); }},
      {"granularity", [](auto& r) { r.mutable_granularity()->set_seconds(2 * 24 * 3600); }},
      {"min_optional_share", [](auto& r) { r.set_min_optional_share(1.5); }},
      {"min_optional_share", [](auto& r) { r.set_min_optional_share(-0.1); }},
      {"max_results", [](auto& r) { r.set_max_results(101); }},
      {"max_results", [](auto& r) { r.set_max_results(-1); }},
      {"venue", [](auto& r) { r.set_venue(VenueName("nowhere")); }},
      {"ignore_bookings[0]", [](auto& r) { r.add_ignore_bookings(MemberName("m1")); }},
      {"ignore_bookings[0]",
       [](auto& r) { r.add_ignore_bookings(absl::StrCat("organizations/", kOrgA, "/events/e9")); }},
      {"ignore_bookings",
       [](auto& r) {
         for (int i = 0; i < 11; ++i) {
           r.add_ignore_bookings(absl::StrCat("organizations/", kOrgA, "/holds/h", i));
         }
       }},
  };
  for (const Case& c : cases) {
    v1::FindSlotsRequest request = MondayRequest();
    c.spoil(request);
    v1::FindSlotsResponse response;
    const grpc::Status status = Find(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.field << ": " << Describe(status);
    const std::vector<std::string> fields = ViolationFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << "expected " << c.field << ", got " << Describe(status);
  }
}

TEST_F(SlotRpcTest, RefusesInactiveMembersAndMalformedParent) {
  CreateMember("m1");
  CreateMember("m2", {}, /*active=*/false);
  v1::FindSlotsResponse response;
  grpc::Status status = Find(MondayRequest(), &response);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"required_members[1]"})
      << Describe(status);

  v1::FindSlotsRequest request = MondayRequest();
  request.set_parent("tongguan");
  status = Find(request, &response);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"parent"}) << Describe(status);
}

TEST_F(SlotRpcTest, AnotherOrganizationIsNotFoundAndMembersMayNotSearch) {
  CreateMember("m1");
  CreateMember("m2");
  v1::FindSlotsRequest request = MondayRequest();
  v1::FindSlotsResponse response;
  EXPECT_EQ(Find(request, &response, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Find(request, &response, kMemberA1).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  request.set_parent("organizations/nowhere");
  EXPECT_EQ(Find(request, &response, kAdmin).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SlotRpcTest, AvoidsScheduledEventsWithTheirTravelBuffer) {
  const std::string m1 = CreateMember("m1");
  CreateMember("m2");
  CreateEvent("专题调研", Monday(8, 30), Monday(10), {m1});
  const v1::FindSlotsResponse response = FindOrDie(MondayRequest());
  ASSERT_FALSE(response.candidates().empty());
  EXPECT_TRUE(response.no_slot_reasons().empty());
  // 10:00 plus the default 30-minute travel buffer.
  EXPECT_EQ(StartOf(response.candidates(0)), Monday(10, 30));
  for (const v1::SlotCandidate& candidate : response.candidates()) {
    EXPECT_GE(StartOf(candidate), Monday(10, 30));
    EXPECT_EQ(candidate.available_share(), 1.0);
    EXPECT_EQ(candidate.attendee_count(), 2);
  }
}

TEST_F(SlotRpcTest, CandidatesRankByShareThenStartAndNeverOverlap) {
  CreateMember("m1");
  CreateMember("m2");
  const std::string o1 = CreateMember("o1");
  CreateMember("o2");
  const v1::Event morning = CreateEvent("上午视察", Monday(8, 30), Monday(12), {o1});
  v1::FindSlotsRequest request = MondayRequest();
  request.add_optional_members(MemberName("o1"));
  request.add_optional_members(MemberName("o2"));
  request.set_max_results(100);
  const v1::FindSlotsResponse response = FindOrDie(request);
  ASSERT_GE(response.candidates_size(), 4);
  // Everyone is free from 12:30 (12:00 + buffer); the morning misses o1.
  EXPECT_EQ(StartOf(response.candidates(0)), Monday(12, 30));
  EXPECT_EQ(response.candidates(0).available_share(), 1.0);
  EXPECT_EQ(response.candidates(0).available_count(), 4);
  const v1::SlotCandidate& last = response.candidates(response.candidates_size() - 1);
  EXPECT_EQ(last.available_share(), 0.75);
  EXPECT_EQ(last.available_count(), 3);
  EXPECT_EQ(last.attendee_count(), 4);
  ASSERT_EQ(last.unavailable_size(), 1);
  EXPECT_EQ(last.unavailable(0).member(), o1);
  ASSERT_EQ(last.unavailable(0).blocked_by_size(), 1);
  EXPECT_EQ(last.unavailable(0).blocked_by(0), morning.name());
  for (int i = 1; i < response.candidates_size(); ++i) {
    const v1::SlotCandidate& previous = response.candidates(i - 1);
    const v1::SlotCandidate& current = response.candidates(i);
    EXPECT_TRUE(previous.available_share() > current.available_share() ||
                (previous.available_share() == current.available_share() &&
                 StartOf(previous) < StartOf(current)))
        << "candidate " << i << " out of order";
  }
  std::vector<absl::Time> starts;
  for (const v1::SlotCandidate& candidate : response.candidates()) {
    starts.push_back(StartOf(candidate));
  }
  std::sort(starts.begin(), starts.end());
  for (size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1], absl::Hours(1)) << "candidates overlap";
  }
}

TEST_F(SlotRpcTest, LiveHoldsAndBusyBlocksCountAsBusy) {
  const std::string m1 = CreateMember("m1");
  const std::string m2 = CreateMember("m2");
  const v1::Hold hold = CreateHold(Monday(8), Monday(18), {m1});
  CreateBusyBlock(m2, Monday(0), Monday(12));
  v1::FindSlotsResponse response = FindOrDie(MondayRequest());
  EXPECT_TRUE(response.candidates().empty());
  ASSERT_EQ(response.no_slot_reasons_size(), 1);
  EXPECT_EQ(response.no_slot_reasons(0).kind(), v1::NO_SLOT_REASON_KIND_REQUIRED_MEMBER_BUSY);
  EXPECT_EQ(response.no_slot_reasons(0).subject(), m1);

  // Moving the hold's booking: ignoring it leaves m2's busy block, afternoons only.
  v1::FindSlotsRequest request = MondayRequest();
  request.add_ignore_bookings(hold.name());
  response = FindOrDie(request);
  ASSERT_FALSE(response.candidates().empty());
  EXPECT_EQ(StartOf(response.candidates(0)), Monday(12, 30));
}

TEST_F(SlotRpcTest, UnitsExpandToTheirActiveMembers) {
  const std::string unit = CreateUnit("u1");
  const std::string m1 = CreateMember("m1", {unit});
  CreateMember("m2");
  CreateMember("m3", {unit}, /*active=*/false);
  CreateEvent("协商议事", Monday(8, 30), Monday(16), {m1});
  v1::FindSlotsRequest request = MondayRequest();
  request.clear_required_members();
  request.add_required_units(unit);
  request.add_optional_members(MemberName("m2"));
  const v1::FindSlotsResponse response = FindOrDie(request);
  ASSERT_FALSE(response.candidates().empty());
  EXPECT_EQ(StartOf(response.candidates(0)), Monday(16, 30));
  EXPECT_EQ(response.candidates(0).attendee_count(), 2);  // m1 (from the unit) and m2
}

TEST_F(SlotRpcTest, EmptyAnswerSaysWhy) {
  CreateMember("m1");
  CreateMember("m2");
  const std::string room = CreateVenue("room", /*exclusive=*/true);
  const std::string small = CreateVenue("small", /*exclusive=*/false, /*capacity=*/1);
  const std::string o1 = CreateMember("o1");
  CreateEvent("会议室占用", Monday(0), Monday(24), {}, room);
  CreateEvent("全天调研", Monday(0), Monday(24), {o1});

  const auto reason_of = [&](const v1::FindSlotsRequest& request) {
    const v1::FindSlotsResponse response = FindOrDie(request);
    EXPECT_TRUE(response.candidates().empty());
    EXPECT_EQ(response.no_slot_reasons_size(), 1);
    for (const v1::NoSlotReason& reason : response.no_slot_reasons()) {
      EXPECT_FALSE(reason.message().empty());
      EXPECT_LE(reason.message().size(), 200u);
    }
    return response.no_slot_reasons().empty() ? v1::NoSlotReason() : response.no_slot_reasons(0);
  };

  v1::FindSlotsRequest request = MondayRequest();
  *request.mutable_search_window() = Range(Monday(9), Monday(9, 30));
  EXPECT_EQ(reason_of(request).kind(), v1::NO_SLOT_REASON_KIND_WINDOW_TOO_SHORT);

  request = MondayRequest();
  *request.mutable_search_window() = Range(Monday(0, 0, 5), Monday(0, 0, 7));  // the weekend
  EXPECT_EQ(reason_of(request).kind(), v1::NO_SLOT_REASON_KIND_NO_WORKING_TIME);

  request = MondayRequest();
  request.set_venue(room);
  v1::NoSlotReason reason = reason_of(request);
  EXPECT_EQ(reason.kind(), v1::NO_SLOT_REASON_KIND_VENUE_BUSY);
  EXPECT_EQ(reason.subject(), room);

  request = MondayRequest();
  request.set_venue(small);
  reason = reason_of(request);
  EXPECT_EQ(reason.kind(), v1::NO_SLOT_REASON_KIND_VENUE_TOO_SMALL);
  EXPECT_EQ(reason.subject(), small);

  request = MondayRequest();
  request.add_optional_members(o1);
  request.set_min_optional_share(1);
  EXPECT_EQ(reason_of(request).kind(), v1::NO_SLOT_REASON_KIND_OPTIONAL_SHARE_NOT_MET);
}

TEST_F(SlotRpcTest, RequiredMembersWithoutCommonTime) {
  const std::string m1 = CreateMember("m1");
  const std::string m2 = CreateMember("m2");
  CreateEvent("上午", Monday(8, 30), Monday(13), {m1});
  CreateEvent("下午", Monday(12), Monday(17, 30), {m2});
  const v1::FindSlotsResponse response = FindOrDie(MondayRequest());
  EXPECT_TRUE(response.candidates().empty());
  ASSERT_EQ(response.no_slot_reasons_size(), 1);
  EXPECT_EQ(response.no_slot_reasons(0).kind(), v1::NO_SLOT_REASON_KIND_NO_COMMON_TIME);
}

TEST_F(SlotRpcTest, IgnoringWorkingHoursUsesAGridFromTheWindowStart) {
  CreateMember("m1");
  CreateMember("m2");
  v1::FindSlotsRequest request = MondayRequest();
  request.set_ignore_working_hours(true);
  *request.mutable_search_window() = Range(Monday(19, 10), Monday(24));
  request.mutable_granularity()->set_seconds(15 * 60);
  request.set_max_results(100);
  const v1::FindSlotsResponse response = FindOrDie(request);
  ASSERT_EQ(response.candidates_size(), 4);  // 19:10, 20:10, 21:10, 22:10 (disjoint, one hour)
  EXPECT_EQ(StartOf(response.candidates(0)), Monday(19, 10));
  EXPECT_EQ(StartOf(response.candidates(3)), Monday(22, 10));
}

TEST_F(SlotRpcTest, BurstOfCallsIsRateLimitedPerCallerWithRetryInfo) {
  CreateMember("m1");
  CreateMember("m2");
  v1::FindSlotsResponse response;
  grpc::Status status;
  // Two windows' worth plus one: whichever window boundary falls inside, one window overflows.
  for (int i = 0; i < 61 && status.ok(); ++i) status = Find(MondayRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_RATE_LIMITED");
  fieldwork::common::v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  bool has_retry_info = false;
  for (const google::protobuf::Any& any : details.details()) {
    fieldwork::common::v1::RetryInfo retry;
    if (any.UnpackTo(&retry)) {
      has_retry_info = true;
      EXPECT_GT(retry.retry_delay().seconds() * 1000000000LL + retry.retry_delay().nanos(), 0);
      EXPECT_LE(retry.retry_delay().seconds(), 10);
    }
  }
  EXPECT_TRUE(has_retry_info) << Describe(status);
  // Another caller has its own allowance.
  status = Find(MondayRequest(), &response, kOrgAdminA);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

}  // namespace
}  // namespace fieldwork::testing
