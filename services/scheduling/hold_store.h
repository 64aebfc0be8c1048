// Hold records: the serialized Hold per id (kept 24 hours past its end of life, then dropped by
// Redis), the index of holds by creation time and the index of ACTIVE holds by expiry. Reads
// report a lapsed ACTIVE hold as EXPIRED even before the expiry sweep has recorded it.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HOLD_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_HOLD_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/hold.pb.h"

namespace fieldwork::scheduling {

// A hold as read, with the bytes it was read from (the precondition of a write built on it).
struct StoredHold {
  v1::Hold hold;  // as stored: an ACTIVE hold may have lapsed (see Effective)
  std::string raw;
};

class HoldStore {
 public:
  // How long released, confirmed and expired holds stay readable.
  static constexpr absl::Duration kKeptAfterEnd = absl::Hours(24);

  explicit HoldStore(RedisClient* redis) : redis_(redis) {}

  // NOT_FOUND when there is no such hold (or it was dropped 24 hours after its end).
  absl::StatusOr<StoredHold> Get(absl::string_view organization, absl::string_view hold_id,
                                 absl::Time deadline) const;

  // Every readable hold, ordered by creation time, then name (states as stored).
  absl::StatusOr<std::vector<v1::Hold>> List(absl::string_view organization, absl::Time now,
                                             absl::Time deadline) const;

  // Ids of ACTIVE holds whose expire_time has passed.
  absl::StatusOr<std::vector<std::string>> DueForExpiry(absl::string_view organization,
                                                        absl::Time now, absl::Time deadline) const;

  static Precondition Absent(absl::string_view organization, absl::string_view hold_id);
  static Precondition Unchanged(absl::string_view organization, absl::string_view hold_id,
                                const std::string& raw);
  static bool IsPreconditionOnHold(const absl::Status& status, absl::string_view organization,
                                   absl::string_view hold_id);

  // Stores `hold` with its indexes. An ACTIVE hold lives until its expire_time plus the 24 hours
  // it stays readable; any other state 24 hours from `now`.
  static void AddPut(absl::string_view organization, const v1::Hold& hold, absl::Time now,
                     AtomicWrite& write);

 private:
  RedisClient* const redis_;
};

// `hold` as callers see it at `now`: an ACTIVE hold past its expire_time is EXPIRED.
v1::Hold Effective(v1::Hold hold, absl::Time now);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HOLD_STORE_H_
