// Roster and organization reads for bookings, through the roster and organization stores (see
// roster_facts.h).
#include "services/scheduling/roster_facts.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/api/resource_names.h"
#include "services/scheduling/civil_checks.h"
#include "services/scheduling/organization_store.h"
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

RosterRead ReadOf(absl::string_view organization, const std::vector<Reference>& references) {
  return RosterRead(organization, IdsOf(references, Reference::Kind::kMember),
                    IdsOf(references, Reference::Kind::kUnit),
                    IdsOf(references, Reference::Kind::kVenue));
}

// The records read for `references`; each reference that names nothing goes to `errors`.
absl::StatusOr<RosterRecords> Collect(absl::StatusOr<RosterRead::Records> read,
                                      const std::vector<Reference>& references,
                                      FieldErrors& errors) {
  if (!read.ok()) return read.status();
  RosterRecords records;
  for (auto& [id, stored] : read->members) records.members[id] = std::move(stored.record);
  for (auto& [id, stored] : read->units) records.units[id] = std::move(stored.record);
  for (auto& [id, stored] : read->venues) records.venues[id] = std::move(stored.record);
  for (const Reference& reference : references) {
    const bool found =
        reference.kind == Reference::Kind::kMember ? records.members.contains(reference.id)
        : reference.kind == Reference::Kind::kUnit ? records.units.contains(reference.id)
                                                   : records.venues.contains(reference.id);
    if (!found) errors.Add(reference.field, "names no existing resource of this organization");
  }
  return records;
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
  const RosterRead read = ReadOf(organization, references);
  std::vector<RedisReply> replies;
  if (!read.commands().empty()) {
    absl::StatusOr<std::vector<RedisReply>> sent = redis_->Pipeline(read.commands(), deadline);
    if (!sent.ok()) return sent.status();
    replies = *std::move(sent);
  }
  return Collect(read.Parse(replies), references, errors);
}

absl::StatusOr<OrganizationFacts> RosterFacts::Read(absl::string_view organization,
                                                    const std::vector<Reference>& references,
                                                    FieldErrors& errors,
                                                    absl::Time deadline) const {
  absl::StatusOr<std::vector<RedisReply>> replies =
      redis_->Pipeline(ReadCommands(organization, references), deadline);
  if (!replies.ok()) return replies.status();
  return ParseRead(organization, references, *replies, errors);
}

std::vector<RedisCommand> RosterFacts::ReadCommands(absl::string_view organization,
                                                    const std::vector<Reference>& references) {
  const RosterRead read = ReadOf(organization, references);
  std::vector<RedisCommand> commands = {OrganizationStore::ReadCommand(organization)};
  commands.insert(commands.end(), read.commands().begin(), read.commands().end());
  return commands;
}

absl::StatusOr<OrganizationFacts> RosterFacts::ParseRead(absl::string_view organization,
                                                         const std::vector<Reference>& references,
                                                         const std::vector<RedisReply>& replies,
                                                         FieldErrors& errors) {
  const RosterRead read = ReadOf(organization, references);
  if (replies.size() != 1 + read.commands().size()) {
    return absl::InternalError(absl::StrCat("expected ", 1 + read.commands().size(),
                                            " Redis replies, got ", replies.size()));
  }
  absl::StatusOr<OrganizationStore::Snapshot> org =
      OrganizationStore::ParseRead(organization, replies.front());
  if (!org.ok()) return org.status();
  absl::StatusOr<RosterRecords> records =
      Collect(read.Parse(absl::MakeConstSpan(replies).subspan(1)), references, errors);
  if (!records.ok()) return records.status();
  return OrganizationFacts{std::move(org->organization), *std::move(records)};
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
