// Event records and their indexes in Redis (see event_store.h).
#include "services/scheduling/event_store.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/redis/redis_status.h"
#include "common/status_macros.h"
#include "services/scheduling/event_rules.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {
namespace {

constexpr size_t kReadBatch = 500;

std::string IdOf(const v1::Event& event) {
  absl::StatusOr<ChildName> name = ParseEventName(event.name());
  return name.ok() ? name->id : "";
}

std::string ScoreBound(absl::Time time, bool exclusive) {
  if (time == absl::InfinitePast()) return "-inf";
  if (time == absl::InfiniteFuture()) return "+inf";
  return absl::StrCat(exclusive ? "(" : "", absl::ToUnixSeconds(time));
}

absl::StatusOr<std::vector<v1::Event>> ReadEvents(RedisClient& redis,
                                                  absl::string_view organization,
                                                  const std::vector<std::string>& ids,
                                                  absl::Time deadline) {
  std::vector<v1::Event> events;
  events.reserve(ids.size());
  for (size_t begin = 0; begin < ids.size(); begin += kReadBatch) {
    RedisCommand mget{"MGET"};
    for (size_t i = begin; i < std::min(ids.size(), begin + kReadBatch); ++i) {
      mget.push_back(keys::Event(organization, ids[i]));
    }
    absl::StatusOr<RedisReply> reply = redis.Execute(mget, deadline);
    if (!reply.ok()) return reply.status();
    for (const RedisReply& element : reply->elements()) {
      if (element.is_nil()) continue;  // deleted between the index read and this one
      v1::Event& event = events.emplace_back();
      if (!event.ParseFromString(element.str())) {
        return absl::DataLossError(absl::StrCat("unreadable event in ", organization));
      }
    }
  }
  return events;
}

}  // namespace

std::vector<std::string> IndexedMemberIds(const v1::Event& event) {
  const auto& participants =
      event.state() == v1::EVENT_STATE_DRAFT ? event.participants() : event.resolved_participants();
  std::vector<std::string> ids;
  for (const v1::Participant& participant : participants) {
    absl::StatusOr<ChildName> member = ParseMemberName(participant.member());
    if (member.ok()) ids.push_back(std::move(member->id));
  }
  return ids;
}

namespace {

absl::StatusOr<RedisReply> FoundEventBytes(absl::StatusOr<RedisReply> reply,
                                           absl::string_view organization,
                                           absl::string_view event_id) {
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) {
    return absl::NotFoundError(
        absl::StrCat("event ", FormatEventName(organization, event_id), " not found"));
  }
  return reply;
}

absl::StatusOr<RedisReply> ReadEventBytes(RedisClient* redis, absl::string_view organization,
                                          absl::string_view event_id, absl::Time deadline) {
  return FoundEventBytes(redis->Execute({"GET", keys::Event(organization, event_id)}, deadline),
                         organization, event_id);
}

absl::Status ParseEvent(absl::string_view event_id, const std::string& bytes, v1::Event& event) {
  if (!event.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("unreadable event ", event_id));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoredEvent> EventStore::Get(absl::string_view organization,
                                            absl::string_view event_id, absl::Time deadline) const {
  FIELDWORK_ASSIGN_OR_RETURN(RedisReply reply,
                             ReadEventBytes(redis_, organization, event_id, deadline));
  StoredEvent stored;
  stored.raw = reply.str();
  FIELDWORK_RETURN_IF_ERROR(ParseEvent(event_id, stored.raw, stored.event));
  return stored;
}

void EventStore::ReadAsync(absl::string_view organization, absl::string_view event_id,
                           absl::Time deadline, v1::Event& event,
                           absl::AnyInvocable<void(absl::Status) &&> done) const {
  redis_->ExecuteAsync(
      {"GET", keys::Event(organization, event_id)}, deadline,
      [organization = std::string(organization), event_id = std::string(event_id), &event,
       done = std::move(done)](absl::StatusOr<RedisReply> reply) mutable {
        absl::StatusOr<RedisReply> found =
            FoundEventBytes(std::move(reply), organization, event_id);
        std::move(done)(found.ok() ? ParseEvent(event_id, found->str(), event) : found.status());
      });
}

absl::StatusOr<std::vector<v1::Event>> EventStore::ListFromIndex(absl::string_view organization,
                                                                 const std::string& index_key,
                                                                 const Interval& window,
                                                                 absl::Time deadline) const {
  // An event starts at most kMaxEventLength before it ends, so only those starting after
  // window.start - kMaxEventLength can still be running in the window.
  const absl::Time earliest_start =
      window.start == absl::InfinitePast() ? absl::InfinitePast() : window.start - kMaxEventLength;
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"ZRANGEBYSCORE", index_key, ScoreBound(earliest_start, false),
                       ScoreBound(window.end, /*exclusive=*/true)},
                      deadline);
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  ids.reserve(reply->elements().size());
  for (const RedisReply& element : reply->elements()) ids.push_back(element.str());
  absl::StatusOr<std::vector<v1::Event>> events = ReadEvents(*redis_, organization, ids, deadline);
  if (!events.ok()) return events.status();
  std::vector<v1::Event> overlapping;
  for (v1::Event& event : *events) {
    const absl::Time end = absl::FromUnixSeconds(event.time_range().end_time().seconds());
    const absl::Time start = absl::FromUnixSeconds(EventStartSeconds(event));
    if (end > window.start && start < window.end) overlapping.push_back(std::move(event));
  }
  std::sort(overlapping.begin(), overlapping.end(), [](const v1::Event& a, const v1::Event& b) {
    return EventStartSeconds(a) != EventStartSeconds(b)
               ? EventStartSeconds(a) < EventStartSeconds(b)
               : a.name() < b.name();
  });
  return overlapping;
}

absl::StatusOr<std::vector<v1::Event>> EventStore::ListOverlapping(absl::string_view organization,
                                                                   const Interval& window,
                                                                   absl::Time deadline) const {
  return ListFromIndex(organization, keys::EventsByStart(organization), window, deadline);
}

absl::StatusOr<std::vector<v1::Event>> EventStore::ListOfMember(absl::string_view organization,
                                                                absl::string_view member_id,
                                                                const Interval& window,
                                                                absl::Time deadline) const {
  return ListFromIndex(organization, keys::MemberEvents(organization, member_id), window, deadline);
}

absl::StatusOr<std::vector<std::string>> EventStore::DueForCompletion(
    absl::string_view organization, absl::Time now, absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"ZRANGEBYSCORE", keys::ScheduledEventsByEnd(organization), "-inf",
                       absl::StrCat(absl::ToUnixSeconds(now))},
                      deadline);
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const RedisReply& element : reply->elements()) ids.push_back(element.str());
  return ids;
}

Precondition EventStore::Absent(absl::string_view organization, absl::string_view event_id) {
  return Precondition::Absent(keys::Event(organization, event_id));
}

Precondition EventStore::Unchanged(absl::string_view organization, absl::string_view event_id,
                                   const std::string& raw) {
  return Precondition::ValueEquals(keys::Event(organization, event_id), raw);
}

bool EventStore::IsPreconditionOnEvent(const absl::Status& status, absl::string_view organization,
                                       absl::string_view event_id) {
  return IsPreconditionFailed(status) && ConflictKey(status) == keys::Event(organization, event_id);
}

void EventStore::AddPut(absl::string_view organization, const v1::Event& event,
                        const v1::Event* previous, AtomicWrite& write) {
  const std::string id = IdOf(event);
  const double start = static_cast<double>(EventStartSeconds(event));
  write.Add(WriteOp::Set(keys::Event(organization, id), event.SerializeAsString()));
  write.Add(WriteOp::ZAdd(keys::EventsByStart(organization), start, id));
  if (event.state() == v1::EVENT_STATE_SCHEDULED) {
    write.Add(WriteOp::ZAdd(keys::ScheduledEventsByEnd(organization),
                            static_cast<double>(event.time_range().end_time().seconds()), id));
  } else {
    write.Add(WriteOp::ZRem(keys::ScheduledEventsByEnd(organization), id));
  }
  const std::vector<std::string> members = IndexedMemberIds(event);
  const absl::flat_hash_set<std::string> current(members.begin(), members.end());
  if (previous != nullptr) {
    for (const std::string& member : IndexedMemberIds(*previous)) {
      if (!current.contains(member)) {
        write.Add(WriteOp::ZRem(keys::MemberEvents(organization, member), id));
      }
    }
  }
  for (const std::string& member : current) {
    write.Add(WriteOp::ZAdd(keys::MemberEvents(organization, member), start, id));
  }
}

}  // namespace fieldwork::scheduling
