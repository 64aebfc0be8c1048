// Tokens file parsing (yaml-cpp), its permission check, and SHA-256 lookups (OpenSSL).
#include "common/token_store.h"

#include <openssl/sha.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "yaml-cpp/yaml.h"

namespace fieldwork {
namespace {

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 2 * SHA256_DIGEST_LENGTH) return false;
  for (const char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string ScalarOrEmpty(const YAML::Node& entry, const char* key) {
  const YAML::Node value = entry[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

absl::StatusOr<std::pair<std::string, Principal>> ParseEntry(const YAML::Node& entry) {
  if (!entry.IsMap()) return absl::InvalidArgumentError("must be a mapping");
  std::string hash = absl::AsciiStrToLower(ScalarOrEmpty(entry, "sha256"));
  if (!IsSha256Hex(hash)) {
    return absl::InvalidArgumentError("sha256 must be 64 hex digits (the hash, not the token)");
  }
  absl::StatusOr<Role> role = ParseRole(ScalarOrEmpty(entry, "role"));
  if (!role.ok()) return role.status();
  Principal principal;
  principal.subject = ScalarOrEmpty(entry, "subject");
  principal.role = *role;
  principal.organization = ScalarOrEmpty(entry, "organization");
  if (principal.organization.empty()) principal.organization = std::string(kAllOrganizations);
  absl::Status valid = ValidatePrincipal(principal);
  if (!valid.ok()) return valid;
  return std::make_pair(std::move(hash), std::move(principal));
}

}  // namespace

std::string Sha256Hex(absl::string_view text) { return absl::BytesToHexString(Sha256(text)); }

absl::StatusOr<TokenStore> TokenStore::Parse(absl::string_view yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("not valid YAML: ", e.what()));
  }
  const YAML::Node tokens = root.IsMap() ? root["tokens"] : YAML::Node();
  if (!tokens || !tokens.IsSequence()) {
    return absl::InvalidArgumentError("expected a top-level \"tokens:\" list");
  }
  TokenStore store;
  for (size_t i = 0; i < tokens.size(); ++i) {
    absl::StatusOr<std::pair<std::string, Principal>> entry = ParseEntry(tokens[i]);
    if (!entry.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens[", i, "]: ", entry.status().message()));
    }
    if (!store.principals_by_hash_.insert(std::move(*entry)).second) {
      return absl::InvalidArgumentError(absl::StrCat("tokens[", i, "]: duplicate sha256"));
    }
  }
  return store;
}

absl::StatusOr<TokenStore> TokenStore::LoadFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    const std::string message = absl::StrCat(path, ": ", std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(message) : absl::PermissionDeniedError(message);
  }
  if ((info.st_mode & (S_IROTH | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s: mode %04o lets every user read or change the tokens; chmod 0600 (or "
                        "0640 for a group) before starting",
                        path, info.st_mode & 07777));
  }
  std::ifstream file(path);
  if (!file) {
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<TokenStore> store = Parse(text.str());
  if (!store.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", store.status().message()));
  return store;
}

std::optional<Principal> TokenStore::Find(absl::string_view token) const {
  const auto it = principals_by_hash_.find(Sha256Hex(token));
  if (it == principals_by_hash_.end()) return std::nullopt;
  return it->second;
}

}  // namespace fieldwork
