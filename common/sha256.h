// SHA-256 of bytes: request fingerprints for safe retries, page-token filter digests, token hashes.
#ifndef FIELDWORK_COMMON_SHA256_H_
#define FIELDWORK_COMMON_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace fieldwork {

// The 32-byte digest (raw bytes, not hex).
std::string Sha256(absl::string_view bytes);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_SHA256_H_
