// The probe service's handlers and the in-process server around them.
#include "tests/common/probe_server.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/rpc_call_registry.h"
#include "common/status_macros.h"
#include "common/token_store.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"

namespace fieldwork::testing {
namespace {

constexpr char kService[] = "/fieldwork.testing.v1.ProbeService/";

std::string TokenEntry(const std::string& token, const std::string& subject,
                       const std::string& role, const std::string& organization) {
  return absl::StrCat("  - sha256: ", Sha256Hex(token), "\n    subject: ", subject,
                      "\n    role: ", role, "\n    organization: \"", organization, "\"\n");
}

}  // namespace

std::string ProbeTokensYaml() {
  return absl::StrCat("tokens:\n", TokenEntry(kAdminToken, "ops-admin", "admin", "*"),
                      TokenEntry(kStaffO1Token, "clerk-o1", "staff", "o1"),
                      TokenEntry(kMemberM7Token, kMemberM7, "member", "o1"),
                      TokenEntry(kServiceToken, "svc-attendance", "service", "*"),
                      TokenEntry(kServiceO2Token, "svc-o2", "service", "o2"));
}

void WriteTestFile(const std::string& path, const std::string& contents, int mode) {
  {
    std::ofstream file(path, std::ios::trunc);
    file << contents;
    ASSERT_TRUE(file.good()) << path;
  }
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

std::string ReadTestFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

PermissionTable ProbePermissions() {
  return {
      {absl::StrCat(kService, "Echo"), Permission::AtLeast(Role::kStaff).OrMemberSelf()},
      {absl::StrCat(kService, "SkipAuthorization"), Permission::AtLeast(Role::kStaff)},
      {absl::StrCat(kService, "Validate"), Permission::AtLeast(Role::kStaff)},
      {absl::StrCat(kService, "FailTwice"), Permission::AtLeast(Role::kStaff).OrService()},
      {absl::StrCat(kService, "Hold"), Permission::AtLeast(Role::kStaff)},
      {absl::StrCat(kService, "Park"), Permission::AtLeast(Role::kStaff)},
  };
}

ServerConfig ProbeConfig(const std::string& dir) {
  ServerConfig config = DefaultServerConfig("probe", 0, 0);
  config.listen = "127.0.0.1:0";
  config.tokens_file = dir + "/tokens.yaml";
  config.shutdown_grace = absl::Seconds(30);
  config.max_threads = 16;
  WriteTestFile(config.tokens_file, ProbeTokensYaml(), 0600);
  return config;
}

ProbeHandlers::ProbeHandlers(const Authorizer* authorizer) : authorizer_(authorizer) {
  ServeOnWorkers("Echo", &ProbeHandlers::Echo);
  ServeOnWorkers("SkipAuthorization", &ProbeHandlers::SkipAuthorization);
  ServeOnWorkers("Validate", &ProbeHandlers::Validate);
  ServeOnWorkers("FailTwice", &ProbeHandlers::FailTwice);
  ServeOnWorkers("Hold", &ProbeHandlers::Hold);
  ServeWithoutBlocking("Park", &ProbeHandlers::Park, /*never_blocks=*/true);
}

absl::Status ProbeHandlers::AuthorizeAndDescribe(grpc::ServerContextBase* context,
                                                 const v1::ProbeRequest& request,
                                                 v1::ProbeResponse* response) {
  SetRpcRequestId(context, request.request_id());
  const AccessTarget target = request.organization().empty()
                                  ? AccessTarget::AllOrganizations()
                                  : AccessTarget::Member(request.organization(), request.member());
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, authorizer_->Authorize(context, target));
  response->set_text(request.text());
  response->set_subject(caller.subject);
  response->set_via(caller.via);
  response->set_role(std::string(RoleName(caller.role)));
  return absl::OkStatus();
}

grpc::Status ProbeHandlers::Echo(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                                 v1::ProbeResponse* response) {
  return ToGrpcStatus(AuthorizeAndDescribe(context, *request, response));
}

grpc::Status ProbeHandlers::SkipAuthorization(grpc::ServerContextBase*,
                                              const v1::ProbeRequest* request,
                                              v1::ProbeResponse* response) {
  response->set_text(request->text());
  return grpc::Status::OK;
}

grpc::Status ProbeHandlers::Validate(grpc::ServerContextBase* context,
                                     const v1::ProbeRequest* request, v1::ProbeResponse* response) {
  if (absl::Status s = AuthorizeAndDescribe(context, *request, response); !s.ok()) {
    return ToGrpcStatus(s);
  }
  FieldErrors errors;
  if (request->text().empty()) errors.Add("text", "must not be empty");
  if (request->member().empty()) errors.Add("member", "must name a member");
  return ToGrpcStatus(errors.ToStatus());
}

grpc::Status ProbeHandlers::FailTwice(grpc::ServerContextBase* context,
                                      const v1::ProbeRequest* request,
                                      v1::ProbeResponse* response) {
  if (absl::Status s = AuthorizeAndDescribe(context, *request, response); !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::MutexLock lock(&mu_);
  if (++failures_[request->text()] <= 2) {
    return ToGrpcStatus(absl::UnavailableError("failing on purpose"));
  }
  return grpc::Status::OK;
}

grpc::Status ProbeHandlers::Hold(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                                 v1::ProbeResponse* response) {
  if (absl::Status s = AuthorizeAndDescribe(context, *request, response); !s.ok()) {
    return ToGrpcStatus(s);
  }
  // The first Hold notifies; several may start at once on different workers.
  if (holds_started_.fetch_add(1) == 0) hold_started_.Notify();
  release_.WaitForNotification();
  return grpc::Status::OK;
}

void ProbeHandlers::Park(grpc::CallbackServerContext* context, const v1::ProbeRequest* request,
                         v1::ProbeResponse* response, CallDone done) {
  if (absl::Status s = AuthorizeAndDescribe(context, *request, response); !s.ok()) {
    return std::move(done)(ToGrpcStatus(s));
  }
  {
    absl::MutexLock lock(&mu_);
    if (!unparked_) {
      parked_.push_back(std::move(done));
      return;
    }
  }
  std::move(done)(grpc::Status::OK);
}

int ProbeHandlers::parked() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(parked_.size());
}

void ProbeHandlers::Unpark() {
  std::vector<CallDone> parked;
  {
    absl::MutexLock lock(&mu_);
    unparked_ = true;
    parked.swap(parked_);
  }
  for (CallDone& done : parked) std::move(done)(grpc::Status::OK);
}

absl::StatusOr<std::unique_ptr<ProbeServer>> ProbeServer::Start(ServerConfig config,
                                                                PermissionTable permissions,
                                                                std::function<bool()> ready) {
  std::unique_ptr<ProbeServer> server(new ProbeServer());
  absl::StatusOr<std::unique_ptr<ServerRunner>> runner =
      ServerRunner::Create(std::move(config), std::move(permissions));
  if (!runner.ok()) return runner.status();
  server->runner_ = *std::move(runner);
  server->handlers_ = std::make_unique<ProbeHandlers>(&server->runner_->authorizer());
  server->runner_->AddService<v1::ProbeService>(server->handlers_.get());
  if (ready) server->runner_->SetReadinessCheck(std::move(ready));
  ProbeServer* raw = server.get();
  server->thread_ = std::thread([raw] {
    raw->run_status_ = raw->runner_->Run();
    raw->finished_ = true;
  });
  const absl::Status listening =
      WaitFor([raw] { return raw->finished_ || raw->runner_->port() != 0; }, absl::Seconds(30),
              "probe server listening");
  if (raw->finished_) {
    raw->thread_.join();
    return raw->run_status_.ok() ? absl::InternalError("Run returned before listening")
                                 : raw->run_status_;
  }
  if (!listening.ok()) return listening;
  server->channel_ = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  return server;
}

ProbeServer::~ProbeServer() {
  if (thread_.joinable()) Stop().IgnoreError();
}

absl::Status ProbeServer::Stop() {
  handlers_->Release();
  runner_->RequestShutdown();
  thread_.join();
  return run_status_;
}

std::string ProbeServer::address() const { return absl::StrCat("127.0.0.1:", runner_->port()); }

grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                      const v1::ProbeRequest& request, v1::ProbeResponse* response,
                      const std::multimap<std::string, std::string>& metadata) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  return v1::ProbeService::NewStub(channel)->Echo(&context, request, response);
}

v1::ProbeRequest ProbeRequestFor(const std::string& organization, const std::string& member) {
  v1::ProbeRequest request;
  request.set_organization(organization);
  request.set_member(member);
  request.set_text("hello");
  return request;
}

}  // namespace fieldwork::testing
