// Reading, checking and refreshing the service's own token file.
#include "common/service_token.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fieldwork {
namespace {

struct TokenFile {
  std::string token;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
};

absl::StatusOr<struct stat> StatFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  return info;
}

int64_t MtimeNs(const struct stat& info) {
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

absl::StatusOr<TokenFile> ReadTokenFile(const std::string& path, const struct stat& info) {
  if ((info.st_mode & S_IROTH) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: mode %04o lets every user read the token; chmod 0600", path, info.st_mode & 07777));
  }
  std::ifstream file(path);
  if (!file) {
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  std::stringstream text;
  text << file.rdbuf();
  const std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty() || absl::StrContains(token, '\n') || absl::StrContains(token, ' ')) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": must hold one token on one line"));
  }
  return TokenFile{token, MtimeNs(info), static_cast<uint64_t>(info.st_ino)};
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceToken>> ServiceToken::Load(const std::string& path) {
  absl::StatusOr<struct stat> info = StatFile(path);
  if (!info.ok()) return info.status();
  absl::StatusOr<TokenFile> file = ReadTokenFile(path, *info);
  if (!file.ok()) return file.status();
  std::unique_ptr<ServiceToken> token(new ServiceToken(path, file->token));
  absl::MutexLock lock(&token->mu_);
  token->loaded_mtime_ns_ = file->mtime_ns;
  token->loaded_inode_ = file->inode;
  return token;
}

std::unique_ptr<ServiceToken> ServiceToken::Fixed(std::string token) {
  return std::unique_ptr<ServiceToken>(new ServiceToken("", std::move(token)));
}

std::string ServiceToken::Get() {
  absl::MutexLock lock(&mu_);
  if (path_.empty()) return token_;
  const absl::StatusOr<struct stat> info = StatFile(path_);
  if (!info.ok() || (MtimeNs(*info) == loaded_mtime_ns_ &&
                     static_cast<uint64_t>(info->st_ino) == loaded_inode_)) {
    return token_;
  }
  const absl::StatusOr<TokenFile> file = ReadTokenFile(path_, *info);
  if (file.ok()) {
    token_ = file->token;
    loaded_mtime_ns_ = file->mtime_ns;
    loaded_inode_ = file->inode;
  }
  return token_;
}

}  // namespace fieldwork
