// The roster in Redis: members, units and venues (serialized records under fw:{org}:member:{id},
// …unit:{id}, …venue:{id}), their id indexes, and the index of each unit's direct members
// (keys::UnitMemberIds) that "invite a whole unit" and ListMembers by unit read. The only code that
// builds Redis commands for the roster. Writes go through RosterWrite, which keeps the indexes in
// the same atomic step as the records, the change feed entries and the request's answer.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_STORE_H_

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/api/request_record.h"
#include "common/redis/atomic_write.h"
#include "common/redis/calendar_lock.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/change.pb.h"
#include "fieldwork/scheduling/v1/member.pb.h"
#include "fieldwork/scheduling/v1/unit.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"

namespace fieldwork::scheduling {

// A record as read, with the exact bytes stored (what a write built on it expects unchanged).
template <typename Record>
struct Stored {
  Record record;
  std::string raw;
};

template <typename Record>
struct RosterPage {
  std::vector<Record> items;  // ordered by id
  bool more = false;          // records follow the last one of this page
  int total = 0;              // records matching the filters
};

// Which members ListMembers wants. Empty fields do not filter.
struct MemberFilter {
  std::vector<std::string> unit_ids;  // members of any of these units (a group and its sectors)
  v1::MemberRole role = v1::MEMBER_ROLE_UNSPECIFIED;
  v1::MemberStatus status = v1::MEMBER_STATUS_UNSPECIFIED;
};

// One atomic change of an organization's roster: records with their indexes, change-feed entries
// and any extra ops (e.g. calendar entries freed by a forced delete).
class RosterWrite {
 public:
  explicit RosterWrite(absl::string_view organization) : organization_(organization) {}

  // Creates (`before` null) or replaces a member, keeping the id and unit indexes; every unit the
  // member newly joins must still exist when the write applies.
  void PutMember(const Stored<v1::Member>* before, const v1::Member& after);
  void DeleteMember(const Stored<v1::Member>& before);
  // The same for units (components of a joint sector group must still exist) and venues.
  void PutUnit(const Stored<v1::Unit>* before, const v1::Unit& after);
  // Deletes the unit and its member index, which must be empty when the write applies unless
  // `members_removed` (the members that listed it are changed by the same write).
  void DeleteUnit(const Stored<v1::Unit>& before, bool members_removed);
  void PutVenue(const Stored<v1::Venue>* before, const v1::Venue& after);
  void DeleteVenue(const Stored<v1::Venue>& before);
  void AddChange(const v1::Change& change);
  void AddOp(WriteOp op) { write_.Add(std::move(op)); }

  const std::string& organization() const { return organization_; }

 private:
  friend class RosterStore;
  void ExpectExists(std::string key);
  void ExpectRecord(const std::string& key, const std::string* raw, const std::string& name);

  std::string organization_;
  AtomicWrite write_;
  absl::flat_hash_set<std::string> expected_;                    // keys with an Exists already
  absl::flat_hash_map<std::string, std::string> created_names_;  // key → name of a new record
};

// Members, units and venues by id, read in a pipeline the caller shares with other reads: send
// commands() in it, then Parse the replies to them. Only the records that exist are returned.
class RosterRead {
 public:
  struct Records {
    absl::flat_hash_map<std::string, Stored<v1::Member>> members;
    absl::flat_hash_map<std::string, Stored<v1::Unit>> units;
    absl::flat_hash_map<std::string, Stored<v1::Venue>> venues;
  };

  RosterRead(absl::string_view organization, std::vector<std::string> member_ids,
             std::vector<std::string> unit_ids, std::vector<std::string> venue_ids);

  const std::vector<RedisCommand>& commands() const { return commands_; }
  absl::StatusOr<Records> Parse(absl::Span<const RedisReply> replies) const;

 private:
  std::string organization_;
  std::vector<std::string> member_ids_;
  std::vector<std::string> unit_ids_;
  std::vector<std::string> venue_ids_;
  std::vector<RedisCommand> commands_;
};

class RosterStore {
 public:
  explicit RosterStore(RedisClient* redis) : redis_(redis) {}

  // One record; NOT_FOUND when the organization has none with that id.
  absl::StatusOr<Stored<v1::Member>> GetMember(absl::string_view organization, absl::string_view id,
                                               absl::Time deadline) const;
  absl::StatusOr<Stored<v1::Unit>> GetUnit(absl::string_view organization, absl::string_view id,
                                           absl::Time deadline) const;
  absl::StatusOr<Stored<v1::Venue>> GetVenue(absl::string_view organization, absl::string_view id,
                                             absl::Time deadline) const;
  // The records among `ids` that exist, by id, in one round trip.
  absl::StatusOr<absl::flat_hash_map<std::string, Stored<v1::Member>>> GetMembers(
      absl::string_view organization, const std::vector<std::string>& ids,
      absl::Time deadline) const;
  absl::StatusOr<absl::flat_hash_map<std::string, Stored<v1::Unit>>> GetUnits(
      absl::string_view organization, const std::vector<std::string>& ids,
      absl::Time deadline) const;
  // Every unit of the organization, ordered by id.
  absl::StatusOr<std::vector<Stored<v1::Unit>>> AllUnits(absl::string_view organization,
                                                         absl::Time deadline) const;
  // The ids of the members listing `unit_id` (directly), ordered.
  absl::StatusOr<std::vector<std::string>> DirectMemberIds(absl::string_view organization,
                                                           absl::string_view unit_id,
                                                           absl::Time deadline) const;

  // The ids of the active members of unit `unit_id`, ordered: its direct members, and for a joint
  // sector group also the members of its sectors. NOT_FOUND when the unit does not exist. What
  // inviting a whole unit expands to.
  absl::StatusOr<std::vector<std::string>> ActiveMemberIdsOfUnit(absl::string_view organization,
                                                                 absl::string_view unit_id,
                                                                 absl::Time deadline) const;

  // Pages of records with ids after `after_id` ("" for the first page) matching the filters.
  absl::StatusOr<RosterPage<v1::Member>> ListMembers(absl::string_view organization,
                                                     const MemberFilter& filter,
                                                     absl::string_view after_id, int page_size,
                                                     absl::Time deadline) const;
  absl::StatusOr<RosterPage<v1::Unit>> ListUnits(absl::string_view organization, v1::UnitKind kind,
                                                 absl::string_view after_id, int page_size,
                                                 absl::Time deadline) const;
  absl::StatusOr<RosterPage<v1::Venue>> ListVenues(absl::string_view organization,
                                                   v1::VenueKind kind, absl::string_view after_id,
                                                   int page_size, absl::Time deadline) const;

  // Applies `write` with `record`'s answer `answer`, in one atomic step, through `locks` when
  // given (a fenced write). Fails, writing nothing, with NOT_FOUND when the organization does not
  // exist, ALREADY_EXISTS (ERROR_REASON_ALREADY_EXISTS) when a record it creates exists, and
  // ABORTED (IsPreconditionFailed) when a record it replaces changed since it was read or a unit
  // it refers to is gone; an identical request that committed first shows as record.LostRace.
  absl::Status Commit(const RosterWrite& write, const RequestRecord& record,
                      const google::protobuf::Message& answer, absl::Time deadline,
                      LockSet* locks = nullptr) const;

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_STORE_H_
