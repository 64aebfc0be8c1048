// Per-caller rate limits (see call_rate_store.h).
#include "services/scheduling/call_rate_store.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "fieldwork/common/v1/error.pb.h"
#include "services/scheduling/civil_checks.h"
#include "common/api/error_reason.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {

absl::Status CallRateStore::Count(absl::string_view organization, absl::string_view method,
                                  absl::string_view caller, const CallRate& rate, absl::Time now,
                                  absl::Time deadline) const {
  const int64_t window_seconds = absl::ToInt64Seconds(rate.window);
  const int64_t window_start = absl::ToUnixSeconds(now) / window_seconds * window_seconds;
  const std::string key = keys::CallCount(organization, method, caller, window_start);
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"INCR", key}, {"EXPIRE", key, absl::StrCat(2 * window_seconds)}}, deadline);
  if (!replies.ok()) return replies.status();
  if ((*replies)[0].is_error()) return absl::InternalError((*replies)[0].str());
  if ((*replies)[0].integer() <= rate.calls) return absl::OkStatus();

  fieldwork::common::v1::RetryInfo retry;
  *retry.mutable_retry_delay() =
      ToProtoDuration(absl::FromUnixSeconds(window_start + window_seconds) - now);
  absl::Status exhausted = absl::ResourceExhaustedError(
      absl::StrCat(method, " allows ", rate.calls, " calls per caller every ",
                   absl::FormatDuration(rate.window), "; retry after the delay given"));
  exhausted.SetPayload(absl::StrCat("type.googleapis.com/",
                                    fieldwork::common::v1::RetryInfo::descriptor()->full_name()),
                       absl::Cord(retry.SerializeAsString()));
  return WithReason(exhausted, fieldwork::common::v1::ERROR_REASON_RATE_LIMITED);
}

}  // namespace fieldwork::scheduling
