// Civil-time and settings field rules (see civil_checks.h).
#include "services/scheduling/civil_checks.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

// Minutes after midnight of `time`, or nothing (recorded) when out of range.
std::optional<int> CheckTimeOfDay(absl::string_view field,
                                  const fieldwork::common::v1::TimeOfDay& time, bool is_end,
                                  FieldErrors& errors) {
  const bool midnight_end = is_end && time.hours() == 24 && time.minutes() == 0;
  if (!midnight_end && (time.hours() < 0 || time.hours() > 23)) {
    errors.Add(absl::StrCat(field, ".hours"),
               is_end ? "must be 0-23, or 24 with minutes 0" : "must be 0-23");
    return std::nullopt;
  }
  if (time.minutes() < 0 || time.minutes() > 59) {
    errors.Add(absl::StrCat(field, ".minutes"), "must be 0-59");
    return std::nullopt;
  }
  return time.hours() * 60 + time.minutes();
}

}  // namespace

std::optional<absl::CivilDay> CheckCivilDate(absl::string_view field,
                                             const fieldwork::common::v1::CivilDate& date,
                                             FieldErrors& errors) {
  if (date.year() < 2000 || date.year() > 2100) {
    errors.Add(absl::StrCat(field, ".year"), "must be 2000-2100");
    return std::nullopt;
  }
  if (date.month() < 1 || date.month() > 12) {
    errors.Add(absl::StrCat(field, ".month"), "must be 1-12");
    return std::nullopt;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.day() < 1 || day.month() != date.month() || day.day() != date.day()) {
    errors.Add(absl::StrCat(field, ".day"), "must be a day of the month");
    return std::nullopt;
  }
  return day;
}

std::optional<std::vector<WorkingPeriod>> CheckTimeOfDayRanges(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<fieldwork::common::v1::TimeOfDayRange>& ranges,
    int min_count, int max_count, FieldErrors& errors) {
  if (ranges.size() < min_count || ranges.size() > max_count) {
    errors.Add(field, absl::StrCat("must hold ", min_count, "-", max_count, " periods"));
    return std::nullopt;
  }
  std::vector<WorkingPeriod> periods;
  bool usable = true;
  for (int i = 0; i < ranges.size(); ++i) {
    const std::string path = absl::StrCat(field, "[", i, "]");
    const auto& range = ranges[i];
    if (!range.has_start()) errors.Add(absl::StrCat(path, ".start"), "is required");
    if (!range.has_end()) errors.Add(absl::StrCat(path, ".end"), "is required");
    if (!range.has_start() || !range.has_end()) {
      usable = false;
      continue;
    }
    const std::optional<int> start =
        CheckTimeOfDay(absl::StrCat(path, ".start"), range.start(), false, errors);
    const std::optional<int> end =
        CheckTimeOfDay(absl::StrCat(path, ".end"), range.end(), true, errors);
    if (!start.has_value() || !end.has_value()) {
      usable = false;
      continue;
    }
    if (*end <= *start) {
      errors.Add(absl::StrCat(path, ".end"), "must be after start");
      usable = false;
      continue;
    }
    if (!periods.empty() && *start < periods.back().end_minute) {
      errors.Add(path, "must start after the previous period ends (sorted, not overlapping)");
      usable = false;
      continue;
    }
    periods.push_back(WorkingPeriod{*start, std::min(*end, kMinutesPerDay)});
  }
  if (!usable) return std::nullopt;
  return periods;
}

void CheckWholeMinutes(absl::string_view field, const google::protobuf::Duration& duration,
                       absl::Duration min, absl::Duration max, FieldErrors& errors) {
  const absl::Duration value = ToDuration(duration);
  if (duration.nanos() != 0 || duration.seconds() % 60 != 0) {
    errors.Add(field, "must be whole minutes");
  } else if (value < min || value > max) {
    errors.Add(field, absl::StrCat("must be ", absl::FormatDuration(min), " to ",
                                   absl::FormatDuration(max)));
  }
}

void CheckHundredths(absl::string_view field, double value, double min, double max,
                     FieldErrors& errors) {
  if (!std::isfinite(value) || value < min || value > max) {
    errors.Add(field, absl::StrCat("must be ", min, " to ", max));
    return;
  }
  const double hundredths = value * 100;
  if (std::fabs(hundredths - std::round(hundredths)) > 1e-6) {
    errors.Add(field, "must have at most 2 decimals");
  }
}

void CheckRequiredEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       FieldErrors& errors) {
  if (value == 0) {
    errors.Add(field, "is required");
  } else if (!is_valid(value)) {
    errors.Add(field, "is not a known value");
  }
}

void CheckOptionalEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       FieldErrors& errors) {
  if (!is_valid(value)) errors.Add(field, "is not a known value");
}

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration proto;
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1), &duration);
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
  return proto;
}

}  // namespace fieldwork::scheduling
