// Permission values and the start-up check that a permission table covers the served methods.
#include "common/permissions.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"

namespace fieldwork {
namespace {

constexpr uint32_t Bit(Role role) { return 1u << static_cast<uint32_t>(role); }

}  // namespace

Permission Permission::Public() {
  Permission permission;
  permission.is_public_ = true;
  return permission;
}

Permission Permission::Roles(std::initializer_list<Role> roles) {
  Permission permission;
  for (const Role role : roles) permission.role_bits_ |= Bit(role);
  return permission;
}

Permission Permission::AtLeast(Role role) {
  if (role == Role::kService) return Roles({Role::kService});
  Permission permission;
  for (const Role candidate : {Role::kAdmin, Role::kOrgAdmin, Role::kStaff, Role::kMember}) {
    permission.role_bits_ |= Bit(candidate);
    if (candidate == role) break;
  }
  return permission;
}

Permission Permission::OrMemberSelf() const {
  Permission permission = *this;
  permission.member_self_ = true;
  return permission;
}

Permission Permission::OrService() const {
  Permission permission = *this;
  permission.role_bits_ |= Bit(Role::kService);
  return permission;
}

bool Permission::allows(Role role) const { return is_public_ || (role_bits_ & Bit(role)) != 0; }

absl::StatusOr<std::vector<std::string>> MethodsOfService(const std::string& service_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("no linked proto defines service ", service_name));
  }
  std::vector<std::string> methods;
  for (int i = 0; i < service->method_count(); ++i) {
    methods.push_back(absl::StrCat("/", service_name, "/", service->method(i)->name()));
  }
  return methods;
}

absl::Status CheckPermissionCoverage(const std::vector<std::string>& service_names,
                                     const PermissionTable& table) {
  std::set<std::string> served;
  for (const std::string& service_name : service_names) {
    absl::StatusOr<std::vector<std::string>> methods = MethodsOfService(service_name);
    if (!methods.ok()) return methods.status();
    served.insert(methods->begin(), methods->end());
  }
  std::vector<std::string> missing;
  for (const std::string& method : served) {
    if (table.count(method) == 0) missing.push_back(method);
  }
  std::vector<std::string> unknown;
  for (const auto& [method, permission] : table) {
    if (served.count(method) == 0) unknown.push_back(method);
  }
  if (missing.empty() && unknown.empty()) return absl::OkStatus();
  std::vector<std::string> problems;
  if (!missing.empty()) {
    problems.push_back(
        absl::StrCat("methods without a permission entry: ", absl::StrJoin(missing, ", ")));
  }
  if (!unknown.empty()) {
    problems.push_back(
        absl::StrCat("permission entries for methods not served: ", absl::StrJoin(unknown, ", ")));
  }
  return absl::FailedPreconditionError(absl::StrJoin(problems, "; "));
}

}  // namespace fieldwork
