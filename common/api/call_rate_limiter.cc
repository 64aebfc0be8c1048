// Per-caller rate limits (see call_rate_limiter.h).
#include "common/api/call_rate_limiter.h"

#include <cstdint>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "fieldwork/common/v1/error.pb.h"

namespace fieldwork {

std::string CallRateLimiter::RedisKey(absl::string_view organization, absl::string_view method,
                                      absl::string_view caller, int64_t window_start) {
  return absl::StrCat("fw:{", organization, "}:calls:", method, ":", caller, ":", window_start);
}

absl::Status CallRateLimiter::Count(absl::string_view organization, absl::string_view method,
                                    absl::string_view caller, const CallRate& rate, absl::Time now,
                                    absl::Time deadline) const {
  const int64_t window_seconds = absl::ToInt64Seconds(rate.window);
  const int64_t window_start = absl::ToUnixSeconds(now) / window_seconds * window_seconds;
  const std::string key = RedisKey(organization, method, caller, window_start);
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"INCR", key}, {"EXPIRE", key, absl::StrCat(2 * window_seconds)}}, deadline);
  if (!replies.ok()) return replies.status();
  if ((*replies)[0].is_error()) return absl::InternalError((*replies)[0].str());
  if ((*replies)[0].integer() <= rate.calls) return absl::OkStatus();

  fieldwork::common::v1::RetryInfo retry;
  absl::Duration remainder;
  const absl::Duration delay = absl::FromUnixSeconds(window_start + window_seconds) - now;
  retry.mutable_retry_delay()->set_seconds(absl::IDivDuration(delay, absl::Seconds(1), &remainder));
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(remainder)));
  absl::Status exhausted = absl::ResourceExhaustedError(
      absl::StrCat(method, " allows ", rate.calls, " calls per caller every ",
                   absl::FormatDuration(rate.window), "; retry after the delay given"));
  exhausted.SetPayload(absl::StrCat("type.googleapis.com/",
                                    fieldwork::common::v1::RetryInfo::descriptor()->full_name()),
                       absl::Cord(retry.SerializeAsString()));
  return WithReason(exhausted, fieldwork::common::v1::ERROR_REASON_RATE_LIMITED);
}

}  // namespace fieldwork
