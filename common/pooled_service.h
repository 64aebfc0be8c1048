// Serves the unary methods of a generated synchronous service through gRPC's callback API,
// running the same handlers on the server runner's CallWorkers. gRPC's sync server makes a
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
#include <string>
#include <utility>

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

 private:
  std::atomic<CallWorkers*> workers_{nullptr};
};

// `GeneratedServices` is the generated outer class (e.g. v1::SchedulingService).
template <typename GeneratedServices>
class PooledService : public GeneratedServices::Service, public WorkerServed {
 protected:
  // Where a call's request and response live: on the heap (a handler may move messages into the
  // response), or on one arena per call (arena_messages.h; a message moved into the response is
  // then copied, so the handler should build or parse the answer in place).
  enum class Messages { kHeap, kArena };

  // Serves `method` (named `name` in the service's proto) on the workers. It marks the method
  // a callback method with gRPC's CallbackUnaryHandler, as the generated WithCallbackMethod_*
  // classes do, so the generated sync service needs no per-method wrapper class.
  template <typename Impl, typename Request, typename Response>
  void ServeOnWorkers(absl::string_view name,
                      grpc::Status (Impl::*method)(grpc::ServerContextBase*, const Request*,
                                                   Response*),
                      Messages messages = Messages::kHeap) {
    Impl* const impl = static_cast<Impl*>(this);
    const google::protobuf::MethodDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindServiceByName(GeneratedServices::service_full_name())
            ->FindMethodByName(std::string(name));
    if (descriptor == nullptr) std::abort();  // a typo in `name`: fails at start-up
    auto* handler = new grpc::internal::CallbackUnaryHandler<Request, Response>(
        [this, impl, method](grpc::CallbackServerContext* context, const Request* request,
                             Response* response) {
          grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
          const bool queued = Submit([=] {
            // A call cancelled, or whose deadline passed, while it waited is not run.
            if (context->IsCancelled()) {
              reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                           "cancelled while waiting for a worker"));
              return;
            }
            if (context->deadline() <= std::chrono::system_clock::now()) {
              reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                           "deadline passed while waiting for a worker"));
              return;
            }
            reactor->Finish((impl->*method)(context, request, response));
          });
          if (!queued) {
            reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                         "server busy: too many calls waiting; retry later"));
          }
          return reactor;
        });
    if (messages == Messages::kArena) {
      static ArenaMessages<Request, Response> arena_messages;
      handler->SetMessageAllocator(&arena_messages);
    }
    this->MarkMethodCallback(descriptor->index(), handler);
  }
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_POOLED_SERVICE_H_
