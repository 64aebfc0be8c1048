// Roster and organization reads for bookings, through the roster and organization stores (see
// roster_facts.h).
#include "services/scheduling/roster_facts.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/organization_store.h"
#include "common/api/resource_names.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

std::vector<std::string> IdsOf(const std::vector<Reference>& references, Reference::Kind kind) {
  std::vector<std::string> ids;
  for (const Reference& reference : references) {
    if (reference.kind == kind) ids.push_back(reference.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

absl::Duration TravelBuffer(const v1::Organization& organization) {
  if (!organization.has_travel_buffer()) return RosterFacts::kDefaultTravelBuffer;
  return ToDuration(organization.travel_buffer());
}

absl::StatusOr<v1::Organization> RosterFacts::Organization(absl::string_view organization,
                                                           absl::Time deadline) const {
  return OrganizationStore(redis_).GetOrganization(organization, deadline);
}

absl::StatusOr<RosterRecords> RosterFacts::Resolve(absl::string_view organization,
                                                   const std::vector<Reference>& references,
                                                   FieldErrors& errors, absl::Time deadline) const {
  const RosterStore roster(redis_);
  RosterRecords records;
  const std::vector<std::string> member_ids = IdsOf(references, Reference::Kind::kMember);
  if (!member_ids.empty()) {
    auto members = roster.GetMembers(organization, member_ids, deadline);
    if (!members.ok()) return members.status();
    for (auto& [id, stored] : *members) records.members[id] = std::move(stored.record);
  }
  const std::vector<std::string> unit_ids = IdsOf(references, Reference::Kind::kUnit);
  if (!unit_ids.empty()) {
    auto units = roster.GetUnits(organization, unit_ids, deadline);
    if (!units.ok()) return units.status();
    for (auto& [id, stored] : *units) records.units[id] = std::move(stored.record);
  }
  for (const std::string& id : IdsOf(references, Reference::Kind::kVenue)) {
    auto venue = roster.GetVenue(organization, id, deadline);
    if (absl::IsNotFound(venue.status())) continue;
    if (!venue.ok()) return venue.status();
    records.venues[id] = std::move(venue->record);
  }
  for (const Reference& reference : references) {
    const bool found =
        reference.kind == Reference::Kind::kMember ? records.members.contains(reference.id)
        : reference.kind == Reference::Kind::kUnit ? records.units.contains(reference.id)
                                                   : records.venues.contains(reference.id);
    if (!found) errors.Add(reference.field, "names no existing resource of this organization");
  }
  return records;
}

absl::StatusOr<std::vector<std::string>> RosterFacts::ActiveMemberIds(
    absl::string_view organization, const v1::Unit& unit, absl::Time deadline) const {
  const RosterStore roster(redis_);
  std::vector<std::string> unit_ids;
  absl::StatusOr<ChildName> own = ParseUnitName(unit.name());
  if (own.ok()) unit_ids.push_back(own->id);
  for (const std::string& component : unit.component_units()) {
    absl::StatusOr<ChildName> parsed = ParseUnitName(component);
    if (parsed.ok()) unit_ids.push_back(parsed->id);
  }
  absl::flat_hash_set<std::string> candidates;
  for (const std::string& unit_id : unit_ids) {
    absl::StatusOr<std::vector<std::string>> ids =
        roster.DirectMemberIds(organization, unit_id, deadline);
    if (!ids.ok()) return ids.status();
    candidates.insert(ids->begin(), ids->end());
  }
  if (candidates.empty()) return std::vector<std::string>();
  auto members = roster.GetMembers(
      organization, std::vector<std::string>(candidates.begin(), candidates.end()), deadline);
  if (!members.ok()) return members.status();
  std::vector<std::string> active;
  for (const auto& [id, stored] : *members) {
    if (stored.record.status() == v1::MEMBER_STATUS_ACTIVE) active.push_back(id);
  }
  std::sort(active.begin(), active.end());
  return active;
}

}  // namespace fieldwork::scheduling
