// Per-caller rate limits of the expensive read RPCs (FindSlots, ExportCalendar): a counter per
// organization, method, caller and fixed window in Redis, so every replica counts the same calls.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CALL_RATE_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_CALL_RATE_STORE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace fieldwork::scheduling {

struct CallRate {
  int calls = 0;          // allowed per window
  absl::Duration window;  // fixed windows aligned to the Unix epoch
};

// FindSlots and ExportCalendar: 30 calls per caller per 10 seconds.
inline constexpr CallRate kExpensiveReadRate{30, absl::Seconds(10)};

class CallRateStore {
 public:
  explicit CallRateStore(RedisClient* redis) : redis_(redis) {}

  // Counts one call of `method` by `caller`. RESOURCE_EXHAUSTED (ERROR_REASON_RATE_LIMITED, with
  // RetryInfo until the window ends) when it is over `rate`.
  absl::Status Count(absl::string_view organization, absl::string_view method,
                     absl::string_view caller, const CallRate& rate, absl::Time now,
                     absl::Time deadline) const;

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CALL_RATE_STORE_H_
