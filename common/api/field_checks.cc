// Shared field rules of API requests (see field_checks.h).
#include "common/api/field_checks.h"

#include "absl/strings/str_cat.h"

namespace fieldwork {
namespace {

constexpr size_t kMaxRequestIdLength = 64;

absl::Time Earliest() { return absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone()); }
absl::Time Latest() { return absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone()); }

// Records what is wrong with one instant; true when it is usable.
bool CheckInstant(absl::string_view field, const google::protobuf::Timestamp& timestamp,
                  FieldErrors& errors) {
  if (timestamp.nanos() != 0) {
    errors.Add(field, "must be whole seconds");
    return false;
  }
  const absl::Time time = ToTime(timestamp);
  if (time < Earliest() || time > Latest()) {
    errors.Add(field, "must lie within 2000-01-01 and 2100-01-01");
    return false;
  }
  return true;
}

std::string DurationText(absl::Duration duration) {
  if (duration >= absl::Hours(24) && duration % absl::Hours(24) == absl::ZeroDuration()) {
    return absl::StrCat(duration / absl::Hours(24), " days");
  }
  if (duration >= absl::Hours(1) && duration % absl::Hours(1) == absl::ZeroDuration()) {
    return absl::StrCat(duration / absl::Hours(1), " hours");
  }
  return absl::StrCat(duration / absl::Minutes(1), " minutes");
}

}  // namespace

void CheckRequestId(absl::string_view request_id, FieldErrors& errors) {
  if (request_id.size() > kMaxRequestIdLength) {
    errors.Add("request_id", "must be at most 64 characters");
    return;
  }
  for (const char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      errors.Add("request_id", "must be printable ASCII");
      return;
    }
  }
}

int32_t CheckPageSize(int32_t page_size, int32_t default_size, int32_t max_size,
                      FieldErrors& errors) {
  if (page_size == 0) return default_size;
  if (page_size < 0 || page_size > max_size) {
    errors.Add("page_size", absl::StrCat("must be 0-", max_size));
    return default_size;
  }
  return page_size;
}

std::optional<size_t> Utf8Length(absl::string_view text) {
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code_point = lead & 0x07;
    } else {
      return std::nullopt;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= text.size()) return std::nullopt;
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return std::nullopt;
    }
    i += extra + 1;
    ++chars;
  }
  return chars;
}

void CheckText(absl::string_view field, absl::string_view text, size_t min_chars, size_t max_chars,
               FieldErrors& errors) {
  const std::optional<size_t> length = Utf8Length(text);
  if (!length.has_value()) {
    errors.Add(field, "must be valid UTF-8");
  } else if (*length < min_chars || *length > max_chars) {
    errors.Add(field, absl::StrCat("must be ", min_chars, "-", max_chars, " characters"));
  }
}

std::optional<Interval> CheckTimeRange(absl::string_view field,
                                       const fieldwork::common::v1::TimeRange& range, bool present,
                                       absl::Duration min_length, absl::Duration max_length,
                                       FieldErrors& errors) {
  if (!present) {
    errors.Add(field, "is required");
    return std::nullopt;
  }
  const std::string start_field = absl::StrCat(field, ".start_time");
  const std::string end_field = absl::StrCat(field, ".end_time");
  bool usable = true;
  if (!range.has_start_time()) {
    errors.Add(start_field, "is required");
    usable = false;
  } else {
    usable = CheckInstant(start_field, range.start_time(), errors) && usable;
  }
  if (!range.has_end_time()) {
    errors.Add(end_field, "is required");
    usable = false;
  } else {
    usable = CheckInstant(end_field, range.end_time(), errors) && usable;
  }
  if (!usable) return std::nullopt;
  const Interval interval{ToTime(range.start_time()), ToTime(range.end_time())};
  if (interval.end <= interval.start) {
    errors.Add(end_field, "must be after start_time");
    return std::nullopt;
  }
  if (interval.length() < min_length || interval.length() > max_length) {
    errors.Add(field, absl::StrCat("must be ", DurationText(min_length), " to ",
                                   DurationText(max_length), " long"));
    return std::nullopt;
  }
  return interval;
}

std::optional<Interval> CheckFilterRange(absl::string_view field,
                                         const fieldwork::common::v1::TimeRange& range,
                                         FieldErrors& errors) {
  Interval interval{absl::InfinitePast(), absl::InfiniteFuture()};
  bool usable = true;
  if (range.has_start_time()) {
    usable = CheckInstant(absl::StrCat(field, ".start_time"), range.start_time(), errors);
    interval.start = ToTime(range.start_time());
  }
  if (range.has_end_time()) {
    usable = CheckInstant(absl::StrCat(field, ".end_time"), range.end_time(), errors) && usable;
    interval.end = ToTime(range.end_time());
  }
  if (!usable) return std::nullopt;
  if (interval.end <= interval.start) {
    errors.Add(absl::StrCat(field, ".end_time"), "must be after start_time");
    return std::nullopt;
  }
  return interval;
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

fieldwork::common::v1::TimeRange ToTimeRange(const Interval& interval) {
  fieldwork::common::v1::TimeRange range;
  *range.mutable_start_time() = ToTimestamp(interval.start);
  *range.mutable_end_time() = ToTimestamp(interval.end);
  return range;
}

}  // namespace fieldwork
