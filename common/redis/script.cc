// Lua scripts named by their SHA1.
#include "common/redis/script.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/strings/escaping.h"

namespace fieldwork {
namespace {

std::string Sha1Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

Script::Script(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)), sha1_(Sha1Hex(source_)) {}

}  // namespace fieldwork
