// Bearer-token authentication, forwarded identities, tenant scope and role checks.
#include "common/auth.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/rpc_call_registry.h"

namespace fieldwork {
namespace {

constexpr absl::string_view kAuthorizationKey = "authorization";
constexpr absl::string_view kBearerScheme = "bearer ";

// The single value of `key`, empty when absent; UNAUTHENTICATED when sent more than once (two
// credentials for one call is never a mistake worth guessing about).
absl::StatusOr<absl::string_view> SingleValue(const ClientMetadata& metadata,
                                              absl::string_view key) {
  const auto range = metadata.equal_range(grpc::string_ref(key.data(), key.size()));
  if (range.first == range.second) return absl::string_view();
  if (std::next(range.first) != range.second) {
    return absl::UnauthenticatedError(absl::StrCat("metadata ", key, " sent more than once"));
  }
  return absl::string_view(range.first->second.data(), range.first->second.size());
}

// Replaces a service principal by the caller it forwards, if any.
absl::StatusOr<Principal> ApplyOnBehalfOf(Principal principal, const ClientMetadata& metadata,
                                          bool trust_any_caller) {
  absl::StatusOr<absl::string_view> forwarded = SingleValue(metadata, kOnBehalfOfMetadataKey);
  if (!forwarded.ok()) return forwarded.status();
  if (forwarded->empty()) return principal;
  if (principal.role != Role::kService && !trust_any_caller) {
    return absl::PermissionDeniedError(
        absl::StrCat("only service tokens may send ", kOnBehalfOfMetadataKey));
  }
  absl::StatusOr<Principal> caller = ParseOnBehalfOf(*forwarded);
  if (!caller.ok()) return absl::UnauthenticatedError(caller.status().message());
  if (!principal.all_organizations() && caller->organization != principal.organization) {
    return absl::PermissionDeniedError(
        "the service token's organization scope does not cover the forwarded caller");
  }
  caller->via = principal.subject;
  return caller;
}

}  // namespace

AccessTarget AccessTarget::Organization(absl::string_view organization) {
  return AccessTarget{std::string(organization), ""};
}

AccessTarget AccessTarget::Member(absl::string_view organization, absl::string_view member_name) {
  return AccessTarget{std::string(organization), std::string(member_name)};
}

AccessTarget AccessTarget::AllOrganizations() { return AccessTarget{}; }

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::WithTokensFile(
    const std::string& tokens_file, PermissionTable permissions) {
  std::unique_ptr<Authorizer> authorizer(new Authorizer(std::move(permissions)));
  authorizer->tokens_file_ = tokens_file;
  absl::Status loaded = authorizer->ReloadIfChanged();
  if (!loaded.ok()) return loaded;
  return authorizer;
}

std::unique_ptr<Authorizer> Authorizer::Insecure(PermissionTable permissions) {
  return std::unique_ptr<Authorizer>(new Authorizer(std::move(permissions)));
}

absl::StatusOr<Authorizer::FileIdentity> Authorizer::Identify(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  return FileIdentity{
      static_cast<uint64_t>(info.st_ino), static_cast<int64_t>(info.st_size),
      static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

absl::Status Authorizer::ReloadIfChanged() {
  if (insecure()) return absl::OkStatus();
  absl::StatusOr<FileIdentity> identity = Identify(tokens_file_);
  if (!identity.ok()) return identity.status();
  {
    absl::MutexLock lock(&mu_);
    if (tokens_ != nullptr && *identity == loaded_identity_) return absl::OkStatus();
  }
  absl::StatusOr<TokenStore> store = TokenStore::LoadFile(tokens_file_);
  if (!store.ok()) return store.status();
  absl::MutexLock lock(&mu_);
  tokens_ = std::make_shared<const TokenStore>(*std::move(store));
  loaded_identity_ = *identity;
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authorizer::PrincipalForToken(absl::string_view token) const {
  std::shared_ptr<const TokenStore> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens = tokens_;
  }
  std::optional<Principal> principal = tokens->Find(token);
  if (!principal.has_value()) return absl::UnauthenticatedError("unknown bearer token");
  return *std::move(principal);
}

absl::StatusOr<Principal> Authorizer::AuthenticateMetadata(const ClientMetadata& metadata) const {
  if (insecure()) {
    Principal developer{"dev-insecure", Role::kAdmin, std::string(kAllOrganizations), ""};
    return ApplyOnBehalfOf(std::move(developer), metadata, /*trust_any_caller=*/true);
  }
  absl::StatusOr<absl::string_view> authorization = SingleValue(metadata, kAuthorizationKey);
  if (!authorization.ok()) return authorization.status();
  if (authorization->empty()) {
    return absl::UnauthenticatedError("missing metadata \"authorization: Bearer <token>\"");
  }
  if (authorization->size() <= kBearerScheme.size() ||
      !absl::StartsWithIgnoreCase(*authorization, kBearerScheme)) {
    return absl::UnauthenticatedError("authorization metadata must be \"Bearer <token>\"");
  }
  absl::StatusOr<Principal> principal =
      PrincipalForToken(absl::StripAsciiWhitespace(authorization->substr(kBearerScheme.size())));
  if (!principal.ok()) return principal.status();
  return ApplyOnBehalfOf(*std::move(principal), metadata, /*trust_any_caller=*/false);
}

absl::Status Authorizer::CheckAccess(absl::string_view method, const Principal& principal,
                                     const AccessTarget& target) const {
  const auto entry = permissions_.find(std::string(method));
  if (entry == permissions_.end()) {
    return absl::PermissionDeniedError(absl::StrCat(method, " has no permission entry"));
  }
  const Permission& permission = entry->second;
  if (permission.is_public()) return absl::OkStatus();
  if (!principal.all_organizations()) {
    if (target.organization.empty()) {
      return absl::PermissionDeniedError(
          absl::StrCat(method, " needs a principal valid for every organization"));
    }
    if (target.organization != principal.organization) {
      return absl::NotFoundError(absl::StrCat("organizations/", target.organization, " not found"));
    }
  }
  if (permission.allows(principal.role)) return absl::OkStatus();
  if (principal.role == Role::kMember && permission.member_self()) {
    if (!target.member.empty() && target.member == principal.subject) return absl::OkStatus();
    return absl::PermissionDeniedError("members may only act on themselves");
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(principal.role), " may not call ", method));
}

absl::StatusOr<Principal> Authorizer::Authenticate(const grpc::ServerContextBase* context) const {
  if (refusing_) {
    last_refusal_ns_ = absl::ToUnixNanos(absl::Now());
    return absl::UnavailableError("this replica is shutting down; retry on another replica");
  }
  absl::StatusOr<Principal> principal = AuthenticateMetadata(context->client_metadata());
  if (principal.ok()) {
    RpcCallRegistry::Global().Update(context, [&principal](RpcCallInfo& info) {
      info.authenticated = true;
      info.subject = principal->subject;
      info.via = principal->via;
      info.role = principal->role;
      info.scope = principal->organization;
    });
  }
  return principal;
}

absl::Status Authorizer::Authorize(const grpc::ServerContextBase* context,
                                   const Principal& principal, const AccessTarget& target) const {
  std::optional<RpcCallInfo> call = RpcCallRegistry::Global().Find(context);
  if (!call.has_value()) {
    return absl::InternalError("call not opened by the server runner's interceptor");
  }
  absl::Status access = CheckAccess(call->method, principal, target);
  RpcCallRegistry::Global().Update(context, [&](RpcCallInfo& info) {
    info.authorized = true;
    info.organization = target.organization;
    info.authenticated = true;
    info.subject = principal.subject;
    info.via = principal.via;
    info.role = principal.role;
    info.scope = principal.organization;
  });
  return access;
}

absl::StatusOr<Principal> Authorizer::Authorize(const grpc::ServerContextBase* context,
                                                const AccessTarget& target) const {
  absl::StatusOr<Principal> principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  absl::Status access = Authorize(context, *principal, target);
  if (!access.ok()) return access;
  return principal;
}

}  // namespace fieldwork
