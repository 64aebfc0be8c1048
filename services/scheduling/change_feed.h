// The organization's change feed: a capped Redis Stream of Change messages. Writers append in the
// same atomic step as the change itself (AppendChange gives the op); WatchChanges reads it from a
// cursor (the stream id) with ChangeFeedReader, so any replica serves any watcher and a client
// can resume.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CHANGE_FEED_H_
#define FIELDWORK_SERVICES_SCHEDULING_CHANGE_FEED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/change.pb.h"

namespace fieldwork::scheduling {

// Entries kept per organization (XADD MAXLEN ~): older cursors answer OUT_OF_RANGE.
inline constexpr int64_t kChangeFeedMaxLength = 100000;

// The cursor before every change: reading after it starts at the oldest retained one.
inline constexpr char kFeedStart[] = "0-0";

// The XADD that appends `change` (serialized in field "c"; its cursor is left empty and becomes
// the stream id Redis assigns).
WriteOp AppendChange(absl::string_view organization, const v1::Change& change);

// Whether `cursor` has the shape of a stream id ("<milliseconds>-<sequence>").
bool IsFeedCursor(absl::string_view cursor);

class ChangeFeedReader {
 public:
  explicit ChangeFeedReader(RedisClient* redis) : redis_(redis) {}

  // The cursor of the newest change (kFeedStart when there is none yet): where a watch "from
  // now" starts.
  absl::StatusOr<std::string> Newest(absl::string_view organization, absl::Time deadline) const;

  // OUT_OF_RANGE (ERROR_REASON_CURSOR_EXPIRED) when `cursor` lies before the oldest retained
  // change of a feed that was trimmed (changes after it may be gone), or beyond its newest change
  // (a cursor of another feed, or of one that was wiped).
  absl::Status CheckCursor(absl::string_view organization, absl::string_view cursor,
                           absl::Time deadline) const;

  // Up to `count` changes after `cursor`, oldest first, each with its cursor set; waits up to
  // `wait` (XREAD BLOCK, whole milliseconds, at least 1) for the first and answers none when
  // nothing came.
  absl::StatusOr<std::vector<v1::Change>> ReadAfter(absl::string_view organization,
                                                    absl::string_view cursor, int count,
                                                    absl::Duration wait, absl::Time deadline) const;

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CHANGE_FEED_H_
