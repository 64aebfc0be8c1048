// Field rules for civil-time values and settings durations (protos/README.md, organization.proto,
// member.proto): civil dates 2000–2100, times of day and their ranges, whole-minute durations
// within bounds, enum values. Each check records its violations in FieldErrors under the caller's
// field path and returns the value when usable. Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CIVIL_CHECKS_H_
#define FIELDWORK_SERVICES_SCHEDULING_CIVIL_CHECKS_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "fieldwork/common/v1/civil_time.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/scheduling/calendar_rules.h"

namespace fieldwork::scheduling {

// A date of 2000–2100 that exists (no 2月30日).
std::optional<absl::CivilDay> CheckCivilDate(absl::string_view field,
                                             const fieldwork::common::v1::CivilDate& date,
                                             FieldErrors& errors);

// `min_count`–`max_count` ranges, each with start and end set, start < end, minute precision (24:00
// only as an end), sorted and not overlapping. Returns them as minutes after midnight.
std::optional<std::vector<WorkingPeriod>> CheckTimeOfDayRanges(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<fieldwork::common::v1::TimeOfDayRange>& ranges,
    int min_count, int max_count, FieldErrors& errors);

// A duration of whole minutes within [min, max].
void CheckWholeMinutes(absl::string_view field, const google::protobuf::Duration& duration,
                       absl::Duration min, absl::Duration max, FieldErrors& errors);

// A number within [min, max] with at most two decimals.
void CheckHundredths(absl::string_view field, double value, double min, double max,
                     FieldErrors& errors);

// An enum value the proto defines other than its zero (UNSPECIFIED) value.
// CheckRequiredEnum("member.role", role, v1::MemberRole_IsValid, errors).
void CheckRequiredEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       FieldErrors& errors);
// The same where UNSPECIFIED is allowed (it means "default" or "any").
void CheckOptionalEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       FieldErrors& errors);

absl::Duration ToDuration(const google::protobuf::Duration& duration);
google::protobuf::Duration ToProtoDuration(absl::Duration duration);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CIVIL_CHECKS_H_
