// Field rules shared by every service's requests (protos/README.md conventions): request_id,
// page_size, UTF-8 text lengths in characters, time ranges within 2000–2100 in whole seconds.
// Each check records its violations in FieldErrors under the caller's field path. Pure: no I/O.
#ifndef FIELDWORK_COMMON_API_FIELD_CHECKS_H_
#define FIELDWORK_COMMON_API_FIELD_CHECKS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/errors.h"
#include "fieldwork/common/v1/time_range.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace fieldwork {

// ≤ 64 printable ASCII characters; "" allowed (no deduplication).
void CheckRequestId(absl::string_view request_id, FieldErrors& errors);

// 0 → `default_size`; 1–`max_size`; anything else is recorded under "page_size".
int32_t CheckPageSize(int32_t page_size, int32_t default_size, int32_t max_size,
                      FieldErrors& errors);

// Valid UTF-8 of `min_chars`–`max_chars` code points.
void CheckText(absl::string_view field, absl::string_view text, size_t min_chars, size_t max_chars,
               FieldErrors& errors);
// Code points in valid UTF-8; nothing for invalid UTF-8.
std::optional<size_t> Utf8Length(absl::string_view text);

// A resource's required range: both ends set, whole seconds, within 2000–2100, end after start,
// length within [min_length, max_length]. Returns the interval when valid.
std::optional<Interval> CheckTimeRange(absl::string_view field,
                                       const fieldwork::common::v1::TimeRange& range, bool present,
                                       absl::Duration min_length, absl::Duration max_length,
                                       FieldErrors& errors);

// A filter range: either end may be open (→ InfinitePast / InfiniteFuture); set ends lie within
// 2000–2100; end after start when both are set.
std::optional<Interval> CheckFilterRange(absl::string_view field,
                                         const fieldwork::common::v1::TimeRange& range,
                                         FieldErrors& errors);

absl::Time ToTime(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToTimestamp(absl::Time time);
fieldwork::common::v1::TimeRange ToTimeRange(const Interval& interval);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_FIELD_CHECKS_H_
