// Who is calling: the roles of the access model and the principal an authenticated call runs as,
// plus the text form of a principal that a service forwards when it calls another service on
// behalf of its own caller (metadata key kOnBehalfOfMetadataKey).
#ifndef FIELDWORK_COMMON_PRINCIPAL_H_
#define FIELDWORK_COMMON_PRINCIPAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fieldwork {

// Ordered from most to least powerful for kAdmin..kMember; kService stands apart (it is allowed
// only where a permission names it, or acts with the rights of the caller it forwards).
enum class Role {
  kAdmin,     // everything, in every organization
  kOrgAdmin,  // everything within its organization
  kStaff,     // committee office staff: roster, events, attendance, reports of its organization
  kMember,    // a committee member acting on itself only
  kService,   // another fieldwork service
};

// "admin", "org-admin", "staff", "member", "service".
absl::string_view RoleName(Role role);
// The inverse of RoleName; INVALID_ARGUMENT for anything else.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// The organization scope written for "every organization" in token files and forwarded identities.
inline constexpr absl::string_view kAllOrganizations = "*";

struct Principal {
  // Who: a person or system name, or for kMember its member resource name
  // ("organizations/o1/members/m7").
  std::string subject;
  Role role = Role::kMember;
  // The organization id the principal is confined to; kAllOrganizations for admin and services
  // that serve every organization.
  std::string organization;
  // The subject of the service that forwarded this identity, empty for a direct caller.
  std::string via;

  bool all_organizations() const { return organization == kAllOrganizations; }
};

// Checks that the fields of a principal fit together: a known subject syntax, an organization
// scope that suits the role (kAdmin: all; org-admin/staff/member: exactly one; a member's subject
// names a member of that organization).
absl::Status ValidatePrincipal(const Principal& principal);

// Metadata a service adds to its calls to name the caller it acts for.
inline constexpr char kOnBehalfOfMetadataKey[] = "x-fieldwork-on-behalf-of";

// "role=<role>;organization=<org or *>;subject=<subject>" — fits a metadata value because
// ValidatePrincipal restricts subjects and organizations to printable ASCII without ';' or '='.
std::string FormatOnBehalfOf(const Principal& principal);
// The inverse of FormatOnBehalfOf, validated; INVALID_ARGUMENT when malformed.
absl::StatusOr<Principal> ParseOnBehalfOf(absl::string_view text);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_PRINCIPAL_H_
