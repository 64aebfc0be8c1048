// Pure rules of events (see event_rules.h).
#include "services/scheduling/event_rules.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "google/protobuf/util/field_mask_util.h"

namespace fieldwork::scheduling {
namespace {

using ::google::protobuf::util::FieldMaskUtil;

constexpr int kMaxTopics = 20;
constexpr int kMaxItineraryStops = 20;
constexpr int kMaxInvitedUnits = 50;

const std::vector<std::string>& UpdatablePaths() {
  static const auto* const paths = new std::vector<std::string>{
      "kind",      "title",      "topics",       "description",   "organizing_unit", "venue",
      "itinerary", "time_range", "participants", "invited_units", "capacity"};
  return *paths;
}

// Checks that `name` parses with `parse` and lies in `organization`; returns the id.
template <typename Parse>
std::optional<std::string> CheckReference(absl::string_view field, absl::string_view name,
                                          absl::string_view organization, Parse parse,
                                          FieldErrors& errors) {
  auto parsed = parse(name);
  if (!parsed.ok()) {
    errors.Add(field, parsed.status().message());
    return std::nullopt;
  }
  if (parsed->organization != organization) {
    errors.Add(field, absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    return std::nullopt;
  }
  return parsed->id;
}

void AddReference(std::vector<Reference>& references, Reference::Kind kind,
                  std::optional<std::string> id, std::string field) {
  if (id.has_value()) references.push_back({kind, std::move(*id), std::move(field)});
}

int RoleStrength(v1::ParticipantRole role) {
  switch (role) {
    case v1::PARTICIPANT_ROLE_LEAD:
      return 3;
    case v1::PARTICIPANT_ROLE_REQUIRED:
      return 2;
    case v1::PARTICIPANT_ROLE_OPTIONAL:
      return 1;
    default:
      return 0;
  }
}

// `event` reduced to the fields of `paths`, serialized, for comparisons.
std::string Projection(const v1::Event& event, const std::vector<std::string>& paths) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  v1::Event trimmed = event;
  FieldMaskUtil::TrimMessage(mask, &trimmed);
  return trimmed.SerializeAsString();
}

bool SameFields(const v1::Event& a, const v1::Event& b, const std::vector<std::string>& paths) {
  return Projection(a, paths) == Projection(b, paths);
}

void CheckParticipants(absl::string_view prefix, const v1::Event& event,
                       absl::string_view organization, FieldErrors& errors,
                       std::vector<Reference>& references) {
  const std::string field = absl::StrCat(prefix, ".participants");
  if (event.participants_size() > kMaxParticipants) {
    errors.Add(field, "must have at most 1000 entries");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < event.participants_size(); ++i) {
    const v1::Participant& participant = event.participants(i);
    const std::string at = absl::StrCat(field, "[", i, "]");
    const std::string member_field = absl::StrCat(at, ".member");
    if (participant.member().empty()) {
      errors.Add(member_field, "is required");
    } else if (!seen.insert(participant.member()).second) {
      errors.Add(member_field, "is listed twice");
    } else {
      AddReference(
          references, Reference::Kind::kMember,
          CheckReference(member_field, participant.member(), organization, ParseMemberName, errors),
          member_field);
    }
    if (participant.role() == v1::PARTICIPANT_ROLE_UNSPECIFIED ||
        !v1::ParticipantRole_IsValid(participant.role())) {
      errors.Add(absl::StrCat(at, ".role"), "must be LEAD, REQUIRED or OPTIONAL");
    }
  }
}

void CheckInvitedUnits(absl::string_view prefix, const v1::Event& event,
                       absl::string_view organization, FieldErrors& errors,
                       std::vector<Reference>& references) {
  const std::string field = absl::StrCat(prefix, ".invited_units");
  if (event.invited_units_size() > kMaxInvitedUnits) {
    errors.Add(field, "must have at most 50 entries");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < event.invited_units_size(); ++i) {
    const v1::InvitedUnit& invited = event.invited_units(i);
    const std::string at = absl::StrCat(field, "[", i, "]");
    const std::string unit_field = absl::StrCat(at, ".unit");
    if (invited.unit().empty()) {
      errors.Add(unit_field, "is required");
    } else if (!seen.insert(invited.unit()).second) {
      errors.Add(unit_field, "is listed twice");
    } else {
      AddReference(references, Reference::Kind::kUnit,
                   CheckReference(unit_field, invited.unit(), organization, ParseUnitName, errors),
                   unit_field);
    }
    if (invited.role() != v1::PARTICIPANT_ROLE_REQUIRED &&
        invited.role() != v1::PARTICIPANT_ROLE_OPTIONAL) {
      errors.Add(absl::StrCat(at, ".role"), "must be REQUIRED or OPTIONAL");
    }
  }
}

void CheckItinerary(absl::string_view prefix, const v1::Event& event,
                    const std::optional<Interval>& whole, absl::string_view organization,
                    FieldErrors& errors, std::vector<Reference>& references) {
  const std::string field = absl::StrCat(prefix, ".itinerary");
  if (event.itinerary_size() > kMaxItineraryStops) {
    errors.Add(field, "must have at most 20 stops");
  }
  std::optional<Interval> previous;
  for (int i = 0; i < event.itinerary_size(); ++i) {
    const v1::ItineraryStop& stop = event.itinerary(i);
    const std::string at = absl::StrCat(field, "[", i, "]");
    const std::string venue_field = absl::StrCat(at, ".venue");
    if (stop.venue().empty()) {
      errors.Add(venue_field, "is required");
    } else {
      AddReference(references, Reference::Kind::kVenue,
                   CheckReference(venue_field, stop.venue(), organization, ParseVenueName, errors),
                   venue_field);
    }
    CheckText(absl::StrCat(at, ".note"), stop.note(), 0, 200, errors);
    const std::string range_field = absl::StrCat(at, ".time_range");
    const std::optional<Interval> interval =
        CheckTimeRange(range_field, stop.time_range(), stop.has_time_range(), absl::Seconds(1),
                       kMaxEventLength, errors);
    if (!interval.has_value()) continue;
    if (whole.has_value() && (interval->start < whole->start || interval->end > whole->end)) {
      errors.Add(range_field, "must lie inside the event's time_range");
    }
    if (previous.has_value() && interval->start < previous->end) {
      errors.Add(range_field, "must start at or after the end of the previous stop");
    }
    previous = interval;
  }
}

}  // namespace

std::vector<Reference> CheckEventFields(absl::string_view prefix, const v1::Event& event,
                                        absl::string_view organization, FieldErrors& errors) {
  std::vector<Reference> references;
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  if (event.kind() == v1::EVENT_KIND_UNSPECIFIED || !v1::EventKind_IsValid(event.kind())) {
    errors.Add(field("kind"), "must be a known event kind");
  }
  CheckText(field("title"), event.title(), 1, 200, errors);
  if (event.topics_size() > kMaxTopics) errors.Add(field("topics"), "must have at most 20 topics");
  absl::flat_hash_set<std::string> topics;
  for (int i = 0; i < event.topics_size(); ++i) {
    const std::string topic_field = absl::StrCat(field("topics"), "[", i, "]");
    CheckText(topic_field, event.topics(i), 1, 50, errors);
    if (!topics.insert(event.topics(i)).second) errors.Add(topic_field, "is listed twice");
  }
  CheckText(field("description"), event.description(), 0, 5000, errors);
  if (!event.organizing_unit().empty()) {
    AddReference(references, Reference::Kind::kUnit,
                 CheckReference(field("organizing_unit"), event.organizing_unit(), organization,
                                ParseUnitName, errors),
                 field("organizing_unit"));
  }
  if (!event.venue().empty()) {
    if (event.itinerary_size() > 0) {
      errors.Add(field("venue"), "must be empty when itinerary is set");
    } else {
      AddReference(
          references, Reference::Kind::kVenue,
          CheckReference(field("venue"), event.venue(), organization, ParseVenueName, errors),
          field("venue"));
    }
  }
  const std::optional<Interval> whole =
      CheckTimeRange(field("time_range"), event.time_range(), event.has_time_range(),
                     kMinEventLength, kMaxEventLength, errors);
  CheckItinerary(prefix, event, whole, organization, errors, references);
  CheckParticipants(prefix, event, organization, errors, references);
  CheckInvitedUnits(prefix, event, organization, errors, references);
  if (event.capacity() < 0 || event.capacity() > kMaxParticipants) {
    errors.Add(field("capacity"), "must be 0-1000");
  }
  return references;
}

const UpdateMaskRules& EventMask() {
  static const UpdateMaskRules* const rules =
      new UpdateMaskRules{{UpdatablePaths().begin(), UpdatablePaths().end()}, UpdatablePaths()};
  return *rules;
}

bool ChangesBooking(const v1::Event& before, const v1::Event& after) {
  return !SameFields(
      before, after,
      {"time_range", "venue", "itinerary", "participants", "invited_units", "capacity"});
}

bool ChangesSequence(const v1::Event& before, const v1::Event& after) {
  return !SameFields(before, after, {"time_range", "venue", "itinerary", "state"});
}

bool OnlyNotesChanged(const v1::Event& before, const v1::Event& after) {
  std::vector<std::string> others;
  for (const std::string& path : UpdatablePaths()) {
    if (path != "description" && path != "topics") others.push_back(path);
  }
  return SameFields(before, after, others);
}

std::vector<v1::Participant> ResolveParticipants(const v1::Event& event,
                                                 const std::vector<UnitMembers>& units) {
  std::map<std::string, v1::Participant> resolved;
  auto offer = [&](const std::string& member, v1::ParticipantRole role,
                   const std::string& source_unit) {
    auto [it, inserted] = resolved.try_emplace(member);
    if (!inserted && RoleStrength(it->second.role()) >= RoleStrength(role)) return;
    it->second.set_member(member);
    it->second.set_role(role);
    it->second.set_source_unit(source_unit);
  };
  for (const v1::Participant& participant : event.participants()) {
    offer(participant.member(), participant.role(), "");
  }
  for (const UnitMembers& unit : units) {
    for (const std::string& member : unit.members) offer(member, unit.role, unit.unit);
  }
  std::vector<v1::Participant> participants;
  participants.reserve(resolved.size());
  for (auto& [member, participant] : resolved) participants.push_back(std::move(participant));
  return participants;
}

absl::Status CheckResolvedCount(const v1::Event& event) {
  const int count = event.resolved_participants_size();
  if (count > kMaxParticipants) {
    return InvalidField("event.invited_units",
                        absl::StrCat("expand to ", count, " participants; at most 1000 allowed"));
  }
  if (event.capacity() > 0 && count > event.capacity()) {
    return WithReason(
        absl::FailedPreconditionError(
            absl::StrCat(count, " participants exceed the event's capacity of ", event.capacity())),
        common::v1::ERROR_REASON_CAPACITY_EXCEEDED);
  }
  return absl::OkStatus();
}

absl::Status InvalidState(const v1::Event& event, absl::string_view what) {
  const std::string state = v1::EventState_Name(event.state());
  return WithReason(absl::FailedPreconditionError(absl::StrCat(what, "; the event is ", state)),
                    common::v1::ERROR_REASON_INVALID_STATE, {{"state", state}});
}

bool IsEventReadMask(const google::protobuf::FieldMask& mask) {
  return google::protobuf::util::FieldMaskUtil::IsValidFieldMask<v1::Event>(mask);
}

void TrimToReadMask(const google::protobuf::FieldMask& mask, v1::Event& event) {
  if (mask.paths_size() == 0) return;
  google::protobuf::util::FieldMaskUtil::TrimMessage(mask, &event);
}

bool TakesPart(const v1::Event& event, absl::string_view member_name) {
  const auto is_member = [&](const v1::Participant& p) { return p.member() == member_name; };
  return std::any_of(event.participants().begin(), event.participants().end(), is_member) ||
         std::any_of(event.resolved_participants().begin(), event.resolved_participants().end(),
                     is_member);
}

void KeepOnlyParticipant(v1::Event& event, absl::string_view member_name) {
  auto keep = [&](google::protobuf::RepeatedPtrField<v1::Participant>& participants) {
    int kept = 0;
    for (int i = 0; i < participants.size(); ++i) {
      if (participants.Get(i).member() == member_name) participants.SwapElements(i, kept++);
    }
    participants.DeleteSubrange(kept, participants.size() - kept);
  };
  keep(*event.mutable_participants());
  keep(*event.mutable_resolved_participants());
}

}  // namespace fieldwork::scheduling
