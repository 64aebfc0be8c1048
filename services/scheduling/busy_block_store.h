// Busy block records: the serialized BusyBlock per member and id, the index of each member's
// blocks and the index of every member's blocks, both by start time; and the ops that store or
// delete a block with its indexes in an atomic write.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/api/resource_names.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/busy_block.pb.h"

namespace fieldwork::scheduling {

inline constexpr absl::Duration kMinBusyBlockLength = absl::Minutes(5);
inline constexpr absl::Duration kMaxBusyBlockLength = absl::Hours(24 * 90);

struct StoredBusyBlock {
  v1::BusyBlock block;
  std::string raw;
};

class BusyBlockStore {
 public:
  explicit BusyBlockStore(RedisClient* redis) : redis_(redis) {}

  // NOT_FOUND when there is no such block.
  absl::StatusOr<StoredBusyBlock> Get(const BusyBlockName& name, absl::Time deadline) const;

  // The blocks of `member_id` (of every member when empty) overlapping `window`, ordered by start
  // time, then name.
  absl::StatusOr<std::vector<v1::BusyBlock>> List(absl::string_view organization,
                                                  absl::string_view member_id,
                                                  const Interval& window,
                                                  absl::Time deadline) const;

  static Precondition Absent(const BusyBlockName& name);
  static Precondition Unchanged(const BusyBlockName& name, const std::string& raw);
  static bool IsPreconditionOnBlock(const absl::Status& status, const BusyBlockName& name);

  static void AddPut(const BusyBlockName& name, const v1::BusyBlock& block, AtomicWrite& write);
  static void AddDelete(const BusyBlockName& name, AtomicWrite& write);

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BUSY_BLOCK_STORE_H_
