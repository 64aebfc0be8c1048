// Parsing and formatting of command-line times in the organization's time zone.
#include "tools/fieldctl/time_input.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace fieldwork::fieldctl {
namespace {

constexpr const char* kCivilFormats[] = {"%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                                         "%Y-%m-%dT%H:%M:%S"};

}  // namespace

absl::StatusOr<absl::Time> ParseTimeInput(absl::string_view text, const absl::TimeZone& zone) {
  const std::string input(absl::StripAsciiWhitespace(text));
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, input, &time, &error)) return time;
  for (const char* format : kCivilFormats) {
    if (absl::ParseTime(format, input, zone, &time, &error)) return time;
  }
  absl::CivilDay day;
  if (absl::ParseCivilTime(input, &day)) return absl::FromCivil(day, zone);
  return absl::InvalidArgumentError(
      absl::StrCat("\"", input,
                   "\" is not a time: use \"2026-12-03 09:00\" (organization time zone) or RFC "
                   "3339 such as \"2026-12-03T09:00:00+08:00\""));
}

absl::StatusOr<absl::CivilDay> ParseDateInput(absl::string_view text) {
  absl::CivilDay day;
  const std::string input(absl::StripAsciiWhitespace(text));
  if (input.size() == 10 && absl::ParseCivilTime(input, &day)) return day;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", input, "\" is not a date: use YYYY-MM-DD, e.g. 2026-12-03"));
}

absl::StatusOr<absl::Duration> ParseDurationInput(absl::string_view text) {
  absl::Duration duration;
  const std::string input(absl::StripAsciiWhitespace(text));
  if (!absl::ParseDuration(input, &duration) || duration <= absl::ZeroDuration() ||
      duration == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", input, "\" is not a duration: use e.g. 90m, 2h or 2h30m"));
  }
  return duration;
}

std::string FormatTimeIn(absl::Time time, const absl::TimeZone& zone) {
  if (time == absl::UnixEpoch()) return "";
  const absl::CivilSecond civil = absl::ToCivilSecond(time, zone);
  return absl::FormatTime(civil.second() == 0 ? "%Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M:%S", time, zone);
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return timestamp;
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration proto;
  const int64_t seconds = absl::ToInt64Seconds(duration);
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>((duration - absl::Seconds(seconds)) / absl::Nanoseconds(1)));
  return proto;
}

std::string FormatTimeRangeIn(absl::Time start, absl::Time end, const absl::TimeZone& zone) {
  const std::string from = FormatTimeIn(start, zone);
  const std::string to = FormatTimeIn(end, zone);
  if (absl::ToCivilDay(start, zone) == absl::ToCivilDay(end, zone)) {
    return absl::StrCat(from, "–", to.substr(11));
  }
  return absl::StrCat(from, " – ", to);
}

}  // namespace fieldwork::fieldctl
