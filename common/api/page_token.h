// Opaque page tokens (protos/README.md "Lists"): the position after the last item of a page, tied
// to the filters it was issued for, so a token reused with other filters is refused.
#ifndef FIELDWORK_COMMON_API_PAGE_TOKEN_H_
#define FIELDWORK_COMMON_API_PAGE_TOKEN_H_

#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fieldwork {

// A digest of `request` without its page_token and page_size fields: what a token is tied to.
std::string FilterDigest(const google::protobuf::Message& request);

// The token for resuming after `position` under the filters of `digest`.
std::string EncodePageToken(absl::string_view digest, absl::string_view position);

// The position `token` resumes after; "" for an empty token. INVALID_ARGUMENT on field page_token
// for a malformed token or one issued for other filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view digest);

// Positions in lists ordered by an integer key (a start or creation time), then name:
// "<key>,<name>".
std::string FormatPosition(int64_t key, absl::string_view name);

// The items of `items` (sorted by (key_of(item), item.name())) after the position `after` ("" for
// the first page), at most `page_size`; `next_position` is the position of the last one when more
// follow, else "". INVALID_ARGUMENT on field page_token for a malformed position.
template <typename Item, typename KeyOf>
absl::StatusOr<std::vector<Item>> PageAfter(std::vector<Item> items, const std::string& after,
                                            int page_size, KeyOf key_of,
                                            std::string& next_position);

namespace internal {
// (key, name) of a position; nothing for "".
absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> ParsePosition(
    const std::string& position);
}  // namespace internal

template <typename Item, typename KeyOf>
absl::StatusOr<std::vector<Item>> PageAfter(std::vector<Item> items, const std::string& after,
                                            int page_size, KeyOf key_of,
                                            std::string& next_position) {
  auto position = internal::ParsePosition(after);
  if (!position.ok()) return position.status();
  size_t first = 0;
  if (position->has_value()) {
    const auto& [after_key, after_name] = **position;
    while (first < items.size()) {
      const int64_t key = key_of(items[first]);
      if (key > after_key || (key == after_key && items[first].name() > after_name)) break;
      ++first;
    }
  }
  const size_t last = std::min(items.size(), first + static_cast<size_t>(page_size));
  std::vector<Item> page;
  for (size_t i = first; i < last; ++i) page.push_back(std::move(items[i]));
  next_position.clear();
  if (last < items.size() && !page.empty()) {
    next_position = FormatPosition(key_of(page.back()), page.back().name());
  }
  return page;
}

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_PAGE_TOKEN_H_
