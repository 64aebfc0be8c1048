// Events over gRPC against the real fieldwork-scheduling binary and a real Redis: create (draft and
// booked), read, list with filters and pages, update with etags and re-booking, schedule, cancel,
// complete; conflicts with their machine-readable list, the travel buffer, optional-participant
// warnings, venues, busy blocks, units, idempotent retries, tenant isolation and every field rule.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

struct Invitee {
  std::string member;
  v1::ParticipantRole role = v1::PARTICIPANT_ROLE_REQUIRED;
};

class EventRpcTest : public CalendarFixture {
 protected:
  void SetUp() override {
    CalendarFixture::SetUp();
    if (HasFatalFailure()) return;
    m1_ = CreateMember("m1");
    m2_ = CreateMember("m2");
    m3_ = CreateMember("m3");
  }

  static v1::CreateEventRequest Request(absl::Time start, absl::Time end,
                                        const std::vector<Invitee>& invitees,
                                        v1::EventState state = v1::EVENT_STATE_SCHEDULED) {
    v1::CreateEventRequest request;
    request.set_parent(kOrgAName);
    v1::Event& event = *request.mutable_event();
    event.set_kind(v1::EVENT_KIND_INSPECTION);
    event.set_title("关于优化营商环境的专题视察");
    event.set_state(state);
    *event.mutable_time_range() = Range(start, end);
    for (const Invitee& invitee : invitees) {
      v1::Participant& participant = *event.add_participants();
      participant.set_member(invitee.member);
      participant.set_role(invitee.role);
    }
    return request;
  }

  grpc::Status Create(const v1::CreateEventRequest& request, v1::CreateEventResponse* response,
                      absl::string_view token = kStaffA) {
    return Call(&Scheduling::CreateEvent, token, request, response);
  }

  v1::Event CreateOrDie(const v1::CreateEventRequest& request) {
    v1::CreateEventResponse response;
    const grpc::Status status = Create(request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.event();
  }

  grpc::Status Get(const std::string& name, v1::Event* event, absl::string_view token = kStaffA) {
    v1::GetEventRequest request;
    request.set_name(name);
    return Call(&Scheduling::GetEvent, token, request, event);
  }

  // Every event of kOrgA matching `request`'s filters, following the pages.
  std::vector<v1::Event> ListAll(v1::ListEventsRequest request) {
    request.set_parent(kOrgAName);
    std::vector<v1::Event> events;
    do {
      v1::ListEventsResponse response;
      const grpc::Status status = Call(&Scheduling::ListEvents, kStaffA, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      for (const v1::Event& event : response.events()) events.push_back(event);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return events;
  }

  int CountEvents() { return static_cast<int>(ListAll({}).size()); }

  std::string m1_, m2_, m3_;
};

TEST_F(EventRpcTest, CreatesScheduledEventAndReadsItBack) {
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}, {m2_}});
  request.set_event_id("trip-1");
  request.mutable_event()->add_topics("营商环境");
  v1::CreateEventResponse created;
  const grpc::Status status = Create(request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const v1::Event& event = created.event();
  EXPECT_EQ(event.name(), "organizations/tongguan/events/trip-1");
  EXPECT_EQ(event.state(), v1::EVENT_STATE_SCHEDULED);
  EXPECT_EQ(event.resolved_participants_size(), 2);
  EXPECT_FALSE(event.etag().empty());
  EXPECT_EQ(event.sequence(), 0);
  EXPECT_EQ(event.created_by(), kStaffA);
  EXPECT_TRUE(event.has_create_time());
  EXPECT_TRUE(created.warnings().empty());

  v1::Event read;
  ASSERT_TRUE(Get(event.name(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), event.SerializeAsString());
}

// GetEvent's member filter: the one member's participation, every other field whole; a member
// that takes no part gets an event without participants; a malformed or foreign member is refused.
TEST_F(EventRpcTest, GetEventNarrowedToOneMember) {
  const v1::Event event =
      CreateOrDie(Request(Monday(10), Monday(11), {{m1_}, {m2_, v1::PARTICIPANT_ROLE_OPTIONAL}}));
  v1::GetEventRequest request;
  request.set_name(event.name());
  request.set_member(m2_);
  v1::Event narrowed;
  grpc::Status status = Call(&Scheduling::GetEvent, kStaffA, request, &narrowed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(narrowed.participants_size(), 1);
  EXPECT_EQ(narrowed.participants(0).member(), m2_);
  ASSERT_EQ(narrowed.resolved_participants_size(), 1);
  EXPECT_EQ(narrowed.resolved_participants(0).member(), m2_);
  EXPECT_EQ(narrowed.resolved_participants(0).role(), v1::PARTICIPANT_ROLE_OPTIONAL);
  v1::Event whole = narrowed;
  *whole.mutable_participants() = event.participants();
  *whole.mutable_resolved_participants() = event.resolved_participants();
  EXPECT_EQ(whole.SerializeAsString(), event.SerializeAsString());

  request.set_member(m3_);
  ASSERT_TRUE(Call(&Scheduling::GetEvent, kStaffA, request, &narrowed).ok());
  EXPECT_EQ(narrowed.participants_size(), 0);
  EXPECT_EQ(narrowed.resolved_participants_size(), 0);
  EXPECT_EQ(narrowed.title(), event.title());

  for (const std::string bad : {"m1", "organizations/jiaoqu/members/m1"}) {
    request.set_member(bad);
    status = Call(&Scheduling::GetEvent, kStaffA, request, &narrowed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"member"}) << Describe(status);
  }
}

// ListEvents' read_mask: each event holds the masked fields only; filters still see the whole
// event (the member filter matches on participants that the answer leaves out).
TEST_F(EventRpcTest, ListEventsTrimsEventsToTheReadMask) {
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}, {m2_}}));
  v1::ListEventsRequest request;
  request.set_member(m2_);
  for (const char* path : {"name", "state", "time_range"})
    request.mutable_read_mask()->add_paths(path);
  const std::vector<v1::Event> listed = ListAll(request);
  ASSERT_EQ(listed.size(), 1u);
  v1::Event expected;
  expected.set_name(event.name());
  expected.set_state(event.state());
  *expected.mutable_time_range() = event.time_range();
  EXPECT_EQ(listed[0].SerializeAsString(), expected.SerializeAsString());
}

// Regression: an event claiming nothing exclusive (only optional participants, no venue) needs
// no calendar lock; it used to fail with "no lock keys to acquire".
TEST_F(EventRpcTest, SchedulesEventWithOnlyOptionalParticipants) {
  const v1::Event first = CreateOrDie(
      Request(Monday(10), Monday(11),
              {{m1_, v1::PARTICIPANT_ROLE_OPTIONAL}, {m2_, v1::PARTICIPANT_ROLE_OPTIONAL}}));
  EXPECT_EQ(first.state(), v1::EVENT_STATE_SCHEDULED);
  // Optional participation holds no calendar: an overlapping one is booked too.
  const v1::Event second =
      CreateOrDie(Request(Monday(10), Monday(11), {{m1_, v1::PARTICIPANT_ROLE_OPTIONAL}}));
  EXPECT_EQ(second.state(), v1::EVENT_STATE_SCHEDULED);
  EXPECT_EQ(CountEvents(), 2);
}

TEST_F(EventRpcTest, DraftBooksNoCalendar) {
  const v1::Event draft =
      CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}, v1::EVENT_STATE_DRAFT));
  EXPECT_EQ(draft.state(), v1::EVENT_STATE_DRAFT);
  EXPECT_TRUE(draft.resolved_participants().empty());
  v1::CreateEventResponse response;
  EXPECT_TRUE(Create(Request(Monday(10), Monday(11), {{m1_}}), &response).ok());
}

TEST_F(EventRpcTest, RefusesOverlappingRequiredParticipantWithConflictList) {
  const v1::Event first = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}, {m2_}}));
  v1::CreateEventResponse response;
  const grpc::Status status =
      Create(Request(Monday(10, 30), Monday(11, 30), {{m1_}, {m3_}}), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_BOOKING_CONFLICT");
  const fieldwork::common::v1::Conflicts conflicts = ConflictsOf(status);
  ASSERT_EQ(conflicts.conflicts_size(), 1);
  EXPECT_EQ(conflicts.conflicts(0).calendar(), m1_);
  EXPECT_EQ(conflicts.conflicts(0).booked_by(), first.name());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(conflicts.conflicts(0).start_time()),
            absl::ToUnixSeconds(Monday(10)));
  EXPECT_EQ(TimeUtil::TimestampToSeconds(conflicts.conflicts(0).end_time()),
            absl::ToUnixSeconds(Monday(11)));
  EXPECT_EQ(CountEvents(), 1);
}

TEST_F(EventRpcTest, RejectsBookingThatOverlapsTravelBuffer) {
  CreateOrDie(Request(Monday(9), Monday(10), {{m1_}}));
  v1::CreateEventResponse response;
  const grpc::Status within_buffer =
      Create(Request(Monday(10, 20), Monday(11), {{m1_}}), &response);
  ASSERT_EQ(within_buffer.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << Describe(within_buffer);
  ASSERT_EQ(ConflictsOf(within_buffer).conflicts_size(), 1);
  EXPECT_NE(ConflictsOf(within_buffer).conflicts(0).reason().find("travel buffer"),
            std::string::npos);
  EXPECT_TRUE(Create(Request(Monday(10, 30), Monday(11), {{m1_}}), &response).ok());
}

TEST_F(EventRpcTest, OptionalParticipantOverlapIsBookedWithAWarning) {
  const v1::Event first = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::CreateEventResponse response;
  const grpc::Status status = Create(
      Request(Monday(10), Monday(11), {{m1_, v1::PARTICIPANT_ROLE_OPTIONAL}, {m2_}}), &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(response.warnings_size(), 1);
  EXPECT_EQ(response.warnings(0).kind(), v1::BOOKING_WARNING_KIND_OPTIONAL_PARTICIPANT_BUSY);
  EXPECT_EQ(response.warnings(0).subject(), m1_);
  EXPECT_EQ(response.warnings(0).booked_by(), first.name());
  // The optional booking blocks nobody: m1 is still free for nothing new, but m2 is now held.
  v1::CreateEventResponse again;
  EXPECT_EQ(Create(Request(Monday(10), Monday(11), {{m2_}}), &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventRpcTest, RequiredBookingIgnoresOptionalEntriesOfOthers) {
  CreateOrDie(Request(Monday(10), Monday(11), {{m1_, v1::PARTICIPANT_ROLE_OPTIONAL}, {m2_}}));
  v1::CreateEventResponse response;
  const grpc::Status status = Create(Request(Monday(10), Monday(11), {{m1_}}), &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

TEST_F(EventRpcTest, ExclusiveVenueIsNeverDoubleBookedButSharedVenueIs) {
  const std::string hall = CreateVenue("hall", /*exclusive=*/true);
  const std::string park = CreateVenue("park", /*exclusive=*/false);
  v1::CreateEventRequest first = Request(Monday(10), Monday(11), {{m1_}});
  first.mutable_event()->set_venue(hall);
  const v1::Event booked = CreateOrDie(first);

  v1::CreateEventRequest clash = Request(Monday(10, 30), Monday(11, 30), {{m2_}});
  clash.mutable_event()->set_venue(hall);
  v1::CreateEventResponse response;
  const grpc::Status status = Create(clash, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  ASSERT_EQ(ConflictsOf(status).conflicts_size(), 1);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).calendar(), hall);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).booked_by(), booked.name());

  // Venues take no travel buffer: back to back is fine.
  v1::CreateEventRequest next = Request(Monday(11), Monday(12), {{m2_}});
  next.mutable_event()->set_venue(hall);
  EXPECT_TRUE(Create(next, &response).ok());

  v1::CreateEventRequest shared_a = Request(Monday(14), Monday(15), {{m1_}});
  shared_a.mutable_event()->set_venue(park);
  v1::CreateEventRequest shared_b = Request(Monday(14), Monday(15), {{m3_}});
  shared_b.mutable_event()->set_venue(park);
  EXPECT_TRUE(Create(shared_a, &response).ok());
  EXPECT_TRUE(Create(shared_b, &response).ok());
}

TEST_F(EventRpcTest, ItineraryHoldsEachExclusiveStopOnlyForItsOwnTime) {
  const std::string plant = CreateVenue("plant", /*exclusive=*/true);
  v1::CreateEventRequest trip = Request(Monday(9), Monday(17), {{m1_}});
  v1::ItineraryStop* stop = trip.mutable_event()->add_itinerary();
  stop->set_venue(plant);
  *stop->mutable_time_range() = Range(Monday(9), Monday(11));
  stop->set_note("座谈交流");
  CreateOrDie(trip);

  v1::CreateEventRequest later = Request(Monday(11), Monday(12), {{m2_}});
  later.mutable_event()->set_venue(plant);
  v1::CreateEventResponse response;
  EXPECT_TRUE(Create(later, &response).ok());
  v1::CreateEventRequest during = Request(Monday(10), Monday(10, 30), {{m3_}});
  during.mutable_event()->set_venue(plant);
  EXPECT_EQ(Create(during, &response).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventRpcTest, BusyBlockRefusesRequiredBookingAndFreesItWhenDeleted) {
  const v1::BusyBlock block = CreateBusyBlock(m1_, Monday(10), Monday(12));
  v1::CreateEventResponse response;
  const grpc::Status status = Create(Request(Monday(11), Monday(13), {{m1_}}), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  ASSERT_EQ(ConflictsOf(status).conflicts_size(), 1);
  EXPECT_EQ(ConflictsOf(status).conflicts(0).booked_by(), block.name());

  v1::DeleteBusyBlockRequest remove;
  remove.set_name(block.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Scheduling::DeleteBusyBlock, kStaffA, remove, &empty).ok());
  EXPECT_TRUE(Create(Request(Monday(11), Monday(13), {{m1_}}), &response).ok());
}

TEST_F(EventRpcTest, InvitedUnitExpandsToItsActiveMembers) {
  const std::string sector = CreateUnit("economy");
  const std::string empty_sector = CreateUnit("science");
  const std::string active = CreateMember("m4", {sector});
  CreateMember("m5", {sector}, /*active=*/false);
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}});
  for (const std::string& unit : {sector, empty_sector}) {
    v1::InvitedUnit* invited = request.mutable_event()->add_invited_units();
    invited->set_unit(unit);
    invited->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
  }
  v1::CreateEventResponse response;
  const grpc::Status status = Create(request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(response.event().resolved_participants_size(), 2);
  EXPECT_EQ(response.event().resolved_participants(0).member(), m1_);
  EXPECT_EQ(response.event().resolved_participants(1).member(), active);
  EXPECT_EQ(response.event().resolved_participants(1).source_unit(), sector);
  ASSERT_EQ(response.warnings_size(), 1);
  EXPECT_EQ(response.warnings(0).kind(), v1::BOOKING_WARNING_KIND_EMPTY_UNIT);
  EXPECT_EQ(response.warnings(0).subject(), empty_sector);
  // The unit's member is now held like a direct participant.
  EXPECT_EQ(Create(Request(Monday(10), Monday(11), {{active}}), &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventRpcTest, InactiveParticipantIsRefusedWhenBookedButNotInADraft) {
  const std::string retired = CreateMember("m9", {}, /*active=*/false);
  v1::CreateEventResponse response;
  const grpc::Status status = Create(Request(Monday(10), Monday(11), {{retired}}), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"event.participants[0].member"});
  EXPECT_TRUE(
      Create(Request(Monday(10), Monday(11), {{retired}}, v1::EVENT_STATE_DRAFT), &response).ok());
}

TEST_F(EventRpcTest, RefusesMoreParticipantsThanCapacity) {
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}, {m2_}, {m3_}});
  request.mutable_event()->set_capacity(2);
  v1::CreateEventResponse response;
  const grpc::Status status = Create(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_CAPACITY_EXCEEDED");
  EXPECT_EQ(CountEvents(), 0);
}

TEST_F(EventRpcTest, ValidateOnlyChecksConflictsButWritesNothing) {
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}});
  request.set_event_id("dry-run");
  request.set_validate_only(true);
  v1::CreateEventResponse response;
  ASSERT_TRUE(Create(request, &response).ok());
  EXPECT_EQ(response.event().name(), "organizations/tongguan/events/dry-run");
  v1::Event read;
  EXPECT_EQ(Get(response.event().name(), &read).error_code(), grpc::StatusCode::NOT_FOUND);

  CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  EXPECT_EQ(Create(request, &response).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(CountEvents(), 1);
}

TEST_F(EventRpcTest, RefusesATakenEventId) {
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}});
  request.set_event_id("trip");
  CreateOrDie(request);
  request.mutable_event()->clear_participants();
  v1::CreateEventResponse response;
  const grpc::Status status = Create(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << Describe(status);
}

TEST_F(EventRpcTest, RetryWithTheSameRequestIdReturnsTheFirstAnswer) {
  v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}});
  request.set_request_id("5f0c7a52-retry");
  v1::CreateEventResponse first;
  v1::CreateEventResponse second;
  ASSERT_TRUE(Create(request, &first).ok());
  const grpc::Status retried = Create(request, &second);
  ASSERT_TRUE(retried.ok()) << Describe(retried);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(CountEvents(), 1);

  request.mutable_event()->set_title("另一个活动");
  const grpc::Status reused = Create(request, &second);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
  EXPECT_EQ(ViolationFields(reused), std::vector<std::string>{"request_id"});
}

TEST_F(EventRpcTest, RejectsEachInvalidFieldAndWritesNothing) {
  CreateMember("m9", {}, /*active=*/true);
  struct Case {
    std::string field;
    std::function<void(v1::CreateEventRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"parent", [](auto& r) { r.set_parent("organisations/tongguan"); }},
      {"event_id", [](auto& r) { r.set_event_id("Bad_Id"); }},
      {"request_id", [](auto& r) { r.set_request_id(std::string(65, 'x')); }},
      {"event", [](auto& r) { r.clear_event(); }},
      {"event.kind", [](auto& r) { r.mutable_event()->set_kind(v1::EVENT_KIND_UNSPECIFIED); }},
      {"event.kind", [](auto& r) { r.mutable_event()->set_kind(static_cast<v1::EventKind>(99)); }},
      {"event.title", [](auto& r) { r.mutable_event()->set_title(""); }},
      {"event.title", [](auto& r) { r.mutable_event()->set_title(std::string(201, 'a')); }},
      {"event.topics[1]",
       [](auto& r) {
         r.mutable_event()->add_topics("乡村振兴");
         r.mutable_event()->add_topics("乡村振兴");
       }},
      {"event.topics[0]", [](auto& r) { r.mutable_event()->add_topics(std::string(51, 'a')); }},
      {"event.description",
       [](auto& r) { r.mutable_event()->set_description(std::string(5001, 'a')); }},
      {"event.organizing_unit",
       [](auto& r) {
         r.mutable_event()->set_organizing_unit("organizations/tongguan/units/nope");
       }},
      {"event.venue",
       [](auto& r) { r.mutable_event()->set_venue("organizations/jiaoqu/venues/hall"); }},
      {"event.time_range", [](auto& r) { r.mutable_event()->clear_time_range(); }},
      {"event.time_range.end_time",
       [](auto& r) { *r.mutable_event()->mutable_time_range() = Range(Monday(11), Monday(10)); }},
      {"event.time_range",
       [](auto& r) {
         *r.mutable_event()->mutable_time_range() = Range(Monday(10), Monday(10, 4));
       }},
      {"event.time_range",
       [](auto& r) {
         *r.mutable_event()->mutable_time_range() = Range(Monday(10), Monday(10, 0, 15));
       }},
      {"event.time_range.start_time",
       [](auto& r) {
         r.mutable_event()->mutable_time_range()->mutable_start_time()->set_nanos(5);
       }},
      {"event.time_range.start_time",
       [](auto& r) {
         r.mutable_event()->mutable_time_range()->mutable_start_time()->set_seconds(900000000);
       }},
      {"event.itinerary[0].time_range",
       [](auto& r) {
         v1::ItineraryStop* stop = r.mutable_event()->add_itinerary();
         stop->set_venue("organizations/tongguan/venues/hall");
         *stop->mutable_time_range() = Range(Monday(9), Monday(10, 30));
       }},
      {"event.participants[1].member",
       [](auto& r) { *r.mutable_event()->add_participants() = r.event().participants(0); }},
      {"event.participants[0].role",
       [](auto& r) {
         r.mutable_event()->mutable_participants(0)->set_role(v1::PARTICIPANT_ROLE_UNSPECIFIED);
       }},
      {"event.participants[0].member",
       [](auto& r) {
         r.mutable_event()->mutable_participants(0)->set_member(
             "organizations/tongguan/members/ghost");
       }},
      {"event.invited_units[0].role",
       [](auto& r) {
         v1::InvitedUnit* unit = r.mutable_event()->add_invited_units();
         unit->set_unit("organizations/tongguan/units/economy");
         unit->set_role(v1::PARTICIPANT_ROLE_LEAD);
       }},
      {"event.capacity", [](auto& r) { r.mutable_event()->set_capacity(-1); }},
      {"event.state", [](auto& r) { r.mutable_event()->set_state(v1::EVENT_STATE_CANCELLED); }},
  };
  CreateVenue("hall", /*exclusive=*/true);
  CreateUnit("economy");
  for (const Case& test_case : cases) {
    v1::CreateEventRequest request = Request(Monday(10), Monday(11), {{m1_}});
    test_case.spoil(request);
    v1::CreateEventResponse response;
    const grpc::Status status = Create(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << test_case.field << ": " << Describe(status);
    const std::vector<std::string> fields = ViolationFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), test_case.field), fields.end())
        << "expected " << test_case.field << ", got " << Describe(status);
  }
  EXPECT_EQ(CountEvents(), 0);
}

TEST_F(EventRpcTest, EventsOfAnotherOrganizationAreNotFound) {
  CreateOrganizationOrDie(kOrgB, "郊区政协");
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::Event read;
  EXPECT_EQ(Get(event.name(), &read, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::ListEventsRequest list;
  list.set_parent(kOrgAName);
  v1::ListEventsResponse listed;
  EXPECT_EQ(Call(&Scheduling::ListEvents, kStaffB, list, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::CancelEventRequest cancel;
  cancel.set_name(event.name());
  cancel.set_reason("天气原因");
  EXPECT_EQ(Call(&Scheduling::CancelEvent, kStaffB, cancel, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Staff of B cannot book A's members into an event of B either.
  v1::CreateEventRequest foreign = Request(Monday(10), Monday(11), {{m1_}});
  foreign.set_parent("organizations/jiaoqu");
  v1::CreateEventResponse response;
  EXPECT_EQ(Create(foreign, &response, kStaffB).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EventRpcTest, MemberSeesOnlyNonDraftEventsItTakesPartIn) {
  const v1::Event own = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  const v1::Event draft =
      CreateOrDie(Request(Monday(12), Monday(13), {{m1_}}, v1::EVENT_STATE_DRAFT));
  const v1::Event others = CreateOrDie(Request(Monday(14), Monday(15), {{m2_}}));
  v1::Event read;
  EXPECT_TRUE(Get(own.name(), &read, kMemberA1).ok());
  EXPECT_EQ(Get(draft.name(), &read, kMemberA1).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(others.name(), &read, kMemberA1).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListEventsRequest list;
  list.set_parent(kOrgAName);
  list.set_member(m1_);
  v1::ListEventsResponse listed;
  ASSERT_TRUE(Call(&Scheduling::ListEvents, kMemberA1, list, &listed).ok());
  ASSERT_EQ(listed.events_size(), 1);
  EXPECT_EQ(listed.events(0).name(), own.name());
  list.set_member(m2_);
  EXPECT_EQ(Call(&Scheduling::ListEvents, kMemberA1, list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EventRpcTest, ListsInStartOrderWithPagesAndFilters) {
  const std::string sector = CreateUnit("economy");
  const std::string hall = CreateVenue("hall", /*exclusive=*/false);
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    v1::CreateEventRequest request =
        Request(Monday(9 + i), Monday(9 + i, 30), {{i % 2 == 0 ? m1_ : m2_}});
    request.set_event_id(absl::StrCat("e", 5 - i));  // names opposite to start order
    if (i == 1) request.mutable_event()->set_kind(v1::EVENT_KIND_VISIT);
    if (i == 2) request.mutable_event()->add_topics("营商环境");
    if (i == 3) request.mutable_event()->set_organizing_unit(sector);
    if (i == 4) request.mutable_event()->set_venue(hall);
    names.push_back(CreateOrDie(request).name());
  }
  v1::ListEventsRequest request;
  request.set_parent(kOrgAName);
  request.set_page_size(2);
  std::vector<std::string> listed;
  int pages = 0;
  do {
    v1::ListEventsResponse response;
    const grpc::Status status = Call(&Scheduling::ListEvents, kStaffA, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(response.total_size(), 5);
    for (const v1::Event& event : response.events()) listed.push_back(event.name());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(listed, names);
  EXPECT_EQ(pages, 3);

  auto names_of = [](const std::vector<v1::Event>& events) {
    std::vector<std::string> result;
    for (const v1::Event& event : events) result.push_back(event.name());
    return result;
  };
  v1::ListEventsRequest filter;
  filter.add_kinds(v1::EVENT_KIND_VISIT);
  EXPECT_EQ(names_of(ListAll(filter)), std::vector<std::string>{names[1]});
  filter = {};
  filter.set_topic("营商环境");
  EXPECT_EQ(names_of(ListAll(filter)), std::vector<std::string>{names[2]});
  filter = {};
  filter.set_unit(sector);
  EXPECT_EQ(names_of(ListAll(filter)), std::vector<std::string>{names[3]});
  filter = {};
  filter.set_venue(hall);
  EXPECT_EQ(names_of(ListAll(filter)), std::vector<std::string>{names[4]});
  filter = {};
  filter.set_member(m2_);
  EXPECT_EQ(names_of(ListAll(filter)), (std::vector<std::string>{names[1], names[3]}));
  filter = {};
  *filter.mutable_time_range() = Range(Monday(10, 15), Monday(11, 15));
  EXPECT_EQ(names_of(ListAll(filter)), (std::vector<std::string>{names[1], names[2]}));
  filter = {};
  filter.add_states(v1::EVENT_STATE_DRAFT);
  EXPECT_TRUE(ListAll(filter).empty());
}

TEST_F(EventRpcTest, ListRejectsBadPagingAndFilters) {
  CreateOrDie(Request(Monday(9), Monday(10), {{m1_}}));
  CreateOrDie(Request(Monday(11), Monday(12), {{m1_}}));
  v1::ListEventsRequest request;
  request.set_parent(kOrgAName);
  request.set_page_size(1);
  v1::ListEventsResponse response;
  ASSERT_TRUE(Call(&Scheduling::ListEvents, kStaffA, request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  struct Case {
    std::string field;
    std::function<void(v1::ListEventsRequest&)> spoil;
  };
  const std::string token = response.next_page_token();
  const std::vector<Case> cases = {
      {"page_size", [](auto& r) { r.set_page_size(501); }},
      {"page_size", [](auto& r) { r.set_page_size(-1); }},
      {"page_token",
       [&](auto& r) {
         r.set_page_token(token);
         r.add_kinds(v1::EVENT_KIND_VISIT);
       }},
      {"page_token", [](auto& r) { r.set_page_token("not-a-token"); }},
      {"kinds[0]", [](auto& r) { r.add_kinds(v1::EVENT_KIND_UNSPECIFIED); }},
      {"states[0]", [](auto& r) { r.add_states(static_cast<v1::EventState>(42)); }},
      {"member", [](auto& r) { r.set_member("organizations/jiaoqu/members/m1"); }},
      {"topic", [](auto& r) { r.set_topic(std::string(51, 'a')); }},
      {"read_mask", [](auto& r) { r.mutable_read_mask()->add_paths("no_such_field"); }},
      {"time_range.end_time",
       [](auto& r) { *r.mutable_time_range() = Range(Monday(12), Monday(11)); }},
  };
  for (const Case& test_case : cases) {
    v1::ListEventsRequest bad;
    bad.set_parent(kOrgAName);
    test_case.spoil(bad);
    const grpc::Status status = Call(&Scheduling::ListEvents, kStaffA, bad, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << test_case.field;
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{test_case.field})
        << Describe(status);
  }
}

class EventUpdateRpcTest : public EventRpcTest {
 protected:
  grpc::Status Update(const v1::Event& event, const std::vector<std::string>& paths,
                      v1::UpdateEventResponse* response) {
    v1::UpdateEventRequest request;
    *request.mutable_event() = event;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return Call(&Scheduling::UpdateEvent, kStaffA, request, response);
  }
};

TEST_F(EventUpdateRpcTest, UpdatesMaskedFieldsAndRefusesAStaleEtag) {
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::Event patch = event;
  patch.set_title("新的标题");
  patch.set_description("不在掩码里");
  v1::UpdateEventResponse updated;
  const grpc::Status status = Update(patch, {"title"}, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(updated.event().title(), "新的标题");
  EXPECT_EQ(updated.event().description(), "");
  EXPECT_NE(updated.event().etag(), event.etag());
  EXPECT_EQ(updated.event().sequence(), 0);  // title changes do not raise SEQUENCE

  patch.set_title("用过期的 etag");
  const grpc::Status stale = Update(patch, {"title"}, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << Describe(stale);
  EXPECT_EQ(ErrorReasonOf(stale), "ERROR_REASON_STALE_ETAG");
  v1::Event read;
  ASSERT_TRUE(Get(event.name(), &read).ok());
  EXPECT_EQ(read.title(), "新的标题");
}

TEST_F(EventUpdateRpcTest, MovingAScheduledEventRebooksUnderTheLocks) {
  const v1::Event first = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  const v1::Event second = CreateOrDie(Request(Monday(13), Monday(14), {{m1_}, {m2_}}));

  // Onto the first event's time: refused, nothing changes.
  v1::Event patch = second;
  *patch.mutable_time_range() = Range(Monday(10, 30), Monday(11, 30));
  v1::UpdateEventResponse response;
  const grpc::Status clash = Update(patch, {"time_range"}, &response);
  ASSERT_EQ(clash.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(clash);
  EXPECT_EQ(ConflictsOf(clash).conflicts(0).booked_by(), first.name());
  v1::Event read;
  ASSERT_TRUE(Get(second.name(), &read).ok());
  EXPECT_EQ(read.etag(), second.etag());

  // Overlapping only its own old time is fine, and frees the old slot.
  *patch.mutable_time_range() = Range(Monday(13, 30), Monday(14, 30));
  const grpc::Status moved = Update(patch, {"time_range"}, &response);
  ASSERT_TRUE(moved.ok()) << Describe(moved);
  EXPECT_EQ(response.event().sequence(), 1);
  v1::CreateEventResponse created;
  EXPECT_TRUE(Create(Request(Monday(12), Monday(12, 50), {{m2_}}), &created).ok());

  // Adding a participant re-books that participant too.
  patch = response.event();
  *patch.add_participants() = v1::Participant();
  patch.mutable_participants(2)->set_member(m3_);
  patch.mutable_participants(2)->set_role(v1::PARTICIPANT_ROLE_LEAD);
  ASSERT_TRUE(Update(patch, {"participants"}, &response).ok());
  EXPECT_EQ(Create(Request(Monday(14), Monday(15), {{m3_}}), &created).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventUpdateRpcTest, RefusesUnknownPathsAndChangesToClosedEvents) {
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::UpdateEventResponse response;
  for (const char* path : {"state", "etag", "name", "bogus"}) {
    const grpc::Status status = Update(event, {path}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << path;
    EXPECT_EQ(ViolationFields(status), std::vector<std::string>{"update_mask"}) << path;
  }
  EXPECT_EQ(ViolationFields(Update(event, {}, &response)), std::vector<std::string>{"update_mask"});
  v1::Event bad = event;
  bad.set_title("");
  EXPECT_EQ(ViolationFields(Update(bad, {"title"}, &response)),
            std::vector<std::string>{"event.title"});

  v1::CancelEventRequest cancel;
  cancel.set_name(event.name());
  cancel.set_reason("天气原因");
  v1::Event cancelled;
  ASSERT_TRUE(Call(&Scheduling::CancelEvent, kStaffA, cancel, &cancelled).ok());
  v1::Event patch = cancelled;
  patch.set_description("取消后补记");
  EXPECT_TRUE(Update(patch, {"description"}, &response).ok());
  patch = response.event();
  patch.set_title("改不了");
  const grpc::Status closed = Update(patch, {"title"}, &response);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(closed), "ERROR_REASON_INVALID_STATE");
}

TEST_F(EventUpdateRpcTest, ValidateOnlyUpdateWritesNothing) {
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::UpdateEventRequest request;
  *request.mutable_event() = event;
  *request.mutable_event()->mutable_time_range() = Range(Monday(15), Monday(16));
  request.mutable_update_mask()->add_paths("time_range");
  request.set_validate_only(true);
  v1::UpdateEventResponse response;
  ASSERT_TRUE(Call(&Scheduling::UpdateEvent, kStaffA, request, &response).ok());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(response.event().time_range().start_time()),
            absl::ToUnixSeconds(Monday(15)));
  v1::Event read;
  ASSERT_TRUE(Get(event.name(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), event.SerializeAsString());
}

TEST_F(EventRpcTest, ScheduleBooksADraftOnce) {
  CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  const v1::Event clashing =
      CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}, v1::EVENT_STATE_DRAFT));
  const v1::Event draft =
      CreateOrDie(Request(Monday(13), Monday(14), {{m1_}, {m2_}}, v1::EVENT_STATE_DRAFT));
  v1::ScheduleEventRequest request;
  request.set_name(clashing.name());
  v1::ScheduleEventResponse response;
  EXPECT_EQ(Call(&Scheduling::ScheduleEvent, kStaffA, request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  request.set_name(draft.name());
  request.set_etag("stale");
  EXPECT_EQ(Call(&Scheduling::ScheduleEvent, kStaffA, request, &response).error_code(),
            grpc::StatusCode::ABORTED);
  request.set_etag(draft.etag());
  const grpc::Status scheduled = Call(&Scheduling::ScheduleEvent, kStaffA, request, &response);
  ASSERT_TRUE(scheduled.ok()) << Describe(scheduled);
  EXPECT_EQ(response.event().state(), v1::EVENT_STATE_SCHEDULED);
  EXPECT_EQ(response.event().resolved_participants_size(), 2);
  EXPECT_EQ(response.event().sequence(), draft.sequence() + 1);

  request.clear_etag();
  const grpc::Status again = Call(&Scheduling::ScheduleEvent, kStaffA, request, &response);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(again), "ERROR_REASON_INVALID_STATE");
}

TEST_F(EventRpcTest, CancelFreesTheCalendarsAndNeedsAReason) {
  const v1::Event event = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::CancelEventRequest request;
  request.set_name(event.name());
  v1::Event cancelled;
  const grpc::Status no_reason = Call(&Scheduling::CancelEvent, kStaffA, request, &cancelled);
  EXPECT_EQ(ViolationFields(no_reason), std::vector<std::string>{"reason"});
  request.set_reason(std::string(501, 'a'));
  EXPECT_EQ(ViolationFields(Call(&Scheduling::CancelEvent, kStaffA, request, &cancelled)),
            std::vector<std::string>{"reason"});

  request.set_reason("领导另有安排");
  ASSERT_TRUE(Call(&Scheduling::CancelEvent, kStaffA, request, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::EVENT_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), "领导另有安排");
  v1::CreateEventResponse response;
  EXPECT_TRUE(Create(Request(Monday(10), Monday(11), {{m1_}}), &response).ok());
  EXPECT_EQ(Call(&Scheduling::CancelEvent, kStaffA, request, &cancelled).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventRpcTest, CompletesOnlyStartedEventsAndKeepsTheirCalendars) {
  const absl::Time started =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now())) - absl::Hours(1);
  const v1::Event running = CreateOrDie(Request(started, started + absl::Hours(3), {{m1_}}));
  const v1::Event future = CreateOrDie(Request(Monday(10), Monday(11), {{m1_}}));
  v1::CompleteEventRequest request;
  request.set_name(future.name());
  v1::Event completed;
  const grpc::Status early = Call(&Scheduling::CompleteEvent, kStaffA, request, &completed);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(early), "ERROR_REASON_INVALID_STATE");
  request.set_name(running.name());
  ASSERT_TRUE(Call(&Scheduling::CompleteEvent, kStaffA, request, &completed).ok());
  EXPECT_EQ(completed.state(), v1::EVENT_STATE_COMPLETED);
  EXPECT_EQ(completed.sequence(), running.sequence() + 1);
  v1::CreateEventResponse response;
  EXPECT_EQ(Create(Request(started, started + absl::Hours(1), {{m1_}}), &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventRpcTest, CompletesEndedEventsByItself) {
  const absl::Time yesterday =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now())) - absl::Hours(24);
  const v1::Event past = CreateOrDie(Request(yesterday, yesterday + absl::Hours(1), {{m1_}}));
  v1::Event read;
  const absl::Status completed = WaitFor(
      [&] { return Get(past.name(), &read).ok() && read.state() == v1::EVENT_STATE_COMPLETED; },
      absl::Seconds(30), "the ended event to be completed");
  ASSERT_TRUE(completed.ok()) << completed;
  EXPECT_EQ(read.updated_by(), "system");
}

}  // namespace
}  // namespace fieldwork::testing
