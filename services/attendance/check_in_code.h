// Rotating check-in codes (签到码), pure: a 6-digit code per event and 30-second time step, the
// HMAC-SHA256 of the event name and the step under the organization's secret, truncated as in
// RFC 4226. The current and the previous step are accepted, so a code sent to an absent colleague
// stops working within a minute (代签). No I/O.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_CHECK_IN_CODE_H_
#define FIELDWORK_SERVICES_ATTENDANCE_CHECK_IN_CODE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace fieldwork::attendance {

inline constexpr absl::Duration kCodeStep = absl::Seconds(30);

// The step `time` falls in: floor(unix seconds / 30).
int64_t CodeStepOf(absl::Time time);
// When `step` starts.
absl::Time CodeStepStart(int64_t step);

// The code of `event_name` in `step`: 6 ASCII digits.
std::string CheckInCode(absl::string_view secret, absl::string_view event_name, int64_t step);

// Whether `code` is the code of the step of `now` or of the step before it.
bool AcceptsCheckInCode(absl::string_view secret, absl::string_view event_name,
                        absl::string_view code, absl::Time now);

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_CHECK_IN_CODE_H_
