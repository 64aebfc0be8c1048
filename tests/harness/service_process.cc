// Service processes for tests, plus raw gRPC calls (generic stub) for health-independent checks.
#include "tests/harness/service_process.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/client_callback.h>
#include <signal.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace fieldwork::testing {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

constexpr char kReflectionMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
// ServerReflectionRequest{list_services: ""}: field 7, length-delimited, empty.
constexpr char kListServicesRequest[] = {0x3a, 0x00};
// ServerReflectionResponse.list_services_response, ListServiceResponse.service,
// ServiceResponse.name.
constexpr int kListServicesResponseField = 6;
constexpr int kServiceField = 1;
constexpr int kServiceNameField = 1;

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// The length-delimited values of field `number` in the protobuf message `bytes`.
absl::StatusOr<std::vector<std::string>> NestedFields(const std::string& bytes, int number) {
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("reflection response does not parse");
  }
  std::vector<std::string> values;
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(field.length_delimited());
    }
  }
  return values;
}

// One reflection request and its first response on the bidi-streaming reflection method.
class ReflectionCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit ReflectionCall(grpc::ByteBuffer request) : request_(std::move(request)) {}

  // Sends the request, reads one response and waits for the call to end.
  grpc::Status Run() {
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
    done_.WaitForNotification();
    return status_;
  }
  std::string response() const { return FromByteBuffer(response_); }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.Notify();
  }

 private:
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::Status status_;
  absl::Notification done_;
};

// Reconnect within a fraction of a second instead of gRPC's default backoff (1 s, growing), so a
// test sees the server as soon as it listens and again right after a restart.
grpc::ChannelArguments QuickReconnectArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return args;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const ServiceOptions& options) {
  const std::string address = absl::StrCat("127.0.0.1:", PickFreePort());
  std::vector<std::string> argv = {options.binary, "--listen=" + address,
                                   absl::StrCat("--metrics-port=", options.metrics_port)};
  argv.insert(argv.end(), options.flags.begin(), options.flags.end());
  const std::string log_path = MakeTempDir("fieldwork-service") + "/service.log";
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Spawn(argv, log_path, options.env);
  if (!process.ok()) return process.status();
  std::unique_ptr<ServiceProcess> service(new ServiceProcess(*std::move(process), address));

  bool exited = false;
  const absl::Status ready = WaitFor(
      [&] {
        if (service->process_->Wait(absl::ZeroDuration()).ok()) exited = true;
        if (exited) return true;
        const auto status = service->CheckHealth();
        return status.ok() && *status == HealthCheckResponse::SERVING;
      },
      options.start_timeout, absl::StrCat(options.binary, " serving on ", address));
  if (exited) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.binary, " exited before serving:\n", service->ReadLog()));
  }
  if (!ready.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(ready.message(), "\n", service->ReadLog()));
  }
  return service;
}

ServiceProcess::ServiceProcess(std::unique_ptr<ChildProcess> process, std::string address)
    : process_(std::move(process)),
      address_(std::move(address)),
      channel_(grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(),
                                         QuickReconnectArguments())) {}

absl::StatusOr<HealthCheckResponse::ServingStatus> ServiceProcess::CheckHealth() const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  // Wait (up to the deadline) for a connection instead of failing at once while the channel is
  // between connection attempts.
  context.set_wait_for_ready(true);
  HealthCheckResponse response;
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(channel_)->Check(&context, HealthCheckRequest(), &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response.status();
}

absl::StatusOr<std::vector<std::string>> ServiceProcess::ListServices() const {
  return ListServicesByReflection(channel_);
}

absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ReflectionCall call(
      ToByteBuffer(std::string(kListServicesRequest, sizeof(kListServicesRequest))));
  grpc::GenericStub(channel).PrepareBidiStreamingCall(&context, kReflectionMethod,
                                                      grpc::StubOptions(), &call);
  const grpc::Status status = call.Run();
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("reflection: ", status.error_message()));
  }
  absl::StatusOr<std::vector<std::string>> lists =
      NestedFields(call.response(), kListServicesResponseField);
  if (!lists.ok()) return lists.status();
  std::vector<std::string> names;
  for (const std::string& list : *lists) {
    absl::StatusOr<std::vector<std::string>> services = NestedFields(list, kServiceField);
    if (!services.ok()) return services.status();
    for (const std::string& service : *services) {
      absl::StatusOr<std::vector<std::string>> name = NestedFields(service, kServiceNameField);
      if (!name.ok()) return name.status();
      names.insert(names.end(), name->begin(), name->end());
    }
  }
  return names;
}

absl::StatusOr<int> ServiceProcess::Stop(absl::Duration timeout) {
  process_->Signal(SIGTERM);
  return process_->Wait(timeout);
}

grpc::Status CallUnaryRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                          const std::string& request,
                          const std::multimap<std::string, std::string>& metadata,
                          std::string* response, absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  const grpc::ByteBuffer request_buffer = ToByteBuffer(request);
  grpc::ByteBuffer response_buffer;
  grpc::Status result;
  absl::Notification done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status status) {
                   result = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (response != nullptr) *response = FromByteBuffer(response_buffer);
  return result;
}

absl::StatusOr<ProcessResult> RunToExit(const std::string& binary,
                                        const std::vector<std::string>& args,
                                        const std::vector<std::string>& env,
                                        absl::Duration timeout) {
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log_path = MakeTempDir("fieldwork-run") + "/output.log";
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(argv, log_path, env);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> exit_code = (*process)->Wait(timeout);
  if (!exit_code.ok()) return exit_code.status();
  return ProcessResult{*exit_code, (*process)->ReadLog()};
}

}  // namespace fieldwork::testing
