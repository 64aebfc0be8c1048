// DESIGN.md invariant 1 (no double booking) under stress, against real binaries on one real Redis
// (or, with FIELDWORK_TEST_REDIS=cluster|sentinel, a local Redis Cluster or Sentinel deployment,
// where extra races move an organization's slot or fail its master over; see redis_under_test.h):
//  - RACE: two scheduling replicas and, in each of three organizations at once (on the cluster one
//    per master), 11 client threads (32 in all) creating, moving and cancelling events with
//    overlapping members, venues and times for 10+ seconds; afterwards, in each organization, every
//    scheduled event is read back and no required participant (travel buffer included) and no
//    exclusive venue is double-booked, every acknowledged booking is there, and a fair number of
//    bookings succeeded. On the cluster every master holds keys afterwards.
//  - PAUSE: a replica stopped (SIGSTOP) between its conflict check and its fenced write, past the
//    lock TTL, while another replica books the same calendars, writes nothing when it resumes;
//    KILL: a replica killed there leaves nothing, and its locks expire for the others. The moment
//    is made deterministic by the binary's test-only flag --test-only-pause-before-booking-write,
//    which holds a booking just before its fenced write.
#include <signal.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_under_test.h"
#include "tests/harness/service_process.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;

// The organization of the races around a slot move or a failover and of the stalled bookings.
constexpr char kOrganization[] = "tongguan";
// The organizations of the main race, at once: on the cluster one per master.
constexpr int kRacingOrganizations = 3;
constexpr int kMembers = 12;
constexpr int kVenues = 3;
constexpr int kClients = 32;  // shared among the organizations of a race
constexpr absl::Duration kRaceLength = absl::Seconds(12);
constexpr absl::Duration kTravelBuffer = absl::Minutes(30);  // the organization's default

std::string Parent(const std::string& organization) {
  return absl::StrCat("organizations/", organization);
}
std::string MemberName(const std::string& organization, int i) {
  return absl::StrCat(Parent(organization), "/members/m", i);
}
std::string VenueName(const std::string& organization, int i) {
  return absl::StrCat(Parent(organization), "/venues/v", i);
}

absl::Time FirstDay() {
  return absl::FromCivil(absl::CivilMinute(2030, 3, 4, 9, 0), absl::UTCTimeZone());
}

fieldwork::common::v1::TimeRange Range(absl::Time start, absl::Time end) {
  fieldwork::common::v1::TimeRange range;
  *range.mutable_start_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
  *range.mutable_end_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(end));
  return range;
}

absl::Time StartOf(const v1::Event& event) {
  return absl::FromUnixSeconds(event.time_range().start_time().seconds());
}
absl::Time EndOf(const v1::Event& event) {
  return absl::FromUnixSeconds(event.time_range().end_time().seconds());
}

// What the race clients of one organization were answered.
struct Outcomes {
  std::mutex mu;
  std::set<std::string> acknowledged;  // names of events whose last acknowledged state holds
  std::set<std::string> cancelled;
  std::map<std::string, int> counts;  // by outcome
  std::vector<std::string> unexpected;
  // Set while a Redis failover may fail calls with UNAVAILABLE or DEADLINE_EXCEEDED (the store
  // could not reach a master in time).
  bool failover_errors_allowed = false;
};

void CountOutcome(Outcomes& outcomes, const std::string& what, const grpc::Status& status) {
  std::lock_guard<std::mutex> lock(outcomes.mu);
  const bool expected = status.ok() ||
                        status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                        status.error_code() == grpc::StatusCode::ABORTED ||
                        (outcomes.failover_errors_allowed &&
                         (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                          status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED));
  ++outcomes.counts[absl::StrCat(what, " ",
                                 expected ? std::to_string(status.error_code()) : "unexpected")];
  if (!expected) outcomes.unexpected.push_back(absl::StrCat(what, ": ", Describe(status)));
}

// A random booking in `organization` of 2–3 required members (one of them the lead), sometimes
// an optional member and an exclusive venue, one to two hours long within five days of
// 09:00–19:00 half-hour slots.
v1::CreateEventRequest RandomBooking(const std::string& organization, std::mt19937& random) {
  std::vector<int> members(kMembers);
  for (int i = 0; i < kMembers; ++i) members[i] = i;
  std::shuffle(members.begin(), members.end(), random);
  const int required = std::uniform_int_distribution<int>(2, 3)(random);
  v1::CreateEventRequest request;
  request.set_parent(Parent(organization));
  v1::Event& event = *request.mutable_event();
  event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
  event.set_title("并发调研");
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  for (int i = 0; i < required; ++i) {
    v1::Participant* participant = event.add_participants();
    participant->set_member(MemberName(organization, members[i]));
    participant->set_role(i == 0 ? v1::PARTICIPANT_ROLE_LEAD : v1::PARTICIPANT_ROLE_REQUIRED);
  }
  if (std::bernoulli_distribution(0.3)(random)) {
    v1::Participant* participant = event.add_participants();
    participant->set_member(MemberName(organization, members[required]));
    participant->set_role(v1::PARTICIPANT_ROLE_OPTIONAL);
  }
  if (std::bernoulli_distribution(0.4)(random)) {
    event.set_venue(
        VenueName(organization, std::uniform_int_distribution<int>(0, kVenues - 1)(random)));
  }
  const int day = std::uniform_int_distribution<int>(0, 4)(random);
  const int slot = std::uniform_int_distribution<int>(0, 17)(random);
  const absl::Time start = FirstDay() + absl::Hours(24 * day) + absl::Minutes(30 * slot);
  const absl::Duration length =
      absl::Minutes(std::uniform_int_distribution<int>(2, 4)(random) * 30);
  *event.mutable_time_range() = Range(start, start + length);
  return request;
}

using Replicas = std::vector<std::unique_ptr<ServiceProcess>>;

// Adds to `clients` the `count` threads of `organization`'s race: until `stop` each creates
// (80%), moves (10%) or cancels (10%) one of its events through a random replica, and records
// what it was answered in `outcomes`.
void StartClients(const std::string& organization, int count, const Replicas& replicas,
                  absl::Time stop, Outcomes& outcomes, std::vector<std::thread>& clients) {
  for (int client = 0; client < count; ++client) {
    clients.emplace_back([&organization, &replicas, stop, &outcomes, client] {
      std::mt19937 random(1000 + client);
      std::vector<std::unique_ptr<v1::SchedulingService::Stub>> stubs;
      for (const auto& replica : replicas) {
        stubs.push_back(v1::SchedulingService::NewStub(replica->channel()));
      }
      std::vector<v1::Event> mine;
      while (absl::Now() < stop) {
        v1::SchedulingService::Stub& stub = *stubs[random() % stubs.size()];
        const int dice = std::uniform_int_distribution<int>(0, 9)(random);
        grpc::ClientContext context;
        PrepareContext(context, kAdmin, absl::Seconds(20));
        if (dice < 8 || mine.empty()) {
          v1::CreateEventResponse response;
          const grpc::Status status =
              stub.CreateEvent(&context, RandomBooking(organization, random), &response);
          CountOutcome(outcomes, "create", status);
          if (status.ok()) {
            mine.push_back(response.event());
            std::lock_guard<std::mutex> lock(outcomes.mu);
            outcomes.acknowledged.insert(response.event().name());
          }
        } else if (dice == 8) {
          // Move one of this client's events to another random time: a re-booking.
          v1::Event& event = mine[random() % mine.size()];
          v1::UpdateEventRequest request;
          request.mutable_event()->set_name(event.name());
          *request.mutable_event()->mutable_time_range() =
              RandomBooking(organization, random).event().time_range();
          request.mutable_update_mask()->add_paths("time_range");
          v1::UpdateEventResponse response;
          const grpc::Status status = stub.UpdateEvent(&context, request, &response);
          CountOutcome(outcomes, "move", status);
          if (status.ok()) event = response.event();
        } else {
          const size_t index = random() % mine.size();
          v1::CancelEventRequest request;
          request.set_name(mine[index].name());
          request.set_reason("并发测试取消");
          v1::Event cancelled;
          const grpc::Status status = stub.CancelEvent(&context, request, &cancelled);
          CountOutcome(outcomes, "cancel", status);
          if (status.ok()) {
            std::lock_guard<std::mutex> lock(outcomes.mu);
            outcomes.cancelled.insert(mine[index].name());
            mine.erase(mine.begin() + index);
          }
        }
      }
    });
  }
}

// The races book as an admin: staff tokens are scoped to one organization, an admin's to all.
class BookingRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisUnderTest>> redis = RedisUnderTest::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  std::unique_ptr<ServiceProcess> StartReplica(const std::vector<std::string>& flags = {}) {
    absl::StatusOr<std::unique_ptr<ServiceProcess>> replica =
        StartSchedulingReplica(redis_->url(), flags);
    EXPECT_TRUE(replica.ok()) << replica.status();
    return replica.ok() ? *std::move(replica) : nullptr;
  }

  // The organization, its members m0… and exclusive venues v0…, created through `replica`.
  static void CreateRoster(ServiceProcess& replica, const std::string& organization, int members,
                           int venues) {
    auto scheduling = v1::SchedulingService::NewStub(replica.channel());
    auto roster = v1::RosterService::NewStub(replica.channel());
    {
      v1::CreateOrganizationRequest request;
      request.set_organization_id(organization);
      request.mutable_organization()->set_display_name(absl::StrCat("政协 ", organization));
      v1::Organization created;
      grpc::ClientContext context;
      PrepareContext(context, kAdmin);
      const grpc::Status status = scheduling->CreateOrganization(&context, request, &created);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
    for (int i = 0; i < members; ++i) {
      v1::CreateMemberRequest request;
      request.set_parent(Parent(organization));
      request.set_member_id(absl::StrCat("m", i));
      request.mutable_member()->set_display_name(absl::StrCat("委员", i));
      request.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
      v1::Member member;
      grpc::ClientContext context;
      PrepareContext(context, kAdmin);
      const grpc::Status status = roster->CreateMember(&context, request, &member);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
    for (int i = 0; i < venues; ++i) {
      v1::CreateVenueRequest request;
      request.set_parent(Parent(organization));
      request.set_venue_id(absl::StrCat("v", i));
      request.mutable_venue()->set_display_name(absl::StrCat("会议室", i));
      request.mutable_venue()->set_kind(v1::VENUE_KIND_OFFICE);
      request.mutable_venue()->set_exclusive(true);
      v1::Venue venue;
      grpc::ClientContext context;
      PrepareContext(context, kAdmin);
      const grpc::Status status = roster->CreateVenue(&context, request, &venue);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
  }

  // Every event of `organization` in `states`, read through `replica`.
  static std::vector<v1::Event> ListAll(ServiceProcess& replica, const std::string& organization,
                                        const std::vector<v1::EventState>& states,
                                        const std::string& member = "") {
    auto scheduling = v1::SchedulingService::NewStub(replica.channel());
    v1::ListEventsRequest request;
    request.set_parent(Parent(organization));
    request.set_page_size(500);
    request.set_member(member);
    for (v1::EventState state : states) request.add_states(state);
    std::vector<v1::Event> events;
    do {
      v1::ListEventsResponse response;
      grpc::ClientContext context;
      PrepareContext(context, kAdmin, absl::Seconds(30));
      const grpc::Status status = scheduling->ListEvents(&context, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      for (const v1::Event& event : response.events()) events.push_back(event);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return events;
  }

  // RACE: two replicas and, in each of `organizations` at once, its share of kClients threads
  // booking for `length` while `meanwhile` runs on this thread (given the first organization's
  // outcomes); then, in each organization, the checks of invariant 1 and of every acknowledged
  // booking.
  void RaceAndCheck(const std::vector<std::string>& organizations,
                    const std::function<void(Outcomes&)>& meanwhile,
                    absl::Duration length = kRaceLength);

  // After `organization`'s race: its outcomes are as expected, every booking it acknowledged is
  // there, and nothing in it is double-booked.
  static void CheckRace(const std::string& organization, Outcomes& outcomes,
                        const Replicas& replicas);

  std::unique_ptr<RedisUnderTest> redis_;
};

void BookingRaceTest::RaceAndCheck(const std::vector<std::string>& organizations,
                                   const std::function<void(Outcomes&)>& meanwhile,
                                   absl::Duration length) {
  ASSERT_FALSE(organizations.empty());
  Replicas replicas;
  for (int i = 0; i < 2; ++i) {
    replicas.push_back(StartReplica({"--lock-wait=3s"}));
    ASSERT_NE(replicas.back(), nullptr);
  }
  for (const std::string& organization : organizations) {
    ASSERT_NO_FATAL_FAILURE(CreateRoster(*replicas[0], organization, kMembers, kVenues));
  }

  std::vector<Outcomes> outcomes(organizations.size());
  const absl::Time stop = absl::Now() + length;
  std::vector<std::thread> clients;
  // The organizations share the kClients threads, so the replicas and Redis carry the load of
  // one organization's race (three times kClients overran the replicas' thread pools and, with
  // Sentinel, the 20 s call deadlines).
  const int count = static_cast<int>(organizations.size());
  const int clients_per_organization = (kClients + count - 1) / count;
  for (size_t i = 0; i < organizations.size(); ++i) {
    StartClients(organizations[i], clients_per_organization, replicas, stop, outcomes[i], clients);
  }
  meanwhile(outcomes.front());
  for (std::thread& client : clients) client.join();
  for (size_t i = 0; i < organizations.size(); ++i) {
    CheckRace(organizations[i], outcomes[i], replicas);
  }
}

void BookingRaceTest::CheckRace(const std::string& organization, Outcomes& outcomes,
                                const Replicas& replicas) {
  SCOPED_TRACE(organization);
  std::vector<std::string> counts;
  for (const auto& [outcome, count] : outcomes.counts) {
    counts.push_back(absl::StrCat(outcome, "=", count));
  }
  std::cout << "outcomes in " << organization << " (gRPC codes): " << absl::StrJoin(counts, " ")
            << std::endl;
  EXPECT_TRUE(outcomes.unexpected.empty()) << absl::StrJoin(outcomes.unexpected, "\n");
  EXPECT_GE(outcomes.counts["create 0"], 20);
  EXPECT_GT(outcomes.counts["create 9"], 0) << "the clients never competed for a calendar";

  // Read back through the other replica; every acknowledged booking is there.
  const std::vector<v1::Event> scheduled =
      ListAll(*replicas[1], organization, {v1::EVENT_STATE_SCHEDULED});
  std::set<std::string> names;
  for (const v1::Event& event : scheduled) names.insert(event.name());
  for (const std::string& name : outcomes.acknowledged) {
    if (outcomes.cancelled.count(name) == 0) {
      EXPECT_EQ(names.count(name), 1u) << name << " was acknowledged but is not scheduled";
    }
  }

  // Pairwise: no member required in two events closer than the travel buffer, no exclusive venue
  // in two overlapping events.
  auto required_members = [](const v1::Event& event) {
    std::set<std::string> members;
    for (const v1::Participant& participant : event.resolved_participants()) {
      if (participant.role() != v1::PARTICIPANT_ROLE_OPTIONAL) members.insert(participant.member());
    }
    return members;
  };
  int double_bookings = 0;
  for (size_t i = 0; i < scheduled.size(); ++i) {
    const std::set<std::string> a_members = required_members(scheduled[i]);
    for (size_t j = i + 1; j < scheduled.size(); ++j) {
      const v1::Event& a = scheduled[i];
      const v1::Event& b = scheduled[j];
      const bool within_buffer =
          StartOf(a) < EndOf(b) + kTravelBuffer && StartOf(b) < EndOf(a) + kTravelBuffer;
      const bool overlapping = StartOf(a) < EndOf(b) && StartOf(b) < EndOf(a);
      if (within_buffer) {
        for (const std::string& member : required_members(b)) {
          if (a_members.count(member) > 0) {
            ++double_bookings;
            ADD_FAILURE() << member << " is double-booked by " << a.name() << " and " << b.name();
          }
        }
      }
      if (overlapping && !a.venue().empty() && a.venue() == b.venue()) {
        ++double_bookings;
        ADD_FAILURE() << a.venue() << " is double-booked by " << a.name() << " and " << b.name();
      }
    }
  }
  EXPECT_EQ(double_bookings, 0);
  // Each event read individually agrees with the list.
  auto scheduling = v1::SchedulingService::NewStub(replicas[0]->channel());
  for (const v1::Event& listed : scheduled) {
    v1::GetEventRequest request;
    request.set_name(listed.name());
    v1::Event read;
    grpc::ClientContext context;
    PrepareContext(context, kAdmin);
    ASSERT_TRUE(scheduling->GetEvent(&context, request, &read).ok());
    EXPECT_EQ(read.SerializeAsString(), listed.SerializeAsString());
  }
}

TEST_F(BookingRaceTest, RacingReplicasNeverDoubleBookAMemberOrAVenue) {
  absl::StatusOr<std::vector<std::string>> organizations =
      redis_->OrganizationsOverMasters("race", kRacingOrganizations);
  ASSERT_TRUE(organizations.ok()) << organizations.status();
  const absl::Status spread = redis_->CheckOrganizationsOnEveryMaster(*organizations);
  ASSERT_TRUE(spread.ok()) << spread;
  std::cout << "racing in " << absl::StrJoin(*organizations, ", ") << " on "
            << RedisUnderTest::RequestedKind() << " Redis" << std::endl;

  RaceAndCheck(*organizations, [](Outcomes&) {});

  const absl::Status keys = redis_->CheckEveryMasterHoldsKeys();
  EXPECT_TRUE(keys.ok()) << keys;
}

// The number of race calls answered so far; with `served_only`, only those Redis must have
// served (OK, FAILED_PRECONDITION, ABORTED), not those failed by a Redis outage.
int Answered(Outcomes& outcomes, bool served_only = false) {
  std::lock_guard<std::mutex> lock(outcomes.mu);
  int answered = 0;
  for (const auto& [name, count] : outcomes.counts) {
    const bool served =
        absl::EndsWith(name, " 0") || absl::EndsWith(name, " 9") || absl::EndsWith(name, " 10");
    if (!served_only || served) answered += count;
  }
  return answered;
}

// Waits until the race has answered `calls` calls, so that what follows happens under load.
void AwaitCalls(Outcomes& outcomes, int calls) {
  const absl::Status busy = WaitFor([&] { return Answered(outcomes) >= calls; }, kRaceLength,
                                    absl::StrCat(calls, " answered calls"));
  ASSERT_TRUE(busy.ok()) << busy;
}

// On a Redis Cluster only (FIELDWORK_TEST_REDIS=cluster): the race, in kOrganization alone, goes
// on while the organization's slot moves to another master (IMPORTING/MIGRATING, MIGRATE, SETSLOT
// NODE), or while the organization's master hands over to its replica (CLUSTER FAILOVER). No call
// may fail beyond the codes the race expects (UNAVAILABLE is unexpected: the client follows MOVED,
// ASK and TRYAGAIN), and nothing is double-booked or lost.
class ClusterBookingRaceTest : public BookingRaceTest {
 protected:
  void SetUp() override {
    if (RedisUnderTest::RequestedKind() != "cluster") {
      GTEST_SKIP() << "runs with FIELDWORK_TEST_REDIS=cluster";
    }
    BookingRaceTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> slot =
        redis_->cluster()->nodes().front()->Command({"CLUSTER", "KEYSLOT", kOrganization});
    ASSERT_TRUE(slot.ok()) << slot.status();
    ASSERT_TRUE(absl::SimpleAtoi(*slot, &slot_));
  }

  int slot_ = 0;
};

TEST_F(ClusterBookingRaceTest, NoDoubleBookingWhileTheOrganizationsSlotMoves) {
  RaceAndCheck({kOrganization}, [&](Outcomes& outcomes) {
    AwaitCalls(outcomes, 200);
    absl::StatusOr<int> owner = redis_->cluster()->MasterPortOfSlot(slot_);
    absl::StatusOr<std::vector<int>> masters = redis_->cluster()->MasterPorts();
    ASSERT_TRUE(owner.ok() && masters.ok());
    const int target = masters->front() != *owner ? masters->front() : masters->back();
    const absl::Status moved = redis_->cluster()->MoveSlot(slot_, target);
    ASSERT_TRUE(moved.ok()) << moved;
    EXPECT_EQ(redis_->cluster()->MasterPortOfSlot(slot_).value_or(0), target);
  });
}

TEST_F(ClusterBookingRaceTest, NoDoubleBookingWhileTheOrganizationsMasterFailsOver) {
  RaceAndCheck({kOrganization}, [&](Outcomes& outcomes) {
    AwaitCalls(outcomes, 200);
    absl::StatusOr<int> old_master = redis_->cluster()->MasterPortOfSlot(slot_);
    absl::StatusOr<int> new_master = redis_->cluster()->FailOverMasterOfSlot(slot_);
    ASSERT_TRUE(new_master.ok()) << new_master.status();
    EXPECT_NE(*new_master, old_master.value_or(0));
  });
}

// On a Sentinel deployment only (FIELDWORK_TEST_REDIS=sentinel; the services WAIT for the replica
// after every write): SENTINEL FAILOVER in the middle of the race. Calls may fail UNAVAILABLE or
// DEADLINE_EXCEEDED while the master changes (writes to the demoted master wait in vain for their
// replica); the services then follow the new master within seconds, nothing is double-booked and
// every acknowledged booking is on the new master.
class SentinelBookingRaceTest : public BookingRaceTest {
 protected:
  void SetUp() override {
    if (RedisUnderTest::RequestedKind() != "sentinel") {
      GTEST_SKIP() << "runs with FIELDWORK_TEST_REDIS=sentinel";
    }
    BookingRaceTest::SetUp();
  }
};

TEST_F(SentinelBookingRaceTest, NoDoubleBookingAndNoAcknowledgedBookingLostAcrossAFailover) {
  RaceAndCheck(
      {kOrganization},
      [&](Outcomes& outcomes) {
        AwaitCalls(outcomes, 200);
        {
          std::lock_guard<std::mutex> lock(outcomes.mu);
          outcomes.failover_errors_allowed = true;
        }
        absl::StatusOr<int> new_master = redis_->sentinel()->Failover();
        ASSERT_TRUE(new_master.ok()) << new_master.status();
        // Served calls, not only bookings: calendar locks taken just before the switch may keep
        // some bookings ABORTED until their TTL ends.
        const int served = Answered(outcomes, /*served_only=*/true);
        const absl::Status followed =
            WaitFor([&] { return Answered(outcomes, /*served_only=*/true) >= served + 20; },
                    absl::Seconds(15), "the services to be served by the new master");
        EXPECT_TRUE(followed.ok()) << followed;
      },
      absl::Seconds(40));
}

// One booking stalled just before its fenced write on one replica (which pauses there), and a
// second replica to book the same calendars meanwhile.
class StalledBookingTest : public BookingRaceTest {
 protected:
  static constexpr char kLockKey[] = "fw:{tongguan}:lock:member:m0";

  void SetUp() override {
    BookingRaceTest::SetUp();
    if (HasFatalFailure()) return;
    stalling_ = StartReplica({"--lock-ttl=600ms", "--test-only-pause-before-booking-write=3s"});
    other_ = StartReplica({"--lock-ttl=600ms"});
    ASSERT_NE(stalling_, nullptr);
    ASSERT_NE(other_, nullptr);
    CreateRoster(*other_, kOrganization, /*members=*/2, /*venues=*/1);
  }

  void TearDown() override {
    if (stalled_.joinable()) stalled_.join();
  }

  // m0 (lead) at the exclusive venue v0 for an hour from `start`, as event `id`.
  static v1::CreateEventRequest Booking(const std::string& id, absl::Time start) {
    v1::CreateEventRequest request;
    request.set_parent(Parent(kOrganization));
    request.set_event_id(id);
    v1::Event& event = *request.mutable_event();
    event.set_kind(v1::EVENT_KIND_INSPECTION);
    event.set_title(id);
    event.set_state(v1::EVENT_STATE_SCHEDULED);
    event.set_venue(VenueName(kOrganization, 0));
    *event.mutable_time_range() = Range(start, start + absl::Hours(1));
    v1::Participant* participant = event.add_participants();
    participant->set_member(MemberName(kOrganization, 0));
    participant->set_role(v1::PARTICIPANT_ROLE_LEAD);
    return request;
  }

  // Starts booking "stalled" through the stalling replica and returns once that replica holds the
  // locks and has checked the calendars (it logs the test-only pause then).
  void StallBooking() {
    stalled_ = std::thread([this] {
      auto stub = v1::SchedulingService::NewStub(stalling_->channel());
      v1::CreateEventResponse response;
      grpc::ClientContext context;
      PrepareContext(context, kStaffA, absl::Seconds(60));
      stalled_status_ = stub->CreateEvent(&context, Booking("stalled", FirstDay()), &response);
    });
    const absl::Status pausing =
        WaitFor([&] { return stalling_->ReadLog().find("test-only pause") != std::string::npos; },
                absl::Seconds(20), "the booking to reach its fenced write");
    ASSERT_TRUE(pausing.ok()) << pausing << "\n" << stalling_->ReadLog();
  }

  grpc::Status BookThroughOther(const std::string& id, absl::Time start,
                                v1::CreateEventResponse* response) {
    auto stub = v1::SchedulingService::NewStub(other_->channel());
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    return stub->CreateEvent(&context, Booking(id, start), response);
  }

  // The stalled booking left nothing: only `winner` is on m0's calendar and at v0.
  void ExpectOnlyWinnerBooked(const v1::Event& winner) {
    auto stub = v1::SchedulingService::NewStub(other_->channel());
    v1::GetEventRequest get;
    get.set_name(absl::StrCat(Parent(kOrganization), "/events/stalled"));
    v1::Event read;
    grpc::ClientContext context;
    PrepareContext(context, kStaffA);
    EXPECT_EQ(stub->GetEvent(&context, get, &read).error_code(), grpc::StatusCode::NOT_FOUND);
    const std::vector<v1::Event> events =
        ListAll(*other_, kOrganization, {}, MemberName(kOrganization, 0));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name(), winner.name());
    // The same slot is refused, citing the winner only.
    v1::CreateEventResponse again;
    const grpc::Status retry = BookThroughOther("again", FirstDay(), &again);
    ASSERT_EQ(retry.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(retry);
    const fieldwork::common::v1::Conflicts conflicts = ConflictsOf(retry);
    ASSERT_GT(conflicts.conflicts_size(), 0);
    for (const auto& conflict : conflicts.conflicts()) {
      EXPECT_EQ(conflict.booked_by(), winner.name());
    }
  }

  std::unique_ptr<ServiceProcess> stalling_;
  std::unique_ptr<ServiceProcess> other_;
  std::thread stalled_;
  grpc::Status stalled_status_;
};

TEST_F(StalledBookingTest, PausedReplicaPastItsLockTtlWritesNothingWhenItResumes) {
  StallBooking();
  ASSERT_FALSE(HasFatalFailure());
  stalling_->process().Signal(SIGSTOP);
  const absl::Status expired = WaitFor(
      [&] {
        absl::StatusOr<std::string> exists = redis_->Command({"EXISTS", kLockKey});
        return exists.ok() && *exists == "0";
      },
      absl::Seconds(10), "the stopped replica's lock to expire");
  ASSERT_TRUE(expired.ok()) << expired;
  v1::CreateEventResponse winner;
  const grpc::Status booked = BookThroughOther("winner", FirstDay() + absl::Minutes(30), &winner);
  stalling_->process().Signal(SIGCONT);
  ASSERT_TRUE(booked.ok()) << Describe(booked);
  stalled_.join();

  EXPECT_EQ(stalled_status_.error_code(), grpc::StatusCode::ABORTED) << Describe(stalled_status_);
  EXPECT_EQ(ErrorReasonOf(stalled_status_), "ERROR_REASON_LOCK_LOST");
  ExpectOnlyWinnerBooked(winner.event());
}

TEST_F(StalledBookingTest, ReplicaKilledMidBookingLeavesNothingAndItsLocksExpire) {
  StallBooking();
  ASSERT_FALSE(HasFatalFailure());
  stalling_->process().Signal(SIGKILL);
  stalled_.join();
  EXPECT_EQ(stalled_status_.error_code(), grpc::StatusCode::UNAVAILABLE)
      << Describe(stalled_status_);
  // The dead replica's locks expire by their TTL, within the other replica's lock wait.
  v1::CreateEventResponse winner;
  const grpc::Status booked = BookThroughOther("winner", FirstDay() + absl::Minutes(30), &winner);
  ASSERT_TRUE(booked.ok()) << Describe(booked);
  ExpectOnlyWinnerBooked(winner.event());
}

}  // namespace
}  // namespace fieldwork::testing
