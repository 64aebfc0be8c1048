// Page tokens: web-safe base64 of "<filter digest>|<position>" (see page_token.h).
#include "common/api/page_token.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/sha256.h"

namespace fieldwork {

std::string FilterDigest(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> filters(request.New());
  filters->CopyFrom(request);
  for (const char* paging : {"page_token", "page_size"}) {
    const google::protobuf::FieldDescriptor* field =
        filters->GetDescriptor()->FindFieldByName(paging);
    if (field != nullptr) filters->GetReflection()->ClearField(filters.get(), field);
  }
  // Eight bytes of SHA-256 tell filters apart well enough; tokens are not secrets.
  const std::string digest = Sha256(filters->SerializeAsString());
  return absl::BytesToHexString(digest.substr(0, 8));
}

std::string EncodePageToken(absl::string_view digest, absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(digest, "|", position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view digest) {
  if (token.empty()) return std::string();
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded)) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  const size_t split = decoded.find('|');
  if (split == std::string::npos || split == decoded.size() - 1) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  if (absl::string_view(decoded).substr(0, split) != digest) {
    return InvalidField("page_token", "was issued for other filters");
  }
  return decoded.substr(split + 1);
}

std::string FormatPosition(int64_t key, absl::string_view name) {
  return absl::StrCat(key, ",", name);
}

namespace internal {

absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> ParsePosition(
    const std::string& position) {
  if (position.empty()) return std::nullopt;
  const size_t comma = position.find(',');
  int64_t key = 0;
  if (comma == std::string::npos || !absl::SimpleAtoi(position.substr(0, comma), &key)) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  return std::make_pair(key, position.substr(comma + 1));
}

}  // namespace internal

}  // namespace fieldwork
