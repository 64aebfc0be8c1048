// Times, dates and durations typed on the command line and shown in tables: "2026-12-03 09:00" in
// the organization's time zone or RFC 3339 with an offset; durations such as "90m" or "2h30m";
// dates "2026-12-03". Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_TIME_INPUT_H_
#define FIELDWORK_TOOLS_FIELDCTL_TIME_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace fieldwork::fieldctl {

// "YYYY-MM-DD HH:MM[:SS]" (or with "T") read in `zone`, "YYYY-MM-DD" (midnight in `zone`), or RFC
// 3339 with "Z" or an offset. INVALID_ARGUMENT showing the accepted forms otherwise.
absl::StatusOr<absl::Time> ParseTimeInput(absl::string_view text, const absl::TimeZone& zone);

// "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseDateInput(absl::string_view text);

// Go-style durations ("90m", "2h30m", "1h", "45s"); must be positive.
absl::StatusOr<absl::Duration> ParseDurationInput(absl::string_view text);

// "2026-12-03 09:00" (seconds shown only when not zero) in `zone`; "" for the Unix epoch, which is
// how an unset protobuf Timestamp reads.
std::string FormatTimeIn(absl::Time time, const absl::TimeZone& zone);

// Conversions between absl and the protobuf well-known types.
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToProtoTime(absl::Time time);
google::protobuf::Duration ToProtoDuration(absl::Duration duration);

// "2026-12-03 09:00–11:30" within one day, "2026-12-03 09:00 – 2026-12-04 17:00" across days.
std::string FormatTimeRangeIn(absl::Time start, absl::Time end, const absl::TimeZone& zone);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_TIME_INPUT_H_
