// The booking load (see booking_load.h).
#include "tests/fault/booking_load.h"

#include <algorithm>
#include <memory>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

using ::google::protobuf::util::TimeUtil;
namespace sv1 = ::fieldwork::scheduling::v1;

sv1::CreateEventRequest RandomBooking(std::mt19937& random, const std::string& request_id) {
  std::vector<int> members(kBookingMembers);
  for (int i = 0; i < kBookingMembers; ++i) members[i] = i;
  std::shuffle(members.begin(), members.end(), random);
  const int required = std::uniform_int_distribution<int>(2, 3)(random);
  sv1::CreateEventRequest request;
  request.set_parent(kFaultParent);
  request.set_request_id(request_id);
  sv1::Event& event = *request.mutable_event();
  event.set_kind(sv1::EVENT_KIND_RESEARCH_TRIP);
  event.set_title(TitleOf(request_id));
  event.set_state(sv1::EVENT_STATE_SCHEDULED);
  for (int i = 0; i < required; ++i) {
    sv1::Participant* participant = event.add_participants();
    participant->set_member(absl::StrCat(kFaultParent, "/members/m", members[i]));
    participant->set_role(i == 0 ? sv1::PARTICIPANT_ROLE_LEAD : sv1::PARTICIPANT_ROLE_REQUIRED);
  }
  if (std::bernoulli_distribution(0.3)(random)) {
    sv1::Participant* participant = event.add_participants();
    participant->set_member(absl::StrCat(kFaultParent, "/members/m", members[required]));
    participant->set_role(sv1::PARTICIPANT_ROLE_OPTIONAL);
  }
  if (std::bernoulli_distribution(0.4)(random)) {
    event.set_venue(
        absl::StrCat(kFaultParent, "/venues/v",
                     std::uniform_int_distribution<int>(0, kBookingVenues - 1)(random)));
  }
  const absl::Time first_day =
      absl::FromCivil(absl::CivilMinute(2030, 3, 4, 9, 0), absl::UTCTimeZone());
  const int day = std::uniform_int_distribution<int>(0, kBookingDays - 1)(random);
  const int slot = std::uniform_int_distribution<int>(0, 17)(random);
  const absl::Time start = first_day + absl::Hours(24 * day) + absl::Minutes(30 * slot);
  const absl::Duration length =
      absl::Minutes(std::uniform_int_distribution<int>(2, 4)(random) * 30);
  *event.mutable_time_range()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
  *event.mutable_time_range()->mutable_end_time() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start + length));
  return request;
}

}  // namespace

std::string TitleOf(const std::string& request_id) { return absl::StrCat("fault ", request_id); }

BookingLoad::BookingLoad(FaultCluster& cluster, History& history, LoadBounds bounds,
                         RetryPolicy policy, std::string tag)
    : cluster_(cluster),
      history_(history),
      bounds_(bounds),
      policy_(policy),
      tag_(std::move(tag)) {}

void BookingLoad::Start() {
  const absl::Time stop = absl::Now() + bounds_.max_time;
  for (int client = 0; client < bounds_.clients; ++client) {
    clients_.emplace_back([this, client, stop] {
      RunClient(client, stop);
      finished_clients_.fetch_add(1);
    });
  }
}

void BookingLoad::Join() {
  for (std::thread& client : clients_) {
    if (client.joinable()) client.join();
  }
}

// Client `client`'s requests until `stop` or the shared count: mostly bookings, sometimes the
// cancellation of one of its acknowledged bookings.
void BookingLoad::RunClient(int client, absl::Time stop) {
  std::mt19937 random(7919 * (client + 1));
  std::vector<std::string> booked;
  std::vector<std::unique_ptr<sv1::SchedulingService::Stub>> stubs;
  const int replicas = cluster_.scheduling_replicas();
  for (int i = 0; i < replicas; ++i) stubs.push_back(cluster_.SchedulingStub(i));
  for (int sequence = 0; absl::Now() < stop && sent_.fetch_add(1) < bounds_.max_requests;
       ++sequence) {
    SendOne(client, sequence, random, stubs, booked);
  }
}

void BookingLoad::SendOne(int client, int sequence, std::mt19937& random,
                          const std::vector<std::unique_ptr<sv1::SchedulingService::Stub>>& stubs,
                          std::vector<std::string>& booked) {
  const int replicas = static_cast<int>(stubs.size());
  const int first = static_cast<int>(random() % replicas);
  Operation operation;
  operation.request_id = absl::StrCat(tag_, client, "-", sequence);
  if (booked.empty() || std::uniform_int_distribution<int>(0, 9)(random) < 8) {
    const sv1::CreateEventRequest request = RandomBooking(random, operation.request_id);
    operation.kind = OperationKind::kCreateEvent;
    operation.target = request.parent();
    operation.request = request.SerializeAsString();
    sv1::CreateEventResponse response;
    const grpc::Status status = CallWithRetry(
        policy_, replicas, first, kStaffA,
        [&](int replica, grpc::ClientContext* context) {
          response.Clear();
          return stubs[replica]->CreateEvent(context, request, &response);
        },
        operation);
    if (status.ok()) {
      operation.result = response.event().name();
      booked.push_back(response.event().name());
    }
  } else {
    const size_t index = random() % booked.size();
    sv1::CancelEventRequest request;
    request.set_name(booked[index]);
    request.set_reason("故障测试取消");
    request.set_request_id(operation.request_id);
    operation.kind = OperationKind::kCancelEvent;
    operation.target = request.name();
    operation.request = request.SerializeAsString();
    sv1::Event cancelled;
    const grpc::Status status = CallWithRetry(
        policy_, replicas, first, kStaffA,
        [&](int replica, grpc::ClientContext* context) {
          return stubs[replica]->CancelEvent(context, request, &cancelled);
        },
        operation);
    if (status.ok() || !operation.ambiguous()) booked.erase(booked.begin() + index);
  }
  history_.Add(std::move(operation));
}

}  // namespace fieldwork::testing
