// A ProbeService served in-process through the real ServerRunner, with a tokens file holding one
// token per kind of principal; the common/ tests call it over real gRPC.
#ifndef FIELDWORK_TESTS_COMMON_PROBE_SERVER_H_
#define FIELDWORK_TESTS_COMMON_PROBE_SERVER_H_

#include <grpcpp/channel.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/config.h"
#include "common/permissions.h"
#include "common/pooled_service.h"
#include "common/server_runner.h"
#include "tests/common/probe_service.grpc.pb.h"

namespace fieldwork::testing {

// Bearer tokens of the probe tokens file, and the principals they stand for.
inline constexpr char kAdminToken[] = "admin-secret-token";           // admin, every org
inline constexpr char kStaffO1Token[] = "staff-o1-secret-token";      // staff of o1
inline constexpr char kMemberM7Token[] = "member-m7-secret-token";    // member o1/m7
inline constexpr char kServiceToken[] = "service-secret-token";       // service, every org
inline constexpr char kServiceO2Token[] = "service-o2-secret-token";  // service, only o2
inline constexpr char kMemberM7[] = "organizations/o1/members/m7";

// The YAML of the probe tokens file.
std::string ProbeTokensYaml();
// Writes `contents` to `path` with `mode`; fails the test on error.
void WriteTestFile(const std::string& path, const std::string& contents, int mode);
// The contents of `path` (empty when unreadable).
std::string ReadTestFile(const std::string& path);

// Echo: staff and above, or a member for itself; FailTwice: also services on their own account;
// the rest: staff and above.
PermissionTable ProbePermissions();

// A config serving on 127.0.0.1 (kernel-chosen port) with the probe tokens in `dir`.
ServerConfig ProbeConfig(const std::string& dir);

// Served as the services are: every method on the runner's call workers but Park, served
// without blocking.
class ProbeHandlers : public PooledService<fieldwork::testing::v1::ProbeService> {
 public:
  explicit ProbeHandlers(const Authorizer* authorizer);

  grpc::Status Echo(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                    v1::ProbeResponse* response);
  grpc::Status SkipAuthorization(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                                 v1::ProbeResponse* response);
  grpc::Status Validate(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                        v1::ProbeResponse* response);
  grpc::Status FailTwice(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                         v1::ProbeResponse* response);
  grpc::Status Hold(grpc::ServerContextBase* context, const v1::ProbeRequest* request,
                    v1::ProbeResponse* response);

  void Park(grpc::CallbackServerContext* context, const v1::ProbeRequest* request,
            v1::ProbeResponse* response, CallDone done);

  // Park calls waiting to be answered; Unpark answers them, and every later Park at once.
  int parked() ABSL_LOCKS_EXCLUDED(mu_);
  void Unpark() ABSL_LOCKS_EXCLUDED(mu_);

  // Notified when a Hold call has started; Hold returns once Release is called.
  absl::Notification& hold_started() { return hold_started_; }
  // Hold calls started so far.
  int holds_started() const { return holds_started_.load(); }
  void Release() {
    if (!released_.exchange(true)) release_.Notify();
  }

 private:
  // Authorizes for the request's organization (and member) and fills the response's identity.
  absl::Status AuthorizeAndDescribe(grpc::ServerContextBase* context,
                                    const v1::ProbeRequest& request, v1::ProbeResponse* response);

  const Authorizer* authorizer_;
  absl::Notification hold_started_;
  std::atomic<int> holds_started_{0};
  absl::Notification release_;
  std::atomic<bool> released_{false};  // Release may be called from several threads
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<CallDone> parked_ ABSL_GUARDED_BY(mu_);
  bool unparked_ ABSL_GUARDED_BY(mu_) = false;
};

class ProbeServer {
 public:
  // Runs a ServerRunner for `config` serving ProbeHandlers, and waits until it listens.
  // Returns what Run returned when it stops before listening.
  static absl::StatusOr<std::unique_ptr<ProbeServer>> Start(
      ServerConfig config, PermissionTable permissions = ProbePermissions(),
      std::function<bool()> ready = nullptr);
  // Stops the server if it still runs.
  ~ProbeServer();

  // RequestShutdown, then what Run returned.
  absl::Status Stop();
  std::string address() const;
  // A plaintext channel to the server.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  ProbeHandlers& handlers() { return *handlers_; }
  ServerRunner& runner() { return *runner_; }

 private:
  ProbeServer() = default;

  std::unique_ptr<ServerRunner> runner_;
  std::unique_ptr<ProbeHandlers> handlers_;
  std::shared_ptr<grpc::Channel> channel_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  absl::Status run_status_;
};

// Calls Echo with `token` (none when empty) and any extra metadata.
grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                      const v1::ProbeRequest& request, v1::ProbeResponse* response,
                      const std::multimap<std::string, std::string>& metadata = {});

// A request touching organization `organization` (and `member` when given).
v1::ProbeRequest ProbeRequestFor(const std::string& organization, const std::string& member = "");

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_COMMON_PROBE_SERVER_H_
