// The organization's settings as organization.proto documents them: the defaults of every unset
// setting (calendar, travel buffer, attendance windows, reporting numbers, the scoring table),
// the field rules, the update-mask paths UpdateOrganization accepts, and the etag. Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_SETTINGS_H_
#define FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_SETTINGS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/organization.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace fieldwork::scheduling {

inline constexpr char kDefaultTimeZone[] = "Asia/Shanghai";
// The longest travel buffer an organization may set.
inline constexpr absl::Duration kLongestTravelBuffer = absl::Hours(4);

// The shipped points table (organization.proto, ScoringTable), version 0 and no update_time.
v1::ScoringTable DefaultScoringTable();

// Fills every unset setting with its documented default and orders score bands highest first, so
// the stored record holds the effective values that reads return.
void ApplyOrganizationDefaults(v1::Organization& organization);

// Records every writable field of `organization` that breaks a rule, under `prefix` (e.g.
// "organization"). Unset settings and zero numbers that mean "default" pass.
void ValidateOrganization(const v1::Organization& organization, absl::string_view prefix,
                          FieldErrors& errors);

// Records under "update_mask" an empty mask and every path UpdateOrganization does not accept
// (unknown, or output only).
void CheckOrganizationMask(const google::protobuf::FieldMask& mask, FieldErrors& errors);

// Copies the fields `mask` names from `source` into `target`; "*" names every writable field;
// message and repeated fields are replaced whole (an unset source field clears the target's).
void ApplyOrganizationMask(const google::protobuf::FieldMask& mask, const v1::Organization& source,
                           v1::Organization& target);

// True when the points, base score or bands differ (version and update_time are not compared).
bool ScoringTableChanged(const v1::ScoringTable& before, const v1::ScoringTable& after);

// The etag of `organization`: a digest of everything but the etag itself.
std::string OrganizationEtag(const v1::Organization& organization);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_SETTINGS_H_
