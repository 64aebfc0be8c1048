// Redis Cluster hash tags: which part of a key picks its slot, and the check that every key one
// script or pipeline touches shares that part, so the operation stays legal on Redis Cluster.
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

// OK when every key has the same hash tag; INVALID_ARGUMENT naming two keys that differ otherwise.
// Every fieldwork key of one organization carries the tag {org}, so a failure here is a bug.
absl::Status CheckOneHashTag(const std::vector<std::string>& keys);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_HASH_TAG_H_
