// Read-modify-write of attendance records (see record_updater.h).
#include "services/attendance/record_updater.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_status.h"

namespace fieldwork::attendance {
namespace {

// Each retry means another call changed one of the same records in between; more than a few in a
// row means heavy contention on one member's record, answered ABORTED (safe to retry).
constexpr int kMaxAttempts = 8;

}  // namespace

absl::StatusOr<RecordSnapshot> RecordUpdater::Read(const EventFacts& event,
                                                   const std::vector<std::string>& members,
                                                   absl::Time deadline) const {
  absl::StatusOr<StoredRecords> stored =
      store_.Read(event.organization, event.event_id, members, deadline);
  if (!stored.ok()) return stored.status();
  return Snapshot(event, members, *std::move(stored));
}

absl::StatusOr<std::vector<RecordSnapshot>> RecordUpdater::ReadEvents(
    const std::vector<EventRead>& reads, absl::Time deadline) const {
  if (reads.empty()) return std::vector<RecordSnapshot>();
  std::vector<EventMembers> events;
  events.reserve(reads.size());
  for (const EventRead& read : reads) events.push_back({read.event->event_id, &read.members});
  absl::StatusOr<std::vector<StoredRecords>> stored =
      store_.ReadEvents(reads.front().event->organization, events, deadline);
  if (!stored.ok()) return stored.status();
  std::vector<RecordSnapshot> snapshots;
  snapshots.reserve(reads.size());
  for (size_t i = 0; i < reads.size(); ++i) {
    absl::StatusOr<RecordSnapshot> snapshot =
        Snapshot(*reads[i].event, reads[i].members, std::move((*stored)[i]));
    if (!snapshot.ok()) return snapshot.status();
    snapshots.push_back(*std::move(snapshot));
  }
  return snapshots;
}

absl::StatusOr<RecordSnapshot> RecordUpdater::Snapshot(const EventFacts& event,
                                                       std::vector<std::string> members,
                                                       StoredRecords stored) {
  RecordSnapshot snapshot;
  snapshot.members = std::move(members);
  snapshot.stored_ = std::move(stored.records);
  snapshot.stored_finalization_ = std::move(stored.finalization);
  if (snapshot.stored_finalization_.has_value()) {
    snapshot.finalization.emplace();
    if (!snapshot.finalization->ParseFromString(*snapshot.stored_finalization_)) {
      return absl::DataLossError(absl::StrCat("unreadable finalization of ", event.event_name));
    }
  }
  snapshot.records.reserve(snapshot.members.size());
  for (size_t i = 0; i < snapshot.members.size(); ++i) {
    const std::string& member = snapshot.members[i];
    v1::AttendanceRecord record = EmptyRecord(event, member);
    if (snapshot.stored_[i].has_value() && !record.ParseFromString(*snapshot.stored_[i])) {
      return absl::DataLossError(absl::StrCat("unreadable attendance record ", record.name()));
    }
    if (!record.finalized()) {
      record.set_participant_role(EmptyRecord(event, member).participant_role());
    }
    snapshot.records.push_back(std::move(record));
  }
  return snapshot;
}

RecordSnapshot RecordUpdater::PresumedEmpty(const EventFacts& event,
                                            const std::vector<std::string>& members) const {
  RecordSnapshot snapshot;
  snapshot.members = members;
  snapshot.stored_.assign(members.size(), std::nullopt);
  for (const std::string& member : members) snapshot.records.push_back(EmptyRecord(event, member));
  return snapshot;
}

absl::StatusOr<std::optional<RecordUpdater::PlannedWrite>> RecordUpdater::Plan(
    RecordSnapshot& snapshot, const RequestRecord& request, google::protobuf::Message& response,
    const Compute& compute) {
  response.Clear();
  absl::StatusOr<RecordPlan> plan = compute(snapshot);
  if (!plan.ok()) return plan.status();
  PlannedWrite planned;
  bool any_changed = false;
  for (size_t index : plan->changed) {
    std::string serialized = snapshot.records[index].SerializeAsString();
    any_changed = any_changed || snapshot.stored_[index] != serialized;
    planned.records.push_back(
        {snapshot.members[index], std::move(serialized), &snapshot.stored_[index]});
  }
  // Nothing to write (a repeated check-in leaves its record as it was read): the answer stands on
  // the one consistent read it was computed from. Anything else is written with every record's
  // precondition, unchanged ones included.
  if (!any_changed && !plan->finalization.has_value() && !request.enabled()) return std::nullopt;
  if (plan->finalization.has_value()) {
    planned.finalization = plan->finalization->SerializeAsString();
  }
  return planned;
}

absl::Status RecordUpdater::Apply(const EventFacts& event, RecordSnapshot& snapshot,
                                  const RequestRecord& request, google::protobuf::Message& response,
                                  absl::Time deadline, const Compute& compute) const {
  absl::StatusOr<std::optional<PlannedWrite>> planned = Plan(snapshot, request, response, compute);
  if (!planned.ok()) return planned.status();
  if (!planned->has_value()) return absl::OkStatus();
  return store_.Write(event.organization, event.event_id, (*planned)->records,
                      snapshot.stored_finalization_, (*planned)->finalization, request, response,
                      deadline);
}

void RecordUpdater::ApplyAsync(const EventFacts& event, RecordSnapshot& snapshot,
                               const RequestRecord& request, google::protobuf::Message& response,
                               absl::Time deadline, const Compute& compute,
                               absl::AnyInvocable<void(absl::Status) &&> done) const {
  absl::StatusOr<std::optional<PlannedWrite>> planned = Plan(snapshot, request, response, compute);
  if (!planned.ok()) return std::move(done)(planned.status());
  if (!planned->has_value()) return std::move(done)(absl::OkStatus());
  // WriteAsync reads the records and the snapshot before it returns.
  store_.WriteAsync(event.organization, event.event_id, (*planned)->records,
                    snapshot.stored_finalization_, (*planned)->finalization, request, response,
                    deadline, std::move(done));
}

// What UpdateAsync's tries share; the references outlive `done` (UpdateAsync's contract).
struct RecordUpdater::AsyncUpdate {
  const EventFacts& event;
  const std::vector<std::string>& members;
  const RequestRecord& request;
  google::protobuf::Message& response;
  const absl::Time deadline;
  const Compute& compute;
  absl::AnyInvocable<void(absl::Status) &&> done;
};

void RecordUpdater::UpdateAsync(const EventFacts& event, const std::vector<std::string>& members,
                                const RequestRecord& request, google::protobuf::Message& response,
                                absl::Time deadline, const Compute& compute, bool presume_empty,
                                absl::AnyInvocable<void(absl::Status) &&> done) const {
  auto update = std::make_shared<AsyncUpdate>(
      AsyncUpdate{event, members, request, response, deadline, compute, std::move(done)});
  if (!presume_empty) return ReadThenWriteAsync(std::move(update), 0);
  // As in Update: the guess first; its refusal or failed precondition is not trusted.
  RecordSnapshot guess = PresumedEmpty(event, members);
  ApplyAsync(event, guess, request, response, deadline, compute,
             [this, update](absl::Status written) mutable {
               if (written.ok() || update->request.LostRace(written) ||
                   absl::IsUnavailable(written) || absl::IsDeadlineExceeded(written)) {
                 return std::move(update->done)(written);
               }
               ReadThenWriteAsync(std::move(update), 0);
             });
}

void RecordUpdater::ReadThenWriteAsync(std::shared_ptr<AsyncUpdate> update, int attempt) const {
  if (attempt == kMaxAttempts) {
    return std::move(update->done)(absl::AbortedError(
        absl::StrCat("attendance of ", update->event.event_name,
                     " kept changing while this call ran; retry with the same request_id")));
  }
  store_.ReadAsync(
      update->event.organization, update->event.event_id, update->members, update->deadline,
      [this, update, attempt](absl::StatusOr<StoredRecords> stored) mutable {
        if (!stored.ok()) return std::move(update->done)(stored.status());
        absl::StatusOr<RecordSnapshot> snapshot =
            Snapshot(update->event, update->members, *std::move(stored));
        if (!snapshot.ok()) return std::move(update->done)(snapshot.status());
        // The write's preconditions point into the snapshot until WriteAsync returns.
        ApplyAsync(update->event, *snapshot, update->request, update->response, update->deadline,
                   update->compute, [this, update, attempt](absl::Status written) mutable {
                     if (!IsPreconditionFailed(written) || update->request.LostRace(written)) {
                       return std::move(update->done)(written);
                     }
                     ReadThenWriteAsync(std::move(update), attempt + 1);
                   });
      });
}

absl::Status RecordUpdater::Update(const EventFacts& event, const std::vector<std::string>& members,
                                   const RequestRecord& request,
                                   google::protobuf::Message& response, absl::Time deadline,
                                   const Compute& compute, bool presume_empty) const {
  if (presume_empty) {
    // One round trip instead of two when nothing is recorded yet; the write's preconditions
    // (records and finalization absent) make a wrong guess write nothing. A refusal computed
    // from the guess is not trusted either: the real records may answer differently.
    RecordSnapshot guess = PresumedEmpty(event, members);
    const absl::Status written = Apply(event, guess, request, response, deadline, compute);
    if (written.ok() || request.LostRace(written)) return written;
    if (absl::IsUnavailable(written) || absl::IsDeadlineExceeded(written)) return written;
  }
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    absl::StatusOr<RecordSnapshot> snapshot = Read(event, members, deadline);
    if (!snapshot.ok()) return snapshot.status();
    const absl::Status written = Apply(event, *snapshot, request, response, deadline, compute);
    if (!IsPreconditionFailed(written) || request.LostRace(written)) return written;
  }
  return absl::AbortedError(
      absl::StrCat("attendance of ", event.event_name,
                   " kept changing while this call ran; retry with the same request_id"));
}

}  // namespace fieldwork::attendance
