// The bearer tokens a server accepts, loaded from the tokens file. The file stores only the SHA-256
// of each token, so reading it (or a backup of it) does not reveal a usable token:
//
//   # fieldwork tokens: sha256 = `printf %s "$TOKEN" | sha256sum`
//   tokens:
//     - sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
//       subject: ops-admin
//       role: admin              # admin | org-admin | staff | member | service
//       organization: "*"        # "*" or empty: every organization (admin, service)
//     - sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//       subject: organizations/tongguan/members/m7
//       role: member
//       organization: tongguan
//
// The file must not be readable or writable by "other" users (mode 0600 or 0640).
#ifndef FIELDWORK_COMMON_TOKEN_STORE_H_
#define FIELDWORK_COMMON_TOKEN_STORE_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/principal.h"

namespace fieldwork {

// Lowercase hex SHA-256 of `text`.
std::string Sha256Hex(absl::string_view text);

class TokenStore {
 public:
  // Reads and parses `path`; FAILED_PRECONDITION when other users may read or write it,
  // NOT_FOUND/PERMISSION_DENIED when it cannot be read, INVALID_ARGUMENT when malformed.
  static absl::StatusOr<TokenStore> LoadFile(const std::string& path);
  // Parses the YAML text of a tokens file; INVALID_ARGUMENT naming the entry that is wrong.
  static absl::StatusOr<TokenStore> Parse(absl::string_view yaml);

  // The principal `token` stands for, if the store knows its hash.
  std::optional<Principal> Find(absl::string_view token) const;
  size_t size() const { return principals_by_hash_.size(); }

 private:
  absl::flat_hash_map<std::string, Principal> principals_by_hash_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_TOKEN_STORE_H_
