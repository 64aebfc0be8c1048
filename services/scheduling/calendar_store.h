// Calendars: what occupies each member and venue, one sorted-set entry per booking (an event, a
// live hold or a busy block). Entries change only through fenced writes under the calendar's
// lock (DESIGN.md invariant 2); reads need no lock. Only this store knows the entry encoding.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CALENDAR_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_CALENDAR_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"

namespace fieldwork::scheduling {

struct CalendarEntry {
  std::string booked_by;  // resource name of the event, hold or busy block
  Interval interval;
  bool required = true;                         // false when the member takes part only optionally
  absl::Time expires = absl::InfiniteFuture();  // a hold's entry lapses with the hold

  bool live(absl::Time now) const { return expires > now; }
};

// Calendar reads gathered for one pipelined round trip: add calendars with their windows, send
// commands() (through CalendarStore::Read, or after a lock script), then parse the replies.
class CalendarReads {
 public:
  // The live entries of members' calendars that come closer than `buffer` to `window`.
  void AddMembers(absl::string_view organization, const std::vector<std::string>& member_ids,
                  const Interval& window, absl::Duration buffer);
  // The live entries of venues' calendars that overlap `window`.
  void AddVenues(absl::string_view organization, const std::vector<std::string>& venue_ids,
                 const Interval& window);

  bool empty() const { return commands_.empty(); }
  const std::vector<RedisCommand>& commands() const { return commands_; }

  // One list per calendar, in the order added, ordered by start; `replies` answer commands().
  absl::StatusOr<std::vector<std::vector<CalendarEntry>>> Parse(
      const std::vector<RedisReply>& replies, absl::Time now) const;

 private:
  struct Read {
    std::string key;
    absl::Time earliest_end;
    absl::Time latest_start;
  };
  void Add(std::string key, const Interval& window, absl::Duration buffer);

  std::vector<Read> reads_;
  std::vector<RedisCommand> commands_;
};

class CalendarStore {
 public:
  explicit CalendarStore(RedisClient* redis) : redis_(redis) {}

  // The live entries of each member's calendar that come closer than `buffer` to `window`, in
  // one pipelined round trip; result[i] belongs to member_ids[i], ordered by start.
  absl::StatusOr<std::vector<std::vector<CalendarEntry>>> ReadMemberCalendars(
      absl::string_view organization, const std::vector<std::string>& member_ids,
      const Interval& window, absl::Duration buffer, absl::Time now, absl::Time deadline) const;
  // The same for venues.
  absl::StatusOr<std::vector<std::vector<CalendarEntry>>> ReadVenueCalendars(
      absl::string_view organization, const std::vector<std::string>& venue_ids,
      const Interval& window, absl::Time now, absl::Time deadline) const;

  // Sends `reads` in one round trip and parses the replies.
  absl::StatusOr<std::vector<std::vector<CalendarEntry>>> Read(const CalendarReads& reads,
                                                               absl::Time now,
                                                               absl::Time deadline) const;

  // Ops for a fenced write: put or take an entry on a member's or venue's calendar.
  static WriteOp AddMemberEntry(absl::string_view organization, absl::string_view member_id,
                                const CalendarEntry& entry);
  static WriteOp RemoveMemberEntry(absl::string_view organization, absl::string_view member_id,
                                   const CalendarEntry& entry);
  static WriteOp AddVenueEntry(absl::string_view organization, absl::string_view venue_id,
                               const CalendarEntry& entry);
  static WriteOp RemoveVenueEntry(absl::string_view organization, absl::string_view venue_id,
                                  const CalendarEntry& entry);

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CALENDAR_STORE_H_
