// Per-caller rate limits of expensive RPCs (FindSlots, ExportCalendar, ExportReport): a counter per
// organization, method, caller and fixed window in Redis (fw:{org}:calls:{method}:{caller}:{window
// start}, expiring after two windows), so every replica of a service counts the same calls.
#ifndef FIELDWORK_COMMON_API_CALL_RATE_LIMITER_H_
#define FIELDWORK_COMMON_API_CALL_RATE_LIMITER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace fieldwork {

struct CallRate {
  int calls = 0;          // allowed per window
  absl::Duration window;  // fixed windows aligned to the Unix epoch
};

class CallRateLimiter {
 public:
  // `redis` outlives the limiter.
  explicit CallRateLimiter(RedisClient* redis) : redis_(redis) {}

  // The counter of `caller`'s calls of `method` in the window starting at `window_start`.
  static std::string RedisKey(absl::string_view organization, absl::string_view method,
                              absl::string_view caller, int64_t window_start);

  // Counts one call of `method` by `caller`. RESOURCE_EXHAUSTED (ERROR_REASON_RATE_LIMITED, with
  // RetryInfo until the window ends) when it is over `rate`.
  absl::Status Count(absl::string_view organization, absl::string_view method,
                     absl::string_view caller, const CallRate& rate, absl::Time now,
                     absl::Time deadline) const;

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_CALL_RATE_LIMITER_H_
