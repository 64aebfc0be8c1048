// Read-modify-write of the attendance records of one event under optimistic concurrency: read the
// records (empty ones synthesized) and the finalization, let a pure computation change them, write
// the changes conditioned on what was read, and start over when another call changed them first.
// Different members' records never contend, so a check-in storm on one event retries nothing.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_RECORD_UPDATER_H_
#define FIELDWORK_SERVICES_ATTENDANCE_RECORD_UPDATER_H_

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"
#include "services/attendance/attendance_rules.h"
#include "services/attendance/attendance_store.h"

namespace fieldwork::attendance {

// The records of some members of one event as read.
struct RecordSnapshot {
  std::vector<std::string> members;
  // One per member: the stored record, or the empty one; the participant role is the event's.
  std::vector<v1::AttendanceRecord> records;
  // The finalization (event, finalize_time, finalized_by) when the event is finalized.
  std::optional<v1::AttendanceRecord> finalization;

  bool finalized() const { return finalization.has_value(); }

 private:
  friend class RecordUpdater;
  std::vector<std::optional<std::string>> stored_;
  std::optional<std::string> stored_finalization_;
};

// Some members of one event, to read.
struct EventRead {
  const EventFacts* event = nullptr;
  std::vector<std::string> members;
};

// What a computation wants written: the indexes of the changed records, and the finalization to
// store (FinalizeEvent only).
struct RecordPlan {
  std::vector<size_t> changed;
  std::optional<v1::AttendanceRecord> finalization;
};

class RecordUpdater {
 public:
  using Compute = std::function<absl::StatusOr<RecordPlan>(RecordSnapshot&)>;

  explicit RecordUpdater(const AttendanceStore& store) : store_(store) {}

  absl::StatusOr<RecordSnapshot> Read(const EventFacts& event,
                                      const std::vector<std::string>& members,
                                      absl::Time deadline) const;
  // The same for several events of one organization in one round trip; a snapshot per read.
  absl::StatusOr<std::vector<RecordSnapshot>> ReadEvents(const std::vector<EventRead>& reads,
                                                         absl::Time deadline) const;

  // Reads `members`' records, runs `compute` (which fills `response` from scratch: it is cleared
  // first) and writes its plan with the request record of `request`; on a concurrent change,
  // again. A failed `compute` writes nothing and is the answer. With `presume_empty` (a check-in,
  // usually the member's first action), the first try skips the read and writes on condition that
  // nothing is recorded yet, falling back to the read when that guess was wrong.
  absl::Status Update(const EventFacts& event, const std::vector<std::string>& members,
                      const RequestRecord& request, google::protobuf::Message& response,
                      absl::Time deadline, const Compute& compute,
                      bool presume_empty = false) const;

  // Update through AttendanceStore::ReadAsync and WriteAsync: `done` gets what Update would
  // return, on Redis's thread when the client PipelinesWithoutBlocking. `event`, `members`,
  // `request`, `response` and `compute` must outlive the call to `done`.
  void UpdateAsync(const EventFacts& event, const std::vector<std::string>& members,
                   const RequestRecord& request, google::protobuf::Message& response,
                   absl::Time deadline, const Compute& compute, bool presume_empty,
                   absl::AnyInvocable<void(absl::Status) &&> done) const;

 private:
  struct AsyncUpdate;
  // UpdateAsync's read-then-write tries, from try `attempt` on.
  void ReadThenWriteAsync(std::shared_ptr<AsyncUpdate> update, int attempt) const;
  // Apply through AttendanceStore::WriteAsync.
  void ApplyAsync(const EventFacts& event, RecordSnapshot& snapshot, const RequestRecord& request,
                  google::protobuf::Message& response, absl::Time deadline, const Compute& compute,
                  absl::AnyInvocable<void(absl::Status) &&> done) const;

  // What Apply writes: the changed records and the new finalization. Nothing when the plan
  // changes nothing and no request is recorded.
  struct PlannedWrite {
    std::vector<RecordWrite> records;
    std::optional<std::string> finalization;
  };
  // The snapshot of what the store found for `members` of `event`.
  static absl::StatusOr<RecordSnapshot> Snapshot(const EventFacts& event,
                                                 std::vector<std::string> members,
                                                 StoredRecords stored);
  RecordSnapshot PresumedEmpty(const EventFacts& event,
                               const std::vector<std::string>& members) const;
  // Runs `compute` on `snapshot` (filling `response`) and turns its plan into writes.
  static absl::StatusOr<std::optional<PlannedWrite>> Plan(RecordSnapshot& snapshot,
                                                          const RequestRecord& request,
                                                          google::protobuf::Message& response,
                                                          const Compute& compute);
  // Runs `compute` on `snapshot` and writes its plan conditioned on the snapshot.
  absl::Status Apply(const EventFacts& event, RecordSnapshot& snapshot,
                     const RequestRecord& request, google::protobuf::Message& response,
                     absl::Time deadline, const Compute& compute) const;

  const AttendanceStore& store_;
};

}  // namespace fieldwork::attendance

#endif  // FIELDWORK_SERVICES_ATTENDANCE_RECORD_UPDATER_H_
