// Field rules of roster resources (member.proto, unit.proto, venue.proto): what a member, unit or
// venue must look like, which update-mask paths each accepts, and the checks of unit references
// against the units that exist. Pure: no I/O (callers read the referenced units first).
#ifndef FIELDWORK_SERVICES_SCHEDULING_ROSTER_RULES_H_
#define FIELDWORK_SERVICES_SCHEDULING_ROSTER_RULES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/member.pb.h"
#include "fieldwork/scheduling/v1/unit.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"
#include "services/scheduling/update_masks.h"

namespace fieldwork::scheduling {

// Units by id, as read for a reference check.
using UnitsById = absl::flat_hash_map<std::string, v1::Unit>;

const UpdateMaskRules& MemberMask();
const UpdateMaskRules& UnitMask();  // without "kind": it cannot change
const UpdateMaskRules& VenueMask();

// Clears the output-only fields (name, create_time, update_time).
void ClearOutputOnly(v1::Member& member);
void ClearOutputOnly(v1::Unit& unit);
void ClearOutputOnly(v1::Venue& venue);

// The member's own fields, under `prefix` (e.g. "member", "members[17]"). `creating` allows
// status UNSPECIFIED (it means ACTIVE). Unit names are checked for syntax and organization here
// and for existence by CheckMemberUnits.
void ValidateMember(const v1::Member& member, absl::string_view organization,
                    absl::string_view prefix, bool creating, FieldErrors& errors);
// The ids of the units `member` lists (well-formed names only).
std::vector<std::string> MemberUnitIds(const v1::Member& member);
// Each unit the member lists exists in `units` and is one a member can join (not a joint sector
// group, whose members come from its sectors).
void CheckMemberUnits(const v1::Member& member, const UnitsById& units, absl::string_view prefix,
                      FieldErrors& errors);

// The unit's own fields under `prefix`; component_units only on a JOINT_SECTOR_GROUP.
void ValidateUnit(const v1::Unit& unit, absl::string_view organization, absl::string_view prefix,
                  FieldErrors& errors);
// The ids of the units `unit` joins (well-formed names only).
std::vector<std::string> ComponentUnitIds(const v1::Unit& unit);
// Each component exists in `units`, is a SECTOR and is not the unit itself (`unit_id`).
void CheckComponentUnits(const v1::Unit& unit, absl::string_view unit_id, const UnitsById& units,
                         absl::string_view prefix, FieldErrors& errors);

void ValidateVenue(const v1::Venue& venue, absl::string_view prefix, FieldErrors& errors);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ROSTER_RULES_H_
