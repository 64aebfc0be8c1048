// Roster records, indexes and atomic roster writes in Redis (see roster_store.h).
#include "services/scheduling/roster_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/resource_names.h"
#include "common/redis/redis_status.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {
namespace {

// MGET batches stay below this many keys, so no single command grows without bound.
constexpr size_t kMaxKeysPerRead = 1000;

using KeyOf = std::function<std::string(absl::string_view organization, absl::string_view id)>;

std::vector<std::string> Difference(const std::vector<std::string>& a,
                                    const std::vector<std::string>& b) {
  std::vector<std::string> result;
  for (const std::string& item : a) {
    if (std::find(b.begin(), b.end(), item) == b.end()) result.push_back(item);
  }
  return result;
}

std::vector<std::string> UnitIdsOf(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (const std::string& name : names) {
    absl::StatusOr<ChildName> unit = ParseUnitName(name);
    if (unit.ok()) ids.push_back(unit->id);
  }
  return ids;
}

absl::StatusOr<std::vector<std::string>> Strings(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) return reply.status();
  std::vector<std::string> values;
  values.reserve(reply->elements().size());
  for (const RedisReply& element : reply->elements()) values.push_back(element.str());
  return values;
}

// The MGETs that read the records of `ids`, at most kMaxKeysPerRead keys each.
std::vector<RedisCommand> RecordReads(absl::string_view organization,
                                      const std::vector<std::string>& ids, const KeyOf& key_of) {
  std::vector<RedisCommand> commands;
  for (size_t first = 0; first < ids.size(); first += kMaxKeysPerRead) {
    RedisCommand& mget = commands.emplace_back();
    mget.push_back("MGET");
    const size_t last = std::min(ids.size(), first + kMaxKeysPerRead);
    for (size_t i = first; i < last; ++i) mget.push_back(key_of(organization, ids[i]));
  }
  return commands;
}

// The records of `ids` that exist (nullopt for the others), in `ids` order, from the replies to
// RecordReads.
template <typename Record>
absl::StatusOr<std::vector<std::optional<Stored<Record>>>> ParseRecords(
    absl::string_view organization, const std::vector<std::string>& ids, const KeyOf& key_of,
    absl::Span<const RedisReply> replies) {
  size_t values = 0;
  for (const RedisReply& reply : replies) {
    if (reply.is_error()) {
      return absl::InternalError(absl::StrCat("reading roster records: ", reply.str()));
    }
    values += reply.elements().size();
  }
  if (values != ids.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", ids.size(), " roster records, got ", values));
  }
  std::vector<std::optional<Stored<Record>>> records;
  records.reserve(ids.size());
  for (const RedisReply& reply : replies) {
    for (const RedisReply& element : reply.elements()) {
      if (element.is_nil()) {
        records.emplace_back();
        continue;
      }
      Stored<Record> stored;
      stored.raw = element.str();
      if (!stored.record.ParseFromString(stored.raw)) {
        return absl::DataLossError(
            absl::StrCat("unreadable record ", key_of(organization, ids[records.size()])));
      }
      records.push_back(std::move(stored));
    }
  }
  return records;
}

// The records of `ids` that exist (nullopt for the others), in `ids` order, in one round trip.
template <typename Record>
absl::StatusOr<std::vector<std::optional<Stored<Record>>>> ReadRecords(
    RedisClient& redis, absl::string_view organization, const std::vector<std::string>& ids,
    const KeyOf& key_of, absl::Time deadline) {
  const std::vector<RedisCommand> commands = RecordReads(organization, ids, key_of);
  if (commands.empty()) return std::vector<std::optional<Stored<Record>>>();
  absl::StatusOr<std::vector<RedisReply>> replies = redis.Pipeline(commands, deadline);
  if (!replies.ok()) return replies.status();
  return ParseRecords<Record>(organization, ids, key_of, *replies);
}

// The records among `ids` that exist, by id.
template <typename Record>
absl::StatusOr<absl::flat_hash_map<std::string, Stored<Record>>> ById(
    const std::vector<std::string>& ids,
    absl::StatusOr<std::vector<std::optional<Stored<Record>>>> records) {
  if (!records.ok()) return records.status();
  absl::flat_hash_map<std::string, Stored<Record>> by_id;
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((*records)[i].has_value()) by_id.emplace(ids[i], *std::move((*records)[i]));
  }
  return by_id;
}

template <typename Record>
absl::StatusOr<Stored<Record>> ReadOne(RedisClient& redis, absl::string_view organization,
                                       absl::string_view id, const KeyOf& key_of,
                                       const std::string& name, absl::Time deadline) {
  absl::StatusOr<std::vector<std::optional<Stored<Record>>>> records =
      ReadRecords<Record>(redis, organization, {std::string(id)}, key_of, deadline);
  if (!records.ok()) return records.status();
  if (records->empty() || !records->front().has_value()) {
    return absl::NotFoundError(absl::StrCat(name, " not found"));
  }
  return *std::move(records->front());
}

template <typename Record>
absl::StatusOr<absl::flat_hash_map<std::string, Stored<Record>>> ReadById(
    RedisClient& redis, absl::string_view organization, const std::vector<std::string>& ids,
    const KeyOf& key_of, absl::Time deadline) {
  return ById<Record>(ids, ReadRecords<Record>(redis, organization, ids, key_of, deadline));
}

// A page of the records of `ids` (sorted) after `after_id` that satisfy `matches` (null: all).
// With a filter every candidate is read to count the matches; without, only the page.
template <typename Record>
absl::StatusOr<RosterPage<Record>> Page(RedisClient& redis, absl::string_view organization,
                                        const std::vector<std::string>& ids, const KeyOf& key_of,
                                        const std::function<bool(const Record&)>& matches,
                                        absl::string_view after_id, int page_size,
                                        absl::Time deadline) {
  RosterPage<Record> page;
  const auto first =
      std::upper_bound(ids.begin(), ids.end(), after_id,
                       [](absl::string_view a, const std::string& b) { return a < b; });
  const size_t start = static_cast<size_t>(first - ids.begin());
  std::vector<std::string> wanted;
  if (matches == nullptr) {
    page.total = static_cast<int>(ids.size());
    const size_t end = std::min(ids.size(), start + static_cast<size_t>(page_size) + 1);
    wanted.assign(ids.begin() + start, ids.begin() + end);
  } else {
    wanted = ids;
  }
  absl::StatusOr<std::vector<std::optional<Stored<Record>>>> records =
      ReadRecords<Record>(redis, organization, wanted, key_of, deadline);
  if (!records.ok()) return records.status();
  for (size_t i = 0; i < wanted.size(); ++i) {
    const std::optional<Stored<Record>>& stored = (*records)[i];
    if (!stored.has_value() || (matches != nullptr && !matches(stored->record))) continue;
    if (matches != nullptr) ++page.total;
    if (wanted[i] <= after_id && !after_id.empty()) continue;
    if (static_cast<int>(page.items.size()) == page_size) {
      page.more = true;
      continue;
    }
    page.items.push_back(stored->record);
  }
  return page;
}

absl::StatusOr<std::vector<std::string>> IndexIds(RedisClient& redis, const std::string& key,
                                                  absl::Time deadline) {
  return Strings(redis.Execute({"ZRANGE", key, "0", "-1"}, deadline));
}

// The ids of the members listing any of `unit_ids`, sorted and distinct, in one round trip.
absl::StatusOr<std::vector<std::string>> MemberIdsOfUnits(RedisClient& redis,
                                                          absl::string_view organization,
                                                          const std::vector<std::string>& unit_ids,
                                                          absl::Time deadline) {
  std::vector<std::string> ids;
  if (unit_ids.empty()) return ids;
  std::vector<RedisCommand> commands;
  for (const std::string& unit : unit_ids) {
    commands.push_back({"ZRANGE", keys::UnitMemberIds(organization, unit), "0", "-1"});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis.Pipeline(commands, deadline);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return StatusFromErrorReply(reply.str());
    for (const RedisReply& element : reply.elements()) ids.push_back(element.str());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

void RosterWrite::ExpectExists(std::string key) {
  if (expected_.insert(key).second) write_.Expect(Precondition::Exists(std::move(key)));
}

void RosterWrite::ExpectRecord(const std::string& key, const std::string* raw,
                               const std::string& name) {
  if (raw == nullptr) {
    write_.Expect(Precondition::Absent(key));
    created_names_[key] = name;
  } else {
    write_.Expect(Precondition::ValueEquals(key, *raw));
  }
}

void RosterWrite::PutMember(const Stored<v1::Member>* before, const v1::Member& after) {
  const std::string id = ParseMemberName(after.name()).value_or(ChildName{}).id;
  const std::string key = keys::Member(organization_, id);
  ExpectRecord(key, before == nullptr ? nullptr : &before->raw, after.name());
  write_.Add(WriteOp::Set(key, after.SerializeAsString()));
  if (before == nullptr) write_.Add(WriteOp::ZAdd(keys::MemberIds(organization_), 0, id));
  const std::vector<std::string> old_units =
      before == nullptr ? std::vector<std::string>() : UnitIdsOf(before->record.units());
  const std::vector<std::string> new_units = UnitIdsOf(after.units());
  for (const std::string& unit : Difference(old_units, new_units)) {
    write_.Add(WriteOp::ZRem(keys::UnitMemberIds(organization_, unit), id));
  }
  for (const std::string& unit : Difference(new_units, old_units)) {
    ExpectExists(keys::Unit(organization_, unit));
    write_.Add(WriteOp::ZAdd(keys::UnitMemberIds(organization_, unit), 0, id));
  }
}

void RosterWrite::DeleteMember(const Stored<v1::Member>& before) {
  const std::string id = ParseMemberName(before.record.name()).value_or(ChildName{}).id;
  const std::string key = keys::Member(organization_, id);
  ExpectRecord(key, &before.raw, before.record.name());
  write_.Add(WriteOp::Del(key));
  write_.Add(WriteOp::ZRem(keys::MemberIds(organization_), id));
  for (const std::string& unit : UnitIdsOf(before.record.units())) {
    write_.Add(WriteOp::ZRem(keys::UnitMemberIds(organization_, unit), id));
  }
}

void RosterWrite::PutUnit(const Stored<v1::Unit>* before, const v1::Unit& after) {
  const std::string id = ParseUnitName(after.name()).value_or(ChildName{}).id;
  const std::string key = keys::Unit(organization_, id);
  ExpectRecord(key, before == nullptr ? nullptr : &before->raw, after.name());
  write_.Add(WriteOp::Set(key, after.SerializeAsString()));
  if (before == nullptr) write_.Add(WriteOp::ZAdd(keys::UnitIds(organization_), 0, id));
  for (const std::string& component : UnitIdsOf(after.component_units())) {
    ExpectExists(keys::Unit(organization_, component));
  }
}

void RosterWrite::DeleteUnit(const Stored<v1::Unit>& before, bool members_removed) {
  const std::string id = ParseUnitName(before.record.name()).value_or(ChildName{}).id;
  const std::string key = keys::Unit(organization_, id);
  ExpectRecord(key, &before.raw, before.record.name());
  if (!members_removed) write_.Expect(Precondition::Absent(keys::UnitMemberIds(organization_, id)));
  write_.Add(WriteOp::Del(key));
  write_.Add(WriteOp::ZRem(keys::UnitIds(organization_), id));
  write_.Add(WriteOp::Del(keys::UnitMemberIds(organization_, id)));
}

void RosterWrite::PutVenue(const Stored<v1::Venue>* before, const v1::Venue& after) {
  const std::string id = ParseVenueName(after.name()).value_or(ChildName{}).id;
  const std::string key = keys::Venue(organization_, id);
  ExpectRecord(key, before == nullptr ? nullptr : &before->raw, after.name());
  write_.Add(WriteOp::Set(key, after.SerializeAsString()));
  if (before == nullptr) write_.Add(WriteOp::ZAdd(keys::VenueIds(organization_), 0, id));
}

void RosterWrite::DeleteVenue(const Stored<v1::Venue>& before) {
  const std::string id = ParseVenueName(before.record.name()).value_or(ChildName{}).id;
  const std::string key = keys::Venue(organization_, id);
  ExpectRecord(key, &before.raw, before.record.name());
  write_.Add(WriteOp::Del(key));
  write_.Add(WriteOp::ZRem(keys::VenueIds(organization_), id));
}

void RosterWrite::AddChange(const v1::Change& change) {
  write_.Add(AppendChange(organization_, change));
}

absl::StatusOr<Stored<v1::Member>> RosterStore::GetMember(absl::string_view organization,
                                                          absl::string_view id,
                                                          absl::Time deadline) const {
  return ReadOne<v1::Member>(*redis_, organization, id, keys::Member,
                             FormatMemberName(organization, id), deadline);
}

absl::StatusOr<Stored<v1::Unit>> RosterStore::GetUnit(absl::string_view organization,
                                                      absl::string_view id,
                                                      absl::Time deadline) const {
  return ReadOne<v1::Unit>(*redis_, organization, id, keys::Unit, FormatUnitName(organization, id),
                           deadline);
}

RosterRead::RosterRead(absl::string_view organization, std::vector<std::string> member_ids,
                       std::vector<std::string> unit_ids, std::vector<std::string> venue_ids)
    : organization_(organization),
      member_ids_(std::move(member_ids)),
      unit_ids_(std::move(unit_ids)),
      venue_ids_(std::move(venue_ids)) {
  auto add = [this](const std::vector<std::string>& ids, const KeyOf& key_of) {
    for (RedisCommand& read : RecordReads(organization_, ids, key_of)) {
      commands_.push_back(std::move(read));
    }
  };
  add(member_ids_, keys::Member);
  add(unit_ids_, keys::Unit);
  add(venue_ids_, keys::Venue);
}

absl::StatusOr<RosterRead::Records> RosterRead::Parse(absl::Span<const RedisReply> replies) const {
  if (replies.size() != commands_.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", commands_.size(), " roster replies, got ", replies.size()));
  }
  // Each kind's records from its own replies, the next ones in `replies`.
  auto parse = [&](const std::vector<std::string>& ids, const KeyOf& key_of, auto& by_id) {
    using Record = decltype(by_id.begin()->second.record);
    const size_t count = (ids.size() + kMaxKeysPerRead - 1) / kMaxKeysPerRead;
    auto parsed =
        ById<Record>(ids, ParseRecords<Record>(organization_, ids, key_of, replies.first(count)));
    replies.remove_prefix(count);
    if (!parsed.ok()) return parsed.status();
    by_id = *std::move(parsed);
    return absl::OkStatus();
  };
  Records records;
  if (absl::Status parsed = parse(member_ids_, keys::Member, records.members); !parsed.ok()) {
    return parsed;
  }
  if (absl::Status parsed = parse(unit_ids_, keys::Unit, records.units); !parsed.ok()) {
    return parsed;
  }
  if (absl::Status parsed = parse(venue_ids_, keys::Venue, records.venues); !parsed.ok()) {
    return parsed;
  }
  return records;
}

absl::StatusOr<Stored<v1::Venue>> RosterStore::GetVenue(absl::string_view organization,
                                                        absl::string_view id,
                                                        absl::Time deadline) const {
  return ReadOne<v1::Venue>(*redis_, organization, id, keys::Venue,
                            FormatVenueName(organization, id), deadline);
}

absl::StatusOr<absl::flat_hash_map<std::string, Stored<v1::Member>>> RosterStore::GetMembers(
    absl::string_view organization, const std::vector<std::string>& ids,
    absl::Time deadline) const {
  return ReadById<v1::Member>(*redis_, organization, ids, keys::Member, deadline);
}

absl::StatusOr<absl::flat_hash_map<std::string, Stored<v1::Unit>>> RosterStore::GetUnits(
    absl::string_view organization, const std::vector<std::string>& ids,
    absl::Time deadline) const {
  return ReadById<v1::Unit>(*redis_, organization, ids, keys::Unit, deadline);
}

absl::StatusOr<std::vector<Stored<v1::Unit>>> RosterStore::AllUnits(absl::string_view organization,
                                                                    absl::Time deadline) const {
  absl::StatusOr<std::vector<std::string>> ids =
      IndexIds(*redis_, keys::UnitIds(organization), deadline);
  if (!ids.ok()) return ids.status();
  absl::StatusOr<std::vector<std::optional<Stored<v1::Unit>>>> records =
      ReadRecords<v1::Unit>(*redis_, organization, *ids, keys::Unit, deadline);
  if (!records.ok()) return records.status();
  std::vector<Stored<v1::Unit>> units;
  for (std::optional<Stored<v1::Unit>>& unit : *records) {
    if (unit.has_value()) units.push_back(*std::move(unit));
  }
  return units;
}

absl::StatusOr<std::vector<std::string>> RosterStore::DirectMemberIds(
    absl::string_view organization, absl::string_view unit_id, absl::Time deadline) const {
  return IndexIds(*redis_, keys::UnitMemberIds(organization, unit_id), deadline);
}

absl::StatusOr<std::vector<std::string>> RosterStore::ActiveMemberIdsOfUnit(
    absl::string_view organization, absl::string_view unit_id, absl::Time deadline) const {
  absl::StatusOr<Stored<v1::Unit>> unit = GetUnit(organization, unit_id, deadline);
  if (!unit.ok()) return unit.status();
  std::vector<std::string> unit_ids = UnitIdsOf(unit->record.component_units());
  unit_ids.push_back(std::string(unit_id));
  absl::StatusOr<std::vector<std::string>> ids =
      MemberIdsOfUnits(*redis_, organization, unit_ids, deadline);
  if (!ids.ok()) return ids.status();
  absl::StatusOr<std::vector<std::optional<Stored<v1::Member>>>> members =
      ReadRecords<v1::Member>(*redis_, organization, *ids, keys::Member, deadline);
  if (!members.ok()) return members.status();
  std::vector<std::string> active;
  for (size_t i = 0; i < ids->size(); ++i) {
    const std::optional<Stored<v1::Member>>& member = (*members)[i];
    if (member.has_value() && member->record.status() == v1::MEMBER_STATUS_ACTIVE) {
      active.push_back((*ids)[i]);
    }
  }
  return active;
}

absl::StatusOr<RosterPage<v1::Member>> RosterStore::ListMembers(absl::string_view organization,
                                                                const MemberFilter& filter,
                                                                absl::string_view after_id,
                                                                int page_size,
                                                                absl::Time deadline) const {
  absl::StatusOr<std::vector<std::string>> ids =
      filter.unit_ids.empty() ? IndexIds(*redis_, keys::MemberIds(organization), deadline)
                              : MemberIdsOfUnits(*redis_, organization, filter.unit_ids, deadline);
  if (!ids.ok()) return ids.status();
  std::function<bool(const v1::Member&)> matches;
  if (filter.role != v1::MEMBER_ROLE_UNSPECIFIED ||
      filter.status != v1::MEMBER_STATUS_UNSPECIFIED) {
    matches = [&filter](const v1::Member& member) {
      return (filter.role == v1::MEMBER_ROLE_UNSPECIFIED || member.role() == filter.role) &&
             (filter.status == v1::MEMBER_STATUS_UNSPECIFIED || member.status() == filter.status);
    };
  }
  return Page<v1::Member>(*redis_, organization, *ids, keys::Member, matches, after_id, page_size,
                          deadline);
}

absl::StatusOr<RosterPage<v1::Unit>> RosterStore::ListUnits(absl::string_view organization,
                                                            v1::UnitKind kind,
                                                            absl::string_view after_id,
                                                            int page_size,
                                                            absl::Time deadline) const {
  absl::StatusOr<std::vector<std::string>> ids =
      IndexIds(*redis_, keys::UnitIds(organization), deadline);
  if (!ids.ok()) return ids.status();
  std::function<bool(const v1::Unit&)> matches;
  if (kind != v1::UNIT_KIND_UNSPECIFIED) {
    matches = [kind](const v1::Unit& unit) { return unit.kind() == kind; };
  }
  return Page<v1::Unit>(*redis_, organization, *ids, keys::Unit, matches, after_id, page_size,
                        deadline);
}

absl::StatusOr<RosterPage<v1::Venue>> RosterStore::ListVenues(absl::string_view organization,
                                                              v1::VenueKind kind,
                                                              absl::string_view after_id,
                                                              int page_size,
                                                              absl::Time deadline) const {
  absl::StatusOr<std::vector<std::string>> ids =
      IndexIds(*redis_, keys::VenueIds(organization), deadline);
  if (!ids.ok()) return ids.status();
  std::function<bool(const v1::Venue&)> matches;
  if (kind != v1::VENUE_KIND_UNSPECIFIED) {
    matches = [kind](const v1::Venue& venue) { return venue.kind() == kind; };
  }
  return Page<v1::Venue>(*redis_, organization, *ids, keys::Venue, matches, after_id, page_size,
                         deadline);
}

absl::Status RosterStore::Commit(const RosterWrite& write, const RequestRecord& record,
                                 const google::protobuf::Message& answer, absl::Time deadline,
                                 LockSet* locks) const {
  AtomicWrite atomic;
  // The answer's record comes first, so an identical request that won shows as LostRace.
  if (absl::Status added = record.AddTo(answer, atomic); !added.ok()) return added;
  const std::string organization_key = keys::Organization(write.organization());
  atomic.Expect(Precondition::Exists(organization_key));
  for (const Precondition& precondition : write.write_.preconditions) atomic.Expect(precondition);
  for (const WriteOp& op : write.write_.ops) atomic.Add(op);
  const absl::Status applied = locks == nullptr
                                   ? ApplyAtomicWrite(*redis_, atomic, deadline).status()
                                   : locks->FencedWrite(atomic, deadline).status();
  if (!IsPreconditionFailed(applied)) return applied;
  const std::string key = ConflictKey(applied);
  if (key == organization_key) {
    return absl::NotFoundError(
        absl::StrCat(FormatOrganizationName(write.organization()), " not found"));
  }
  if (const auto created = write.created_names_.find(key); created != write.created_names_.end()) {
    return WithReason(absl::AlreadyExistsError(absl::StrCat(created->second, " already exists")),
                      common::v1::ERROR_REASON_ALREADY_EXISTS);
  }
  return applied;
}

}  // namespace fieldwork::scheduling
