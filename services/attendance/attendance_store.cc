// The attendance store (see attendance_store.h).
#include "services/attendance/attendance_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/atomic_write.h"
#include "services/attendance/keys.h"

namespace fieldwork::attendance {
namespace {

constexpr size_t kReadBatch = 500;
constexpr int kSecretBytes = 32;

std::optional<std::string> ValueOf(const RedisReply& reply) {
  if (reply.is_nil()) return std::nullopt;
  return reply.str();
}

Precondition Unchanged(std::string key, const std::optional<std::string>& read) {
  return read.has_value() ? Precondition::ValueEquals(std::move(key), *read)
                          : Precondition::Absent(std::move(key));
}

}  // namespace

absl::StatusOr<StoredRecords> AttendanceStore::Read(absl::string_view organization,
                                                    absl::string_view event,
                                                    const std::vector<std::string>& members,
                                                    absl::Time deadline) const {
  absl::StatusOr<std::vector<StoredRecords>> stored =
      ReadEvents(organization, {{event, &members}}, deadline);
  if (!stored.ok()) return stored.status();
  return std::move(stored->front());
}

AttendanceStore::EventsRead AttendanceStore::ReadCommands(absl::string_view organization,
                                                          const std::vector<EventMembers>& events) {
  // Per event: GET of the finalization, then MGETs of at most kReadBatch records each.
  EventsRead read;
  for (const EventMembers& event : events) {
    read.first_command.push_back(read.commands.size());
    read.commands.push_back({"GET", keys::Finalization(organization, event.event)});
    const std::vector<std::string>& members = *event.members;
    for (size_t begin = 0; begin < members.size(); begin += kReadBatch) {
      RedisCommand mget{"MGET"};
      for (size_t i = begin; i < std::min(members.size(), begin + kReadBatch); ++i) {
        mget.push_back(keys::Record(organization, event.event, members[i]));
      }
      read.commands.push_back(std::move(mget));
    }
  }
  read.first_command.push_back(read.commands.size());
  return read;
}

absl::StatusOr<std::vector<StoredRecords>> AttendanceStore::ParseReads(
    const EventsRead& read, absl::StatusOr<std::vector<RedisReply>> replies) {
  if (!replies.ok()) return replies.status();
  if (replies->size() != read.commands.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", read.commands.size(), " Redis replies, got ", replies->size()));
  }
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return absl::InternalError(reply.str());
  }
  std::vector<StoredRecords> stored(read.first_command.size() - 1);
  for (size_t e = 0; e < stored.size(); ++e) {
    stored[e].finalization = ValueOf((*replies)[read.first_command[e]]);
    for (size_t i = read.first_command[e] + 1; i < read.first_command[e + 1]; ++i) {
      for (const RedisReply& element : (*replies)[i].elements()) {
        stored[e].records.push_back(ValueOf(element));
      }
    }
  }
  return stored;
}

absl::StatusOr<std::vector<StoredRecords>> AttendanceStore::ReadEvents(
    absl::string_view organization, const std::vector<EventMembers>& events,
    absl::Time deadline) const {
  const EventsRead read = ReadCommands(organization, events);
  return ParseReads(read, redis_->Pipeline(read.commands, deadline));
}

void AttendanceStore::ReadAsync(
    absl::string_view organization, absl::string_view event,
    const std::vector<std::string>& members, absl::Time deadline,
    absl::AnyInvocable<void(absl::StatusOr<StoredRecords>) &&> done) const {
  auto read = std::make_shared<const EventsRead>(ReadCommands(organization, {{event, &members}}));
  redis_->PipelineAsync(
      read->commands, deadline,
      [read, done = std::move(done)](absl::StatusOr<std::vector<RedisReply>> replies) mutable {
        absl::StatusOr<std::vector<StoredRecords>> stored = ParseReads(*read, std::move(replies));
        if (!stored.ok()) return std::move(done)(stored.status());
        std::move(done)(std::move(stored->front()));
      });
}

absl::StatusOr<AtomicWrite> AttendanceStore::RecordsWrite(
    absl::string_view organization, absl::string_view event,
    const std::vector<RecordWrite>& records, const std::optional<std::string>& finalization_read,
    const std::optional<std::string>& new_finalization, const RequestRecord& request,
    const google::protobuf::Message& response) const {
  AtomicWrite write;
  const std::string finalization_key = keys::Finalization(organization, event);
  write.Expect(Unchanged(finalization_key, finalization_read));
  for (const RecordWrite& record : records) {
    std::string key = keys::Record(organization, event, record.member);
    write.Expect(Unchanged(key, *record.read));
    write.Add(WriteOp::Set(std::move(key), record.serialized));
  }
  if (new_finalization.has_value()) write.Add(WriteOp::Set(finalization_key, *new_finalization));
  if (absl::Status added = request.AddTo(response, write); !added.ok()) return added;
  return write;
}

absl::Status AttendanceStore::Write(absl::string_view organization, absl::string_view event,
                                    const std::vector<RecordWrite>& records,
                                    const std::optional<std::string>& finalization_read,
                                    const std::optional<std::string>& new_finalization,
                                    const RequestRecord& request,
                                    const google::protobuf::Message& response,
                                    absl::Time deadline) const {
  absl::StatusOr<AtomicWrite> write = RecordsWrite(organization, event, records, finalization_read,
                                                   new_finalization, request, response);
  if (!write.ok()) return write.status();
  return ApplyAtomicWrite(*redis_, *write, deadline).status();
}

void AttendanceStore::WriteAsync(absl::string_view organization, absl::string_view event,
                                 const std::vector<RecordWrite>& records,
                                 const std::optional<std::string>& finalization_read,
                                 const std::optional<std::string>& new_finalization,
                                 const RequestRecord& request,
                                 const google::protobuf::Message& response, absl::Time deadline,
                                 absl::AnyInvocable<void(absl::Status) &&> done) const {
  absl::StatusOr<AtomicWrite> write = RecordsWrite(organization, event, records, finalization_read,
                                                   new_finalization, request, response);
  if (!write.ok()) return std::move(done)(write.status());
  ApplyAtomicWriteAsync(
      *redis_, *write, deadline,
      [done = std::move(done)](absl::StatusOr<std::vector<RedisReply>> replies) mutable {
        std::move(done)(replies.status());
      });
}

std::optional<std::string> AttendanceStore::KnownCodeSecret(absl::string_view organization) const {
  absl::MutexLock lock(&secrets_mu_);
  auto known = secrets_.find(organization);
  if (known == secrets_.end() || absl::Now() - known->second.read >= kSecretReuse) {
    return std::nullopt;
  }
  return known->second.secret;
}

absl::StatusOr<std::string> AttendanceStore::CodeSecret(absl::string_view organization,
                                                        absl::Time deadline) const {
  if (std::optional<std::string> known = KnownCodeSecret(organization)) return *std::move(known);
  const absl::Time read = absl::Now();
  const std::string key = keys::CodeSecret(organization);
  const auto remember = [&](std::string secret) {
    absl::MutexLock lock(&secrets_mu_);
    secrets_[organization] = KnownSecret{secret, read};
    return secret;
  };
  absl::StatusOr<RedisReply> existing = redis_->Execute({"GET", key}, deadline);
  if (!existing.ok()) return existing.status();
  if (!existing->is_nil()) return remember(existing->str());
  std::string secret(kSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), kSecretBytes) != 1) {
    return absl::InternalError("no random bytes for a check-in code secret");
  }
  // SET NX then GET: when two replicas race, both end up with the winner's secret.
  absl::StatusOr<std::vector<RedisReply>> replies =
      redis_->Pipeline({{"SET", key, secret, "NX"}, {"GET", key}}, deadline);
  if (!replies.ok()) return replies.status();
  if ((*replies)[1].is_error() || (*replies)[1].is_nil()) {
    return absl::UnavailableError("check-in code secret could not be stored");
  }
  return remember((*replies)[1].str());
}

}  // namespace fieldwork::attendance
