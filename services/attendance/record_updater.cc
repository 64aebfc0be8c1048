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
  RecordSnapshot snapshot;
  snapshot.members = members;
  snapshot.stored_ = std::move(stored->records);
  snapshot.stored_finalization_ = std::move(stored->finalization);
  if (snapshot.stored_finalization_.has_value()) {
    snapshot.finalization.emplace();
    if (!snapshot.finalization->ParseFromString(*snapshot.stored_finalization_)) {
      return absl::DataLossError(absl::StrCat("unreadable finalization of ", event.event_name));
    }
  }
  snapshot.records.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    v1::AttendanceRecord record = EmptyRecord(event, members[i]);
    if (snapshot.stored_[i].has_value() && !record.ParseFromString(*snapshot.stored_[i])) {
      return absl::DataLossError(absl::StrCat("unreadable attendance record ", record.name()));
    }
    if (!record.finalized()) {
      record.set_participant_role(EmptyRecord(event, members[i]).participant_role());
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

absl::Status RecordUpdater::Apply(const EventFacts& event, RecordSnapshot& snapshot,
                                  const RequestRecord& request, google::protobuf::Message& response,
                                  absl::Time deadline, const Compute& compute) const {
  response.Clear();
  absl::StatusOr<RecordPlan> plan = compute(snapshot);
  if (!plan.ok()) return plan.status();
  if (plan->changed.empty() && !plan->finalization.has_value() && !request.enabled()) {
    return absl::OkStatus();
  }
  std::vector<RecordWrite> writes;
  for (size_t index : plan->changed) {
    writes.push_back({snapshot.members[index], &snapshot.records[index], &snapshot.stored_[index]});
  }
  std::optional<std::string> finalization;
  if (plan->finalization.has_value()) finalization = plan->finalization->SerializeAsString();
  return store_.Write(event.organization, event.event_id, writes, snapshot.stored_finalization_,
                      finalization, request, response, deadline);
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
