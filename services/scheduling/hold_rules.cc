// Pure rules of holds (see hold_rules.h).
#include "services/scheduling/hold_rules.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kMaxHoldUnits = 50;

template <typename Parse>
void CheckNames(absl::string_view field,
                const google::protobuf::RepeatedPtrField<std::string>& names,
                absl::string_view organization, Reference::Kind kind, Parse parse,
                FieldErrors& errors, std::vector<Reference>& references) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < names.size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (!seen.insert(names[i]).second) {
      errors.Add(at, "is listed twice");
      continue;
    }
    auto parsed = parse(names[i]);
    if (!parsed.ok()) {
      errors.Add(at, parsed.status().message());
    } else if (parsed->organization != organization) {
      errors.Add(at, absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    } else {
      references.push_back({kind, parsed->id, at});
    }
  }
}

}  // namespace

std::vector<Reference> CheckHoldFields(const v1::Hold& hold, absl::string_view organization,
                                       absl::Duration& ttl, FieldErrors& errors) {
  std::vector<Reference> references;
  if (hold.members().empty() && hold.units().empty()) {
    errors.Add("hold.members", "at least one member or unit is required");
  }
  if (hold.members_size() > kMaxParticipants) {
    errors.Add("hold.members", "must have at most 1000 entries");
  }
  CheckNames("hold.members", hold.members(), organization, Reference::Kind::kMember,
             ParseMemberName, errors, references);
  if (hold.units_size() > kMaxHoldUnits) errors.Add("hold.units", "must have at most 50 entries");
  CheckNames("hold.units", hold.units(), organization, Reference::Kind::kUnit, ParseUnitName,
             errors, references);
  if (!hold.venue().empty()) {
    absl::StatusOr<ChildName> venue = ParseVenueName(hold.venue());
    if (!venue.ok()) {
      errors.Add("hold.venue", venue.status().message());
    } else if (venue->organization != organization) {
      errors.Add("hold.venue",
                 absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    } else {
      references.push_back({Reference::Kind::kVenue, venue->id, "hold.venue"});
    }
  }
  CheckTimeRange("hold.time_range", hold.time_range(), hold.has_time_range(), kMinEventLength,
                 kMaxEventLength, errors);
  ttl = kDefaultHoldTtl;
  if (hold.has_ttl()) {
    if (hold.ttl().nanos() != 0) {
      errors.Add("hold.ttl", "must be whole seconds");
    } else {
      ttl = absl::Seconds(hold.ttl().seconds());
      if (ttl < kMinHoldTtl || ttl > kMaxHoldTtl) errors.Add("hold.ttl", "must be 1-30 minutes");
    }
  }
  CheckText("hold.note", hold.note(), 0, 200, errors);
  return references;
}

v1::Event EventFromHold(const v1::Hold& hold, v1::Event event) {
  if (!event.has_time_range()) *event.mutable_time_range() = hold.time_range();
  if (event.venue().empty() && event.itinerary().empty()) event.set_venue(hold.venue());
  if (event.participants().empty() && event.invited_units().empty()) {
    for (const std::string& member : hold.resolved_members()) {
      v1::Participant* participant = event.add_participants();
      participant->set_member(member);
      participant->set_role(v1::PARTICIPANT_ROLE_REQUIRED);
    }
  }
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  return event;
}

}  // namespace fieldwork::scheduling
