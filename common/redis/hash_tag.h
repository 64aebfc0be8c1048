// Redis Cluster hash tags and slots: which part of a key picks its slot, the slot itself (CRC16 of
// that part modulo 16384), and the check that every key one script or pipeline touches shares that
// part, so the operation stays legal on Redis Cluster.
#ifndef FIELDWORK_COMMON_REDIS_HASH_TAG_H_
#define FIELDWORK_COMMON_REDIS_HASH_TAG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fieldwork {

// The part of `key` Redis Cluster hashes: the text between the first '{' and the next '}' when it
// is non-empty, else the whole key. "fw:{org7}:lock:member:m1" → "org7".
absl::string_view HashTag(absl::string_view key);

inline constexpr int kClusterSlots = 16384;

// The Redis Cluster slot of `key`: CRC16 (XMODEM) of HashTag(key) modulo 16384, as CLUSTER
// KEYSLOT computes it.
int KeySlot(absl::string_view key);

// OK when every key has the same hash tag; INVALID_ARGUMENT naming two keys that differ otherwise.
// Every fieldwork key of one organization carries the tag {org}, so a failure here is a bug.
absl::Status CheckOneHashTag(const std::vector<std::string>& keys);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_HASH_TAG_H_
