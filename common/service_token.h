// This service's own bearer token for calls to other fieldwork services, read from a file that is
// re-read whenever it changes (a rotated Kubernetes Secret applies without a restart). The file
// holds the token alone (surrounding whitespace ignored) and must not be readable by other users.
#ifndef FIELDWORK_COMMON_SERVICE_TOKEN_H_
#define FIELDWORK_COMMON_SERVICE_TOKEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace fieldwork {

class ServiceToken {
 public:
  // Reads `path`; FAILED_PRECONDITION when other users may read it, INVALID_ARGUMENT when empty
  // or not one line, NOT_FOUND when missing.
  static absl::StatusOr<std::unique_ptr<ServiceToken>> Load(const std::string& path);
  // A fixed token, e.g. empty for development servers that accept every caller.
  static std::unique_ptr<ServiceToken> Fixed(std::string token);

  // The current token; re-reads the file first when it changed, keeping the last good token if
  // the new contents are unusable.
  std::string Get() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ServiceToken(std::string path, std::string token)
      : path_(std::move(path)), token_(std::move(token)) {}

  const std::string path_;  // empty for Fixed
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  int64_t loaded_mtime_ns_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t loaded_inode_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_SERVICE_TOKEN_H_
