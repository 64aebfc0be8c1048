// What bookings need to know of the organization and its roster: the travel buffer, whether the
// members, units and venues a request names exist (and members are active, venues exclusive),
// and the active members of invited units. Read without locks: the roster is not a calendar.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_FACTS_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_FACTS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/member.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"
#include "fieldwork/scheduling/v1/unit.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"
#include "services/scheduling/event_rules.h"

namespace fieldwork::scheduling {

// The roster records a request refers to, by id.
struct RosterRecords {
  absl::flat_hash_map<std::string, v1::Member> members;
  absl::flat_hash_map<std::string, v1::Unit> units;
  absl::flat_hash_map<std::string, v1::Venue> venues;
};

// The organization and the roster records a booking refers to, read together.
struct OrganizationFacts {
  v1::Organization organization;
  RosterRecords records;
};

class RosterFacts {
 public:
  // The organization's travel buffer when its record leaves it unset.
  static constexpr absl::Duration kDefaultTravelBuffer = absl::Minutes(30);

  explicit RosterFacts(RedisClient* redis) : redis_(redis) {}

  // NOT_FOUND when the organization does not exist.
  absl::StatusOr<v1::Organization> Organization(absl::string_view organization,
                                                absl::Time deadline) const;

  // The records `references` name (those that exist); each reference that names nothing is
  // recorded in `errors` under its field.
  absl::StatusOr<RosterRecords> Resolve(absl::string_view organization,
                                        const std::vector<Reference>& references,
                                        FieldErrors& errors, absl::Time deadline) const;

  // Organization and Resolve in one round trip: NOT_FOUND when the organization does not exist.
  absl::StatusOr<OrganizationFacts> Read(absl::string_view organization,
                                         const std::vector<Reference>& references,
                                         FieldErrors& errors, absl::Time deadline) const;
  // Read as commands, for a caller that sends them in a round trip of its own, and Read's answer
  // from their replies.
  static std::vector<RedisCommand> ReadCommands(absl::string_view organization,
                                                const std::vector<Reference>& references);
  static absl::StatusOr<OrganizationFacts> ParseRead(absl::string_view organization,
                                                     const std::vector<Reference>& references,
                                                     const std::vector<RedisReply>& replies,
                                                     FieldErrors& errors);

  // The ids of the active members of `unit` (of its component sectors for a joint sector group).
  absl::StatusOr<std::vector<std::string>> ActiveMemberIds(absl::string_view organization,
                                                           const v1::Unit& unit,
                                                           absl::Time deadline) const;

 private:
  RedisClient* const redis_;
};

// The organization's travel buffer (its default when unset).
absl::Duration TravelBuffer(const v1::Organization& organization);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_FACTS_H_
