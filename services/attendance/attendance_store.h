// The attendance store: the only code that knows attendance's Redis keys (keys.h). Reads the
// records of an event's members with its finalization in one round trip, and writes changed
// records in one atomic step conditioned on what was read (optimistic concurrency: a concurrent
// change makes the write fail with IsPreconditionFailed and the caller reads again). The request
// record of a mutating RPC commits in the same step.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_STORE_H_
#define FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_STORE_H_

#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_client.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"

namespace fieldwork::attendance {

// What one read found: each requested member's stored record (nothing when none was written), and
// the event's finalization as stored.
struct StoredRecords {
  std::vector<std::optional<std::string>> records;
  std::optional<std::string> finalization;
};

// One event's members whose records to read.
struct EventMembers {
  absl::string_view event;
  const std::vector<std::string>* members = nullptr;
};

// One record to write: the member, its new value, and what the read found (the precondition).
struct RecordWrite {
  std::string member;
  std::string serialized;  // the record as stored
  const std::optional<std::string>* read = nullptr;
};

class AttendanceStore {
 public:
  // `redis` outlives the store.
  explicit AttendanceStore(RedisClient* redis) : redis_(redis) {}

  absl::StatusOr<StoredRecords> Read(absl::string_view organization, absl::string_view event,
                                     const std::vector<std::string>& members,
                                     absl::Time deadline) const;
  // The same for several events of one organization, in one round trip; one result per event.
  absl::StatusOr<std::vector<StoredRecords>> ReadEvents(absl::string_view organization,
                                                        const std::vector<EventMembers>& events,
                                                        absl::Time deadline) const;
  // Read through RedisClient::PipelineAsync: `done` gets what Read would return, on Redis's
  // thread when the client PipelinesWithoutBlocking. `members` is read before it returns.
  void ReadAsync(absl::string_view organization, absl::string_view event,
                 const std::vector<std::string>& members, absl::Time deadline,
                 absl::AnyInvocable<void(absl::StatusOr<StoredRecords>) &&> done) const;

  // Writes `records` if each still holds what was read and the finalization still is
  // `finalization_read`; `new_finalization` (when set) becomes the finalization in the same step.
  // `request` records `response` for replays.
  absl::Status Write(absl::string_view organization, absl::string_view event,
                     const std::vector<RecordWrite>& records,
                     const std::optional<std::string>& finalization_read,
                     const std::optional<std::string>& new_finalization,
                     const RequestRecord& request, const google::protobuf::Message& response,
                     absl::Time deadline) const;

  // Write through ApplyAtomicWriteAsync: `done` gets what Write would return, on Redis's thread
  // when the client PipelinesWithoutBlocking. Everything is read from the arguments before it
  // returns.
  void WriteAsync(absl::string_view organization, absl::string_view event,
                  const std::vector<RecordWrite>& records,
                  const std::optional<std::string>& finalization_read,
                  const std::optional<std::string>& new_finalization, const RequestRecord& request,
                  const google::protobuf::Message& response, absl::Time deadline,
                  absl::AnyInvocable<void(absl::Status) &&> done) const;

  // The organization's check-in code secret, created on first use.
  absl::StatusOr<std::string> CodeSecret(absl::string_view organization, absl::Time deadline) const;
  // The secret as this replica read it less than kSecretReuse ago; nullopt otherwise. A secret
  // never changes once stored, unless Redis loses it; then replicas agree again within that time.
  std::optional<std::string> KnownCodeSecret(absl::string_view organization) const;

  static constexpr absl::Duration kSecretReuse = absl::Seconds(60);

 private:
  struct KnownSecret {
    std::string secret;
    absl::Time read;
  };
  // The commands that read `events`, and where each event's replies start (one more entry: the
  // end of the last event's).
  struct EventsRead {
    std::vector<RedisCommand> commands;
    std::vector<size_t> first_command;
  };
  static EventsRead ReadCommands(absl::string_view organization,
                                 const std::vector<EventMembers>& events);
  // The records `read` found, one StoredRecords per event.
  static absl::StatusOr<std::vector<StoredRecords>> ParseReads(
      const EventsRead& read, absl::StatusOr<std::vector<RedisReply>> replies);
  // The atomic write behind Write and WriteAsync.
  absl::StatusOr<AtomicWrite> RecordsWrite(absl::string_view organization, absl::string_view event,
                                           const std::vector<RecordWrite>& records,
                                           const std::optional<std::string>& finalization_read,
                                           const std::optional<std::string>& new_finalization,
                                           const RequestRecord& request,
                                           const google::protobuf::Message& response) const;

  RedisClient* const redis_;
  mutable absl::Mutex secrets_mu_;
  mutable absl::flat_hash_map<std::string, KnownSecret> secrets_ ABSL_GUARDED_BY(secrets_mu_);
};

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_ATTENDANCE_STORE_H_
