// What the scheduling handlers share: the Redis client, calendar locks, idempotency store, the
// authorizer and the timing settings. Built once in main.cc; stores are cheap views over it.
#ifndef FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_DEPS_H_
#define FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_DEPS_H_

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/redis/calendar_lock.h"
#include "common/redis/idempotency.h"
#include "common/redis/redis_client.h"

namespace fieldwork::scheduling {

struct SchedulingDeps {
  RedisClient* redis = nullptr;
  CalendarLocks* locks = nullptr;
  IdempotencyStore* idempotency = nullptr;
  const Authorizer* authorizer = nullptr;
  // Budget of one RPC's Redis work when the caller set no (or a longer) deadline.
  absl::Duration rpc_budget = absl::Seconds(5);
  // How long a booking waits for busy calendar locks before answering ABORTED.
  absl::Duration lock_wait = absl::Seconds(2);
  // TEST ONLY (--test-only-pause-before-booking-write): how long a booking sleeps between its
  // conflict check and its fenced write, so the pause test can stop the process (SIGSTOP) while
  // it holds calendar locks. Zero (the default) in every real deployment.
  absl::Duration test_only_pause_before_booking_write = absl::ZeroDuration();
  // TEST ONLY (--test-only-stop-before-booking-write): at that same point the process stops
  // itself (SIGSTOP) until the test sends SIGCONT, so the test knows for certain that it froze a
  // holder of calendar locks. False in every real deployment.
  bool test_only_stop_before_booking_write = false;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_SCHEDULING_DEPS_H_
