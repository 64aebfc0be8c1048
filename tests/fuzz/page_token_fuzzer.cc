// Page tokens (common/api/page_token.cc) against any bytes: decoding never crashes; a token that
// decodes re-encodes to one that decodes to the same position; any position survives an encode /
// decode round trip and is refused under other filters; list positions round-trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/api/page_token.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fieldwork::DecodePageToken;
  using fieldwork::EncodePageToken;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string digest = "digest-of-the-filters";
  const std::string other_digest = "digest-of-other-filters";

  // "" is the first page, which no token encodes.
  if (const absl::StatusOr<std::string> position = DecodePageToken(input, digest);
      position.ok() && !position->empty()) {
    const absl::StatusOr<std::string> again =
        DecodePageToken(EncodePageToken(digest, *position), digest);
    FUZZ_CHECK(again.ok() && *again == *position);
  }

  if (!input.empty()) {
    const std::string token = EncodePageToken(digest, input);
    const absl::StatusOr<std::string> decoded = DecodePageToken(token, digest);
    FUZZ_CHECK(decoded.ok() && *decoded == input);
    FUZZ_CHECK(!DecodePageToken(token, other_digest).ok());
  }

  const auto position = fieldwork::internal::ParsePosition(input);
  if (position.ok() && position->has_value()) {
    const auto& [key, name] = **position;
    const auto again = fieldwork::internal::ParsePosition(fieldwork::FormatPosition(key, name));
    FUZZ_CHECK(again.ok() && again->has_value() && **again == **position);
  }
  return 0;
}
