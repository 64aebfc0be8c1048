// Role names, principal validation and the forwarded-identity text format.
#include "common/principal.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fieldwork {
namespace {

constexpr struct {
  Role role;
  absl::string_view name;
} kRoleNames[] = {{Role::kAdmin, "admin"},
                  {Role::kOrgAdmin, "org-admin"},
                  {Role::kStaff, "staff"},
                  {Role::kMember, "member"},
                  {Role::kService, "service"}};

// Printable ASCII except space, ';' and '=', so identities survive metadata and the
// forwarded-identity format unchanged.
bool IsIdentityText(absl::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  for (const char c : text) {
    if (c <= ' ' || c > '~' || c == ';' || c == '=') return false;
  }
  return true;
}

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (const auto& entry : kRoleNames) {
    if (entry.name == name) return entry.role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role \"", name, "\" (admin, org-admin, staff, member, service)"));
}

absl::Status ValidatePrincipal(const Principal& principal) {
  if (!IsIdentityText(principal.subject)) {
    return absl::InvalidArgumentError(
        "subject must be 1-256 printable ASCII characters without spaces, ';' or '='");
  }
  if (!IsIdentityText(principal.organization)) {
    return absl::InvalidArgumentError(absl::StrCat("organization must be an organization id, or \"",
                                                   kAllOrganizations, "\" for all"));
  }
  switch (principal.role) {
    case Role::kAdmin:
      if (!principal.all_organizations()) {
        return absl::InvalidArgumentError(
            absl::StrCat("role admin spans every organization: use organization \"",
                         kAllOrganizations, "\" (org-admin is the per-organization role)"));
      }
      break;
    case Role::kOrgAdmin:
    case Role::kStaff:
      if (principal.all_organizations()) {
        return absl::InvalidArgumentError(
            absl::StrCat("role ", RoleName(principal.role), " needs one organization"));
      }
      break;
    case Role::kMember: {
      const std::string prefix =
          absl::StrCat("organizations/", principal.organization, "/members/");
      if (principal.all_organizations() || !absl::StartsWith(principal.subject, prefix) ||
          principal.subject.size() == prefix.size() ||
          absl::StrContains(principal.subject.substr(prefix.size()), '/')) {
        return absl::InvalidArgumentError(
            "role member needs one organization and the subject "
            "organizations/<organization>/members/<member>");
      }
      break;
    }
    case Role::kService:
      break;
  }
  return absl::OkStatus();
}

std::string FormatOnBehalfOf(const Principal& principal) {
  return absl::StrCat("role=", RoleName(principal.role), ";organization=", principal.organization,
                      ";subject=", principal.subject);
}

absl::StatusOr<Principal> ParseOnBehalfOf(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ';');
  const absl::Status malformed = absl::InvalidArgumentError(absl::StrCat(
      kOnBehalfOfMetadataKey, " must be role=<role>;organization=<org>;subject=<subject>"));
  if (parts.size() != 3) return malformed;
  absl::string_view values[3];
  constexpr absl::string_view kKeys[3] = {"role=", "organization=", "subject="};
  for (int i = 0; i < 3; ++i) {
    if (!absl::StartsWith(parts[i], kKeys[i])) return malformed;
    values[i] = parts[i].substr(kKeys[i].size());
  }
  Principal principal;
  absl::StatusOr<Role> role = ParseRole(values[0]);
  if (!role.ok()) return role.status();
  if (*role == Role::kService) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOnBehalfOfMetadataKey, " must name the original caller, not a service"));
  }
  principal.role = *role;
  principal.organization = std::string(values[1]);
  principal.subject = std::string(values[2]);
  absl::Status valid = ValidatePrincipal(principal);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(kOnBehalfOfMetadataKey, ": ", valid.message()));
  }
  return principal;
}

}  // namespace fieldwork
