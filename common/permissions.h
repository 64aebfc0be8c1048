// The permission each RPC needs. Every service binary keeps one PermissionTable with an entry for
// every method it serves (full name "/package.Service/Method"); the server runner refuses to start
// when a served method has no entry or an entry names no served method.
#ifndef FIELDWORK_COMMON_PERMISSIONS_H_
#define FIELDWORK_COMMON_PERMISSIONS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/principal.h"

namespace fieldwork {

class Permission {
 public:
  // Anyone, without a token (health checks, reflection).
  static Permission Public();
  // Exactly the listed roles.
  static Permission Roles(std::initializer_list<Role> roles);
  // `role` and every role above it: AtLeast(kStaff) is admin, org-admin and staff.
  static Permission AtLeast(Role role);

  // Also a member acting on itself: the handler names the member the call touches, and a member
  // principal passes only when that is its own subject.
  Permission OrMemberSelf() const;
  // Also a service calling on its own account (without forwarding a caller's identity).
  Permission OrService() const;

  bool is_public() const { return is_public_; }
  bool allows(Role role) const;
  bool member_self() const { return member_self_; }

 private:
  bool is_public_ = false;
  uint32_t role_bits_ = 0;
  bool member_self_ = false;
};

// Full method name → permission.
using PermissionTable = std::map<std::string, Permission>;

// The AuditService every server serves (common/audit/); each service's table gives it
// AuditPermission(): admin and org-admin (audit_service.proto).
inline constexpr char kListAuditEntriesMethod[] =
    "/fieldwork.common.v1.AuditService/ListAuditEntries";
inline Permission AuditPermission() { return Permission::AtLeast(Role::kOrgAdmin); }

// Full method names of `service_name` ("package.Service") per the generated descriptor pool;
// NOT_FOUND when no linked proto defines it.
absl::StatusOr<std::vector<std::string>> MethodsOfService(const std::string& service_name);

// OK when `table` has an entry for each method of each of `service_names` and no other entries;
// otherwise FAILED_PRECONDITION listing every missing and every unknown method.
absl::Status CheckPermissionCoverage(const std::vector<std::string>& service_names,
                                     const PermissionTable& table);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_PERMISSIONS_H_
