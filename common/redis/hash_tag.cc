// Redis Cluster hash tags, key slots and the same-slot check for multi-key operations.
#include "common/redis/hash_tag.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace fieldwork {

absl::string_view HashTag(absl::string_view key) {
  const size_t open = key.find('{');
  if (open == absl::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == absl::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

int KeySlot(absl::string_view key) {
  uint16_t crc = 0;
  for (unsigned char byte : HashTag(key)) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc % kClusterSlots;
}

absl::Status CheckOneHashTag(const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (HashTag(key) != HashTag(keys.front())) {
      return absl::InvalidArgumentError(absl::StrCat("keys \"", keys.front(), "\" and \"", key,
                                                     "\" have different hash tags; one Redis "
                                                     "operation must stay within one hash tag"));
    }
  }
  return absl::OkStatus();
}

}  // namespace fieldwork
