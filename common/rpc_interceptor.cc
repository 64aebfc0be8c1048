// Per-call bookkeeping around every handler: registry entry, authorization guard, log line,
// metrics.
#include "common/rpc_interceptor.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/finished_call.h"
#include "common/logging.h"
#include "common/message_names.h"
#include "common/metrics.h"
#include "common/rpc_call_registry.h"

namespace fieldwork {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Methods nobody registered are reported under one label, so random names sent by a client cannot
// grow the metrics without bound.
constexpr char kUnknownMethodLabel[] = "unknown";
constexpr size_t kMaxLoggedMethodLength = 200;

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, const Authorizer* authorizer,
                 CallObserver* observer)
      : context_(info->server_context()),
        method_(info->method() != nullptr ? info->method() : ""),
        authorizer_(authorizer),
        observer_(observer),
        start_(absl::Now()) {
    const auto entry = authorizer_->permissions().find(method_);
    known_ = entry != authorizer_->permissions().end();
    public_ = known_ && entry->second.is_public();
    // Methods with an entry are our generated services, whose messages are protobuf messages
    // (public ones are gRPC's health and reflection; an unknown method has no handler at all).
    messages_are_protos_ = known_ && !public_;
    RpcCallRegistry::Global().Open(context_, method_);
  }

  ~RpcInterceptor() override {
    // A call that ended without sending a status (e.g. the client went away mid-stream).
    if (!reported_) {
      Report(grpc::Status(grpc::StatusCode::CANCELLED, "ended without status"), std::nullopt);
    }
    RpcCallRegistry::Global().Close(context_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC hands interceptors no message when the request did not parse (for proto3, a string
    // field that is not UTF-8); the handler then never runs and gRPC answers with an empty
    // message INTERNAL (sync methods) or UNIMPLEMENTED (callback methods), which blames the
    // server for the caller's bytes.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      request_unparsable_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr && messages_are_protos_) {
      // A generated message derives from Message alone, so its address is its Message's. gRPC
      // destroys it when the handler returns: what is needed later is copied now.
      const auto* request =
          static_cast<const google::protobuf::Message*>(methods->GetRecvMessage());
      RpcCallRegistry::Global().Update(context_, [request](RpcCallInfo& info) {
        info.request = request;
        info.request_names = ResourceNamesOf(*request);
        info.request_id = RequestIdOf(*request);
      });
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (request_unparsable_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                                  status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "request does not parse: a string field is not valid UTF-8, or the "
                              "bytes are not the method's request message");
        methods->ModifySendStatus(status);
      }
      // A method no service implements: gRPC answers UNIMPLEMENTED to anyone, which would tell a
      // caller without a valid token which methods exist; such a caller gets the authentication
      // error instead. (Done here rather than by a generic catch-all service: a callback generic
      // service adds gRPC's callback completion queue, whose poller thread wakes only every
      // 100 ms when a wake-up is missed, and that stalled calls of every service by ~100 ms.)
      if (!known_ && status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
        const absl::StatusOr<Principal> caller =
            authorizer_->AuthenticateMetadata(context_->client_metadata());
        if (!caller.ok()) {
          status = ToGrpcStatus(caller.status());
          methods->ModifySendStatus(status);
        }
      }
      if (status.ok() && !public_ && !Authorized()) {
        LogEvent(LogLevel::kError, "handler_skipped_authorization", {{"method", method_}});
        status = grpc::Status(grpc::StatusCode::INTERNAL, "handler did not authorize the call");
        methods->ModifySendStatus(status);
      }
      std::optional<std::vector<std::string>> response_names;
      if (observer_ != nullptr && observer_->Wants(method_, status.error_code())) {
        response_names.emplace();
        if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE) &&
            messages_are_protos_ && methods->GetSendMessage() != nullptr) {
          response_names = ResourceNamesOf(
              *static_cast<const google::protobuf::Message*>(methods->GetSendMessage()));
        }
      }
      RpcCallRegistry::Global().Update(context_, [](RpcCallInfo& info) { info.request = nullptr; });
      Report(status, std::move(response_names));
    }
    methods->Proceed();
  }

 private:
  bool Authorized() const {
    bool authorized = false;
    RpcCallRegistry::Global().Update(
        context_, [&authorized](RpcCallInfo& info) { authorized = info.authorized; });
    return authorized;
  }

  // Metrics, the log line, and for a status that is sent (with the names of the answer sent with
  // it) the observer.
  void Report(const grpc::Status& status,
              std::optional<std::vector<std::string>> sent_response_names) {
    reported_ = true;
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    const std::string code = CodeName(status.error_code());
    const MetricLabels labels = {{"method", known_ ? method_ : kUnknownMethodLabel},
                                 {"code", code}};
    Metrics::Global().Increment(kRpcCountMetric, "RPCs served, by method and status code.", labels);
    Metrics::Global().ObserveSeconds(
        kRpcLatencyMetric, "RPC latency in seconds, by method and status code.", labels, seconds);
    // Probes call health every few seconds; their lines would drown the rest at info level.
    const LogLevel level = public_ && status.ok() ? LogLevel::kDebug : LogLevel::kInfo;
    const bool log = LogEnabled(level);
    const bool observe = observer_ != nullptr && sent_response_names.has_value();
    if (!log && !observe) return;
    const RpcCallInfo info = RpcCallRegistry::Global().Find(context_).value_or(RpcCallInfo{});
    if (log) {
      LogEvent(level, "rpc",
               {{"method", method_.substr(0, kMaxLoggedMethodLength)},
                {"organization", info.organization},
                {"request_id", info.request_id},
                {"subject", info.subject},
                {"via", info.via},
                {"peer", context_->peer()},
                {"code", code},
                {"message", status.error_message()},
                {"latency_ms", seconds * 1000}});
    }
    if (observe) {
      observer_->OnCallFinished(FinishedCall{info, *std::move(sent_response_names), status,
                                             context_->peer(), absl::Now()});
    }
  }

  grpc::ServerContextBase* const context_;
  const std::string method_;
  const Authorizer* const authorizer_;
  CallObserver* const observer_;
  const absl::Time start_;
  bool messages_are_protos_ = false;
  bool known_ = false;
  bool public_ = false;
  bool reported_ = false;
  bool request_unparsable_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, authorizer_, observer_);
}

}  // namespace fieldwork
