// Roster field rules (see roster_rules.h).
#include "services/scheduling/roster_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/scheduling/civil_checks.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kMaxMemberUnits = 20;
constexpr int kMaxComponentUnits = 50;

std::string Path(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, ".", field);
}

// A required display name: `max_chars` characters at most, not only spaces.
void CheckDisplayName(absl::string_view prefix, absl::string_view name, size_t max_chars,
                      FieldErrors& errors) {
  const std::string field = Path(prefix, "display_name");
  CheckText(field, name, 1, max_chars, errors);
  if (!name.empty() && absl::StripAsciiWhitespace(name).empty()) {
    errors.Add(field, "must not be blank");
  }
}

// Unit names under `field`: well-formed, of `organization`, distinct, at most `max_count`.
// Returns the ids of the well-formed ones.
std::vector<std::string> CheckUnitNames(
    const google::protobuf::RepeatedPtrField<std::string>& names, absl::string_view organization,
    const std::string& field, int max_count, FieldErrors& errors) {
  if (names.size() > max_count) errors.Add(field, absl::StrCat("at most ", max_count, " units"));
  std::vector<std::string> ids;
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < names.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    absl::StatusOr<ChildName> unit = ParseUnitName(names[i]);
    if (!unit.ok()) {
      errors.Add(item, unit.status().message());
    } else if (unit->organization != organization) {
      errors.Add(item, "names no unit of this organization");
    } else if (!seen.insert(unit->id).second) {
      errors.Add(item, "is listed twice");
    } else {
      ids.push_back(unit->id);
    }
  }
  return ids;
}

std::vector<std::string> WellFormedUnitIds(
    const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (const std::string& name : names) {
    absl::StatusOr<ChildName> unit = ParseUnitName(name);
    if (unit.ok()) ids.push_back(unit->id);
  }
  return ids;
}

bool IsPhoneText(absl::string_view phone) {
  for (const char c : phone) {
    if (!absl::ascii_isdigit(c) && c != ' ' && c != '+' && c != '-') return false;
  }
  return true;
}

}  // namespace

const UpdateMaskRules& MemberMask() {
  static const UpdateMaskRules* const rules = new UpdateMaskRules{
      {"display_name", "role", "status", "units", "term", "term.label", "term.start_date",
       "term.end_date", "phone", "affiliation"},
      {"display_name", "role", "status", "units", "term", "phone", "affiliation"}};
  return *rules;
}

const UpdateMaskRules& UnitMask() {
  static const UpdateMaskRules* const rules =
      new UpdateMaskRules{{"display_name", "description", "component_units"},
                          {"display_name", "description", "component_units"}};
  return *rules;
}

const UpdateMaskRules& VenueMask() {
  static const UpdateMaskRules* const rules = new UpdateMaskRules{
      {"display_name", "kind", "address", "capacity", "exclusive", "description"},
      {"display_name", "kind", "address", "capacity", "exclusive", "description"}};
  return *rules;
}

void ClearOutputOnly(v1::Member& member) {
  member.clear_name();
  member.clear_create_time();
  member.clear_update_time();
}

void ClearOutputOnly(v1::Unit& unit) {
  unit.clear_name();
  unit.clear_create_time();
  unit.clear_update_time();
}

void ClearOutputOnly(v1::Venue& venue) {
  venue.clear_name();
  venue.clear_create_time();
  venue.clear_update_time();
}

void ValidateMember(const v1::Member& member, absl::string_view organization,
                    absl::string_view prefix, bool creating, FieldErrors& errors) {
  CheckDisplayName(prefix, member.display_name(), 50, errors);
  CheckRequiredEnum(Path(prefix, "role"), member.role(), v1::MemberRole_IsValid, errors);
  if (creating) {
    CheckOptionalEnum(Path(prefix, "status"), member.status(), v1::MemberStatus_IsValid, errors);
  } else {
    CheckRequiredEnum(Path(prefix, "status"), member.status(), v1::MemberStatus_IsValid, errors);
  }
  CheckUnitNames(member.units(), organization, Path(prefix, "units"), kMaxMemberUnits, errors);
  const v1::Term& term = member.term();
  CheckText(Path(prefix, "term.label"), term.label(), 0, 20, errors);
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> end;
  if (term.has_start_date()) {
    start = CheckCivilDate(Path(prefix, "term.start_date"), term.start_date(), errors);
  }
  if (term.has_end_date()) {
    end = CheckCivilDate(Path(prefix, "term.end_date"), term.end_date(), errors);
  }
  if (start.has_value() && end.has_value() && *end < *start) {
    errors.Add(Path(prefix, "term.end_date"), "must not be before start_date");
  }
  CheckText(Path(prefix, "phone"), member.phone(), 0, 20, errors);
  if (!IsPhoneText(member.phone())) {
    errors.Add(Path(prefix, "phone"), "may hold only digits, spaces, \"+\" and \"-\"");
  }
  CheckText(Path(prefix, "affiliation"), member.affiliation(), 0, 100, errors);
}

std::vector<std::string> MemberUnitIds(const v1::Member& member) {
  return WellFormedUnitIds(member.units());
}

void CheckMemberUnits(const v1::Member& member, const UnitsById& units, absl::string_view prefix,
                      FieldErrors& errors) {
  for (int i = 0; i < member.units_size(); ++i) {
    absl::StatusOr<ChildName> name = ParseUnitName(member.units(i));
    if (!name.ok()) continue;  // reported by ValidateMember
    const std::string item = absl::StrCat(prefix, ".units[", i, "]");
    const auto unit = units.find(name->id);
    if (unit == units.end()) {
      errors.Add(item, "names no existing unit of this organization");
    } else if (unit->second.kind() == v1::UNIT_KIND_JOINT_SECTOR_GROUP) {
      errors.Add(item, "is a joint sector group: members join its sectors instead");
    }
  }
}

void ValidateUnit(const v1::Unit& unit, absl::string_view organization, absl::string_view prefix,
                  FieldErrors& errors) {
  CheckDisplayName(prefix, unit.display_name(), 100, errors);
  CheckRequiredEnum(Path(prefix, "kind"), unit.kind(), v1::UnitKind_IsValid, errors);
  CheckText(Path(prefix, "description"), unit.description(), 0, 500, errors);
  const std::string components = Path(prefix, "component_units");
  if (unit.kind() != v1::UNIT_KIND_JOINT_SECTOR_GROUP) {
    if (!unit.component_units().empty()) {
      errors.Add(components, "must be empty unless the unit is a joint sector group");
    }
    return;
  }
  CheckUnitNames(unit.component_units(), organization, components, kMaxComponentUnits, errors);
}

std::vector<std::string> ComponentUnitIds(const v1::Unit& unit) {
  return WellFormedUnitIds(unit.component_units());
}

void CheckComponentUnits(const v1::Unit& unit, absl::string_view unit_id, const UnitsById& units,
                         absl::string_view prefix, FieldErrors& errors) {
  for (int i = 0; i < unit.component_units_size(); ++i) {
    absl::StatusOr<ChildName> name = ParseUnitName(unit.component_units(i));
    if (!name.ok()) continue;  // reported by ValidateUnit
    const std::string item = absl::StrCat(prefix, ".component_units[", i, "]");
    const auto component = units.find(name->id);
    if (name->id == unit_id) {
      errors.Add(item, "names the group itself");
    } else if (component == units.end()) {
      errors.Add(item, "names no existing unit of this organization");
    } else if (component->second.kind() != v1::UNIT_KIND_SECTOR) {
      errors.Add(item, "must name a sector");
    }
  }
}

void ValidateVenue(const v1::Venue& venue, absl::string_view prefix, FieldErrors& errors) {
  CheckDisplayName(prefix, venue.display_name(), 100, errors);
  CheckRequiredEnum(Path(prefix, "kind"), venue.kind(), v1::VenueKind_IsValid, errors);
  CheckText(Path(prefix, "address"), venue.address(), 0, 200, errors);
  if (venue.capacity() < 0 || venue.capacity() > 100000) {
    errors.Add(Path(prefix, "capacity"), "must be 0-100000 (0: unknown)");
  }
  CheckText(Path(prefix, "description"), venue.description(), 0, 500, errors);
}

}  // namespace fieldwork::scheduling
