// The booking load of the fault scenarios: client threads creating SCHEDULED events (2–3 required
// members of m0…m11, sometimes an optional member and an exclusive venue v0…v2, in half-hour
// slots of 20 days of 2030) and cancelling some of their acknowledged events, through every
// scheduling replica in turn, each request retried as retrying_call.h says and recorded in the
// history. The event title names the request_id ("fault <request_id>"), so the checker can count
// the events each request made.
#ifndef FIELDWORK_TESTS_FAULT_BOOKING_LOAD_H_
#define FIELDWORK_TESTS_FAULT_BOOKING_LOAD_H_

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_cluster.h"
#include "tests/fault/history.h"
#include "tests/fault/load_bounds.h"
#include "tests/fault/retrying_call.h"

namespace fieldwork::testing {

inline constexpr int kBookingMembers = 12;
inline constexpr int kBookingVenues = 3;
inline constexpr int kBookingDays = 20;
// The title of the events a CreateEvent with `request_id` makes.
std::string TitleOf(const std::string& request_id);

class BookingLoad {
 public:
  // Request ids are "<tag><client>-<sequence>": two loads of one scenario need different tags.
  BookingLoad(FaultCluster& cluster, History& history, LoadBounds bounds, RetryPolicy policy,
              std::string tag = "c");
  BookingLoad(const BookingLoad&) = delete;
  BookingLoad& operator=(const BookingLoad&) = delete;
  ~BookingLoad() { Join(); }

  void Start();
  // Waits until every client is done (count or time bound reached).
  void Join();
  bool done() const { return finished_clients_.load() == bounds_.clients; }
  // Requests sent so far.
  int sent() const { return sent_.load(); }

 private:
  void RunClient(int client, absl::Time stop);
  void SendOne(int client, int sequence, std::mt19937& random,
               const std::vector<std::unique_ptr<scheduling::v1::SchedulingService::Stub>>& stubs,
               std::vector<std::string>& booked);

  FaultCluster& cluster_;
  History& history_;
  const LoadBounds bounds_;
  const RetryPolicy policy_;
  const std::string tag_;
  std::atomic<int> sent_{0};
  std::atomic<int> finished_clients_{0};
  std::vector<std::thread> clients_;
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_BOOKING_LOAD_H_
