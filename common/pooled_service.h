// Serves the unary methods of a generated synchronous service through gRPC's callback API,
// running the same handlers on the server runner's CallWorkers, or (ServeWithoutBlocking) on
// gRPC's thread for handlers that never wait. gRPC's sync server makes a
// handler's thread wait until the answer has been written to the connection (often by another
// thread, when several calls share it); here the worker hands the answer to gRPC and takes the
// next call. Streaming methods stay on the sync server.
//
//   class FooImpl final : public PooledService<v1::FooService> {
//     FooImpl() { ServeOnWorkers("GetFoo", &FooImpl::GetFoo); }
//     grpc::Status GetFoo(grpc::ServerContextBase*, const v1::GetFooRequest*, v1::Foo*);
//   };
#ifndef FIELDWORK_COMMON_POOLED_SERVICE_H_
#define FIELDWORK_COMMON_POOLED_SERVICE_H_

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "common/arena_messages.h"
#include "common/call_workers.h"

namespace fieldwork {

// What the server runner sees of a PooledService: it hands over its workers before the server
// starts, and takes them back after the server has stopped.
class WorkerServed {
 public:
  virtual ~WorkerServed() = default;
  void SetWorkers(CallWorkers* workers) { workers_ = workers; }

 protected:
  // Queues `work`; false when there are no workers or too many calls wait.
  bool Submit(std::function<void()> work) {
    CallWorkers* const workers = workers_.load();
    return workers != nullptr && workers->Submit(std::move(work));
  }

  // Admits one call served without a worker: false when CallWorkers::without_worker_capacity are
  // in flight, or when there are no workers (not serving). Overload is refused at once rather
  // than queued without bound. Each true is followed by one Leave.
  bool Enter() {
    CallWorkers* const workers = workers_.load();
    if (workers == nullptr) return false;
    if (without_worker_.fetch_add(1) >= workers->without_worker_capacity()) {
      without_worker_.fetch_sub(1);
      return false;
    }
    return true;
  }
  void Leave() { without_worker_.fetch_sub(1); }

 private:
  std::atomic<CallWorkers*> workers_{nullptr};
  std::atomic<int> without_worker_{0};  // calls admitted by Enter and not yet left
};

// `GeneratedServices` is the generated outer class (e.g. v1::SchedulingService).
template <typename GeneratedServices>
class PooledService : public GeneratedServices::Service, public WorkerServed {
 protected:
  // Where a call's request and response live: on the heap (a handler may move messages into the
  // response), or on one arena per call (arena_messages.h; a message moved into the response is
  // then copied, so the handler should build or parse the answer in place).
  enum class Messages { kHeap, kArena };

  // Answers a call started by ServeWithoutBlocking; runs once, on any thread.
  using CallDone = absl::AnyInvocable<void(grpc::Status) &&>;

  // Serves `method` (named `name` in the service's proto) on the workers.
  template <typename Impl, typename Request, typename Response>
  void ServeOnWorkers(absl::string_view name,
                      grpc::Status (Impl::*method)(grpc::ServerContextBase*, const Request*,
                                                   Response*),
                      Messages messages = Messages::kHeap) {
    Impl* const impl = static_cast<Impl*>(this);
    Serve<Request, Response>(name, messages,
                             [this, impl, method](grpc::CallbackServerContext* context,
                                                  const Request* request, Response* response) {
                               grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
                               StartOnWorker(context, FinishOn(reactor), [=](CallDone done) {
                                 std::move(done)((impl->*method)(context, request, response));
                               });
                               return reactor;
                             });
  }

  // Serves `method`, which starts its work and returns without waiting for it (its Redis calls go
  // through RedisClient::PipelineAsync) and calls `done` once with the answer, on whatever thread
  // finished the work. It runs on gRPC's own thread, with no hand-off to a worker, when
  // `never_blocks` (the Redis client PipelinesWithoutBlocking), up to a limit of calls in flight
  // (Enter); otherwise on the workers.
  template <typename Impl, typename Request, typename Response>
  void ServeWithoutBlocking(absl::string_view name,
                            void (Impl::*method)(grpc::CallbackServerContext*, const Request*,
                                                 Response*, CallDone),
                            bool never_blocks, Messages messages = Messages::kHeap) {
    Impl* const impl = static_cast<Impl*>(this);
    Serve<Request, Response>(
        name, messages,
        [this, impl, method, never_blocks](grpc::CallbackServerContext* context,
                                           const Request* request, Response* response) {
          grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
          if (never_blocks) {
            if (!Enter()) {
              reactor->Finish(Busy());
              return reactor;
            }
            (impl->*method)(context, request, response, [this, reactor](grpc::Status status) {
              Leave();
              reactor->Finish(std::move(status));
            });
          } else {
            StartOnWorker(context, FinishOn(reactor), [=](CallDone done) {
              (impl->*method)(context, request, response, std::move(done));
            });
          }
          return reactor;
        });
  }

  // For a method served without blocking that finds it must wait after all (e.g. for a read its
  // cache could not answer): runs `work` on a worker and answers `done` with what it returns.
  void ContinueOnWorker(grpc::CallbackServerContext* context, CallDone done,
                        std::function<grpc::Status()> work) {
    StartOnWorker(context, std::move(done),
                  [work = std::move(work)](CallDone answer) { std::move(answer)(work()); });
  }

 private:
  static grpc::Status Busy() {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "server busy: too many calls waiting; retry later");
  }

  static CallDone FinishOn(grpc::ServerUnaryReactor* reactor) {
    return [reactor](grpc::Status status) { reactor->Finish(std::move(status)); };
  }

  // Marks `name` a callback method served by `handler`, as the generated WithCallbackMethod_*
  // classes do, so the generated sync service needs no per-method wrapper class.
  template <typename Request, typename Response, typename Handler>
  void Serve(absl::string_view name, Messages messages, Handler handler) {
    const google::protobuf::MethodDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindServiceByName(GeneratedServices::service_full_name())
            ->FindMethodByName(std::string(name));
    if (descriptor == nullptr) std::abort();  // a typo in `name`: fails at start-up
    auto* callback =
        new grpc::internal::CallbackUnaryHandler<Request, Response>(std::move(handler));
    if (messages == Messages::kArena) {
      static ArenaMessages<Request, Response> arena_messages;
      callback->SetMessageAllocator(&arena_messages);
    }
    this->MarkMethodCallback(descriptor->index(), callback);
  }

  // Runs `start(done)` on a worker, unless the call was cancelled or its deadline passed while it
  // waited; a full queue refuses the call at once.
  void StartOnWorker(grpc::CallbackServerContext* context, CallDone done,
                     absl::AnyInvocable<void(CallDone)> start) {
    // std::function (the queue's type) copies what it holds; these are move-only.
    auto answer = std::make_shared<CallDone>(std::move(done));
    auto work = std::make_shared<absl::AnyInvocable<void(CallDone)>>(std::move(start));
    const bool queued = Submit([context, answer, work] {
      if (context->IsCancelled()) {
        std::move (*answer)(
            grpc::Status(grpc::StatusCode::CANCELLED, "cancelled while waiting for a worker"));
        return;
      }
      if (context->deadline() <= std::chrono::system_clock::now()) {
        std::move (*answer)(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                         "deadline passed while waiting for a worker"));
        return;
      }
      std::move (*work)(std::move(*answer));
    });
    if (!queued) std::move (*answer)(Busy());
  }
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_POOLED_SERVICE_H_
