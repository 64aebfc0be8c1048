// Event records: the serialized Event per id, the index of event ids by start time and the index
// of each member's events. Reads for the handlers and for other areas (slots, export), and the ops
// that put a new version of an event into an atomic write with its indexes.
#ifndef FIELDWORK_SERVICES_SCHEDULING_EVENT_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_EVENT_STORE_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/event.pb.h"

namespace fieldwork::scheduling {

// An event as read, with the bytes it was read from (the precondition of a write built on it).
struct StoredEvent {
  v1::Event event;
  std::string raw;
};

class EventStore {
 public:
  explicit EventStore(RedisClient* redis) : redis_(redis) {}

  // NOT_FOUND when the organization has no such event.
  absl::StatusOr<StoredEvent> Get(absl::string_view organization, absl::string_view event_id,
                                  absl::Time deadline) const;
  // The same, parsed into `event` (which may live on an arena, and must outlive the read) without
  // keeping the stored bytes; `done` gets the outcome, on Redis's thread when the client
  // PipelinesWithoutBlocking (RedisClient::PipelineAsync), so it must not block.
  void ReadAsync(absl::string_view organization, absl::string_view event_id, absl::Time deadline,
                 v1::Event& event, absl::AnyInvocable<void(absl::Status) &&> done) const;

  // The events of the organization whose time range overlaps `window` (either end may be
  // infinite), ordered by start time, then name.
  absl::StatusOr<std::vector<v1::Event>> ListOverlapping(absl::string_view organization,
                                                         const Interval& window,
                                                         absl::Time deadline) const;

  // The same, restricted to events `member_id` takes part in: resolved participants of booked,
  // completed and cancelled events, direct participants of drafts.
  absl::StatusOr<std::vector<v1::Event>> ListOfMember(absl::string_view organization,
                                                      absl::string_view member_id,
                                                      const Interval& window,
                                                      absl::Time deadline) const;

  // Ids of SCHEDULED events that ended by `now`, for automatic completion.
  absl::StatusOr<std::vector<std::string>> DueForCompletion(absl::string_view organization,
                                                            absl::Time now,
                                                            absl::Time deadline) const;

  // Write preconditions: no event `event_id` yet / the event still holds `raw`.
  static Precondition Absent(absl::string_view organization, absl::string_view event_id);
  static Precondition Unchanged(absl::string_view organization, absl::string_view event_id,
                                const std::string& raw);

  // Whether `status` is the failure of a write whose Absent/Unchanged precondition on this event
  // did not hold (the id was taken / the event changed since it was read).
  static bool IsPreconditionOnEvent(const absl::Status& status, absl::string_view organization,
                                    absl::string_view event_id);

  // Adds to `write` the ops that store `event` (its name gives the id) and keep the indexes;
  // `previous` is the version it replaces, or null for a new event.
  static void AddPut(absl::string_view organization, const v1::Event& event,
                     const v1::Event* previous, AtomicWrite& write);

 private:
  absl::StatusOr<std::vector<v1::Event>> ListFromIndex(absl::string_view organization,
                                                       const std::string& index_key,
                                                       const Interval& window,
                                                       absl::Time deadline) const;

  RedisClient* const redis_;
};

// The member ids an event is indexed under (see ListOfMember).
std::vector<std::string> IndexedMemberIds(const v1::Event& event);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_EVENT_STORE_H_
