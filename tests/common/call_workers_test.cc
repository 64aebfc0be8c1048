// CallWorkers on their own (queue order, the queue limit, draining on destruction) and through the
// server runner: the probe service is served as the services are, every method on call workers.
#include "common/call_workers.h"

#include <grpcpp/client_context.h>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/common/probe_server.h"
#include "tests/harness/child_process.h"

namespace fieldwork {
namespace {

using ::fieldwork::testing::v1::ProbeRequest;
using ::fieldwork::testing::v1::ProbeResponse;
using ::fieldwork::testing::v1::ProbeService;

TEST(CallWorkersTest, RunsQueuedWorkInOrderAndFinishesItBeforeStopping) {
  std::vector<int> order;
  std::mutex mu;
  absl::Notification busy;
  absl::Notification release;
  {
    CallWorkers workers(/*threads=*/1, /*max_queued=*/8);
    ASSERT_TRUE(workers.Submit([&] {
      busy.Notify();
      release.WaitForNotification();
    }));
    busy.WaitForNotification();
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(workers.Submit([&, i] {
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(i);
      }));
    }
    EXPECT_EQ(workers.queued(), 3);
    release.Notify();
  }  // the destructor runs what is queued, then joins
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(CallWorkersTest, RefusesWorkOnceTheQueueIsFull) {
  absl::Notification busy;
  absl::Notification release;
  CallWorkers workers(/*threads=*/1, /*max_queued=*/2);
  ASSERT_TRUE(workers.Submit([&] {
    busy.Notify();
    release.WaitForNotification();
  }));
  busy.WaitForNotification();
  EXPECT_TRUE(workers.Submit([] {}));
  EXPECT_TRUE(workers.Submit([] {}));
  EXPECT_FALSE(workers.Submit([] {}));
  EXPECT_EQ(workers.queued(), 2);
  release.Notify();
}

class PooledServiceTest : public ::testing::Test {
 protected:
  // 4 workers and 4 × 4 = 16 places in the queue.
  static constexpr int kWorkers = 4;
  static constexpr int kQueued = 16;

  void SetUp() override {
    ServerConfig config = testing::ProbeConfig(testing::MakeTempDir("pooled-test"));
    config.max_threads = kWorkers;
    absl::StatusOr<std::unique_ptr<testing::ProbeServer>> server =
        testing::ProbeServer::Start(std::move(config));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    server_->handlers().Release();
    server_->handlers().Unpark();
    for (std::thread& call : calls_) call.join();
  }

  grpc::Status Call(absl::string_view method, const std::string& text, absl::Duration timeout) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", testing::kStaffO1Token));
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    ProbeRequest request = testing::ProbeRequestFor("o1");
    request.set_text(text);
    ProbeResponse response;
    auto stub = ProbeService::NewStub(server_->channel());
    return method == "Hold"        ? stub->Hold(&context, request, &response)
           : method == "FailTwice" ? stub->FailTwice(&context, request, &response)
                                   : stub->Echo(&context, request, &response);
  }

  // Starts `count` Hold calls on threads of their own; their answers go to held_.
  void StartHolds(int count) {
    for (int i = 0; i < count; ++i) {
      calls_.emplace_back([this] {
        const grpc::Status status = Call("Hold", "held", absl::Seconds(60));
        std::lock_guard<std::mutex> lock(mu_);
        held_.push_back(status.error_code());
      });
    }
  }

  // Every worker busy with a Hold call.
  void OccupyEveryWorker() {
    StartHolds(kWorkers);
    ASSERT_TRUE(testing::WaitFor([this] { return server_->handlers().holds_started() == kWorkers; },
                                 absl::Seconds(20), "every worker holding")
                    .ok());
  }

  std::unique_ptr<testing::ProbeServer> server_;
  std::vector<std::thread> calls_;
  std::mutex mu_;
  std::vector<grpc::StatusCode> held_;
};

TEST_F(PooledServiceTest, ACallFindingTheQueueFullIsRefusedAndTheQueuedOnesRunLater) {
  OccupyEveryWorker();
  StartHolds(kQueued);
  ASSERT_TRUE(testing::WaitFor([this] { return server_->runner().queued_calls() == kQueued; },
                               absl::Seconds(20), "the queue full")
                  .ok());

  const grpc::Status refused = Call("Echo", "one too many", absl::Seconds(10));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();

  server_->handlers().Release();
  for (std::thread& call : calls_) call.join();
  calls_.clear();
  EXPECT_EQ(held_, std::vector<grpc::StatusCode>(kWorkers + kQueued, grpc::StatusCode::OK));
  EXPECT_EQ(server_->handlers().holds_started(), kWorkers + kQueued);
  EXPECT_TRUE(Call("Echo", "after", absl::Seconds(10)).ok());
}

TEST_F(PooledServiceTest, ACallWhoseDeadlinePassesInTheQueueIsNotRun) {
  OccupyEveryWorker();
  // FailTwice fails the first two calls with a given text: if this queued call ran once its
  // deadline had passed, the third call below would be the first to succeed no longer.
  constexpr absl::Duration kTimeout = absl::Milliseconds(300);
  grpc::Status late;
  std::thread late_call([&] { late = Call("FailTwice", "late", kTimeout); });
  // The server takes the call's deadline as its arrival plus what the client had left when it
  // sent it: at most kTimeout after the call is seen queued.
  ASSERT_TRUE(testing::WaitFor([this] { return server_->runner().queued_calls() == 1; },
                               absl::Seconds(20), "the late call queued")
                  .ok());
  const absl::Time server_deadline_bound = absl::Now() + kTimeout;
  late_call.join();
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // Time itself is the condition here: the server's deadline for the call must have passed.
  absl::SleepFor(server_deadline_bound - absl::Now());

  server_->handlers().Release();
  ASSERT_TRUE(testing::WaitFor([this] { return server_->runner().queued_calls() == 0; },
                               absl::Seconds(20), "the queue drained")
                  .ok());
  EXPECT_EQ(Call("FailTwice", "late", absl::Seconds(10)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Call("FailTwice", "late", absl::Seconds(10)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Call("FailTwice", "late", absl::Seconds(10)).ok());
}

// Calls served without blocking hold no worker, but at most four times as many are in flight at
// once as the workers take (running and queued); one more is refused at once.
TEST_F(PooledServiceTest, CallsServedWithoutBlockingAreRefusedPastTheirLimit) {
  constexpr int kCapacity = 4 * (kWorkers + kQueued);
  auto stub = ProbeService::NewStub(server_->channel());
  struct Parked {
    grpc::ClientContext context;
    ProbeRequest request = testing::ProbeRequestFor("o1");
    ProbeResponse response;
    absl::Notification answered;
    grpc::Status status;
  };
  // Without the limit the call one too many would park too: its deadline then answers it.
  const auto park = [&stub](Parked& call, absl::Duration timeout = absl::Seconds(60)) {
    call.context.AddMetadata("authorization", absl::StrCat("Bearer ", testing::kStaffO1Token));
    call.context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    stub->async()->Park(&call.context, &call.request, &call.response, [&call](grpc::Status status) {
      call.status = std::move(status);
      call.answered.Notify();
    });
  };
  std::vector<std::unique_ptr<Parked>> calls;
  for (int i = 0; i < kCapacity; ++i) {
    calls.push_back(std::make_unique<Parked>());
    park(*calls.back());
  }
  ASSERT_TRUE(testing::WaitFor([this] { return server_->handlers().parked() == kCapacity; },
                               absl::Seconds(20), "every admitted call parked")
                  .ok());
  Parked one_too_many;
  park(one_too_many, absl::Seconds(10));
  one_too_many.answered.WaitForNotification();
  EXPECT_EQ(one_too_many.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << one_too_many.status.error_message();
  // Calls on the workers are not counted against it.
  EXPECT_TRUE(Call("Echo", "still served", absl::Seconds(10)).ok());

  server_->handlers().Unpark();
  for (const auto& call : calls) {
    call->answered.WaitForNotification();
    EXPECT_TRUE(call->status.ok()) << call->status.error_message();
  }
  Parked after;
  park(after);
  after.answered.WaitForNotification();
  EXPECT_TRUE(after.status.ok()) << after.status.error_message();
}

}  // namespace
}  // namespace fieldwork
