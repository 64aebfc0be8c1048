// Authentication and authorization of RPCs. Callers present `authorization: Bearer <token>`; the
// tokens file maps token hashes to principals (token_store.h); the service's PermissionTable says
// which roles may call each method. gRPC 1.51 server interceptors cannot reject a call, so handlers
// authorize themselves, first thing:
//
//   FIELDWORK_ASSIGN_OR_RETURN(Principal caller, authorizer.Authenticate(context));
//   ... parse the request enough to know its organization ...
//   FIELDWORK_RETURN_IF_ERROR(
//       authorizer.Authorize(context, caller, AccessTarget::Organization(org)));
//
// The runner's interceptor turns an OK answer from a handler that never called Authorize into
// INTERNAL (and logs it), so a forgotten check fails every test that calls the method.
#ifndef FIELDWORK_COMMON_AUTH_H_
#define FIELDWORK_COMMON_AUTH_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/string_ref.h>

#include <atomic>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/permissions.h"
#include "common/principal.h"
#include "common/token_store.h"

namespace fieldwork {

// What a call touches, as far as access control cares.
struct AccessTarget {
  // A call confined to one organization (by id, e.g. "tongguan").
  static AccessTarget Organization(absl::string_view organization);
  // A call about one member (its resource name) of an organization: member-self permissions let
  // that member through.
  static AccessTarget Member(absl::string_view organization, absl::string_view member_name);
  // A call not confined to one organization (e.g. CreateOrganization): only principals valid for
  // every organization may make it.
  static AccessTarget AllOrganizations();

  std::string organization;  // empty for AllOrganizations
  std::string member;        // empty unless Member
};

using ClientMetadata = std::multimap<grpc::string_ref, grpc::string_ref>;

class Authorizer {
 public:
  // Checks tokens against `tokens_file`, re-read by ReloadIfChanged when it changes.
  static absl::StatusOr<std::unique_ptr<Authorizer>> WithTokensFile(const std::string& tokens_file,
                                                                    PermissionTable permissions);
  // Development only: every caller is an admin (or the caller named in kOnBehalfOfMetadataKey).
  static std::unique_ptr<Authorizer> Insecure(PermissionTable permissions);

  // The principal the current call runs as: the token's, or for a service token carrying
  // kOnBehalfOfMetadataKey the forwarded caller's. UNAUTHENTICATED for a missing, malformed or
  // unknown token; PERMISSION_DENIED when a non-service token tries to forward an identity.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase* context) const;
  // May `principal` call the current method on `target`? NOT_FOUND when the target lies in an
  // organization outside the principal's scope (tenants learn nothing of each other),
  // PERMISSION_DENIED when the role is not enough.
  absl::Status Authorize(const grpc::ServerContextBase* context, const Principal& principal,
                         const AccessTarget& target) const;
  // Authenticate then Authorize, for handlers that know their target up front.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase* context,
                                      const AccessTarget& target) const;

  // The transport-free cores of Authenticate and Authorize.
  absl::StatusOr<Principal> AuthenticateMetadata(const ClientMetadata& metadata) const;
  absl::Status CheckAccess(absl::string_view method, const Principal& principal,
                           const AccessTarget& target) const;

  // From now on Authenticate answers UNAVAILABLE: the server is draining before it shuts down,
  // and callers should retry on another replica.
  void RefuseNewCalls() { refusing_ = true; }
  // When Authenticate last refused a call for draining; InfinitePast() when it never did.
  absl::Time last_refusal() const { return absl::FromUnixNanos(last_refusal_ns_.load()); }

  const PermissionTable& permissions() const { return permissions_; }
  bool insecure() const { return tokens_file_.empty(); }
  // Re-reads the tokens file when its identity (inode, size, mtime) changed. On a bad new file
  // the previous tokens stay in force and the error is returned.
  absl::Status ReloadIfChanged();

 private:
  struct FileIdentity {
    uint64_t inode = 0;
    int64_t size = -1;
    int64_t mtime_ns = 0;
    bool operator==(const FileIdentity& other) const {
      return inode == other.inode && size == other.size && mtime_ns == other.mtime_ns;
    }
  };

  explicit Authorizer(PermissionTable permissions) : permissions_(std::move(permissions)) {}
  static absl::StatusOr<FileIdentity> Identify(const std::string& path);
  absl::StatusOr<Principal> PrincipalForToken(absl::string_view token) const;

  const PermissionTable permissions_;
  std::atomic<bool> refusing_{false};
  mutable std::atomic<int64_t> last_refusal_ns_{std::numeric_limits<int64_t>::min()};
  std::string tokens_file_;  // empty in insecure mode
  mutable absl::Mutex mu_;
  std::shared_ptr<const TokenStore> tokens_ ABSL_GUARDED_BY(mu_);
  FileIdentity loaded_identity_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUTH_H_
