// Parsing and formatting of fieldwork resource names (see resource_names.h).
#include "common/api/resource_names.h"

#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace fieldwork {
namespace {

constexpr size_t kMaxIdLength = 63;
constexpr size_t kRandomIdLength = 16;
constexpr absl::string_view kOrganizations = "organizations";

bool IsIdChar(char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'; }
bool IsIdEnd(char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c); }

// `organizations/{o}/<collection>/{id}` → {o, id}.
absl::StatusOr<ChildName> ParseChildName(absl::string_view name, absl::string_view collection) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != kOrganizations || parts[2] != collection) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be organizations/{organization}/", collection, "/{id}"));
  }
  if (absl::Status valid = ValidateOrganizationId(parts[1]); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("organization id: ", valid.message()));
  }
  if (absl::Status valid = ValidateId(parts[3]); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(collection, " id: ", valid.message()));
  }
  return ChildName{std::string(parts[1]), std::string(parts[3])};
}

}  // namespace

absl::Status ValidateId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) {
    return absl::InvalidArgumentError("must be 1-63 characters of [a-z0-9-]");
  }
  for (const char c : id) {
    if (!IsIdChar(c)) return absl::InvalidArgumentError("must contain only [a-z0-9-]");
  }
  if (!IsIdEnd(id.front()) || !IsIdEnd(id.back())) {
    return absl::InvalidArgumentError("must start and end with a letter or digit");
  }
  return absl::OkStatus();
}

absl::Status ValidateOrganizationId(absl::string_view id) {
  if (absl::Status valid = ValidateId(id); !valid.ok()) return valid;
  if (!absl::ascii_islower(id.front())) {
    return absl::InvalidArgumentError("must start with a letter");
  }
  return absl::OkStatus();
}

std::string NewResourceId() {
  static constexpr absl::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local absl::BitGen bits;
  std::string id(kRandomIdLength, 'a');
  for (char& c : id) c = kAlphabet[absl::Uniform<size_t>(bits, 0, kAlphabet.size())];
  return id;
}

absl::StatusOr<std::string> ParseOrganizationName(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != kOrganizations) {
    return absl::InvalidArgumentError("must be organizations/{organization}");
  }
  if (absl::Status valid = ValidateOrganizationId(parts[1]); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("organization id: ", valid.message()));
  }
  return std::string(parts[1]);
}

absl::StatusOr<ChildName> ParseMemberName(absl::string_view name) {
  return ParseChildName(name, "members");
}
absl::StatusOr<ChildName> ParseUnitName(absl::string_view name) {
  return ParseChildName(name, "units");
}
absl::StatusOr<ChildName> ParseVenueName(absl::string_view name) {
  return ParseChildName(name, "venues");
}
absl::StatusOr<ChildName> ParseEventName(absl::string_view name) {
  return ParseChildName(name, "events");
}
absl::StatusOr<ChildName> ParseHoldName(absl::string_view name) {
  return ParseChildName(name, "holds");
}

absl::StatusOr<BusyBlockName> ParseBusyBlockName(absl::string_view name) {
  const size_t split = name.find("/busyBlocks/");
  const absl::Status malformed = absl::InvalidArgumentError(
      "must be organizations/{organization}/members/{member}/busyBlocks/{id}");
  if (split == absl::string_view::npos) return malformed;
  absl::StatusOr<ChildName> member = ParseMemberName(name.substr(0, split));
  if (!member.ok()) return malformed;
  const absl::string_view id = name.substr(split + absl::string_view("/busyBlocks/").size());
  if (absl::Status valid = ValidateId(id); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("busyBlocks id: ", valid.message()));
  }
  return BusyBlockName{std::move(member->organization), std::move(member->id), std::string(id)};
}

absl::StatusOr<AttendanceName> ParseAttendanceName(absl::string_view name) {
  const size_t split = name.find("/attendance/");
  const absl::Status malformed = absl::InvalidArgumentError(
      "must be organizations/{organization}/events/{event}/attendance/{member}");
  if (split == absl::string_view::npos) return malformed;
  absl::StatusOr<ChildName> event = ParseEventName(name.substr(0, split));
  if (!event.ok()) return malformed;
  const absl::string_view member = name.substr(split + absl::string_view("/attendance/").size());
  if (absl::Status valid = ValidateId(member); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("attendance member id: ", valid.message()));
  }
  return AttendanceName{std::move(event->organization), std::move(event->id), std::string(member)};
}

std::string FormatOrganizationName(absl::string_view organization) {
  return absl::StrCat(kOrganizations, "/", organization);
}
std::string FormatMemberName(absl::string_view organization, absl::string_view member) {
  return absl::StrCat(kOrganizations, "/", organization, "/members/", member);
}
std::string FormatUnitName(absl::string_view organization, absl::string_view unit) {
  return absl::StrCat(kOrganizations, "/", organization, "/units/", unit);
}
std::string FormatVenueName(absl::string_view organization, absl::string_view venue) {
  return absl::StrCat(kOrganizations, "/", organization, "/venues/", venue);
}
std::string FormatEventName(absl::string_view organization, absl::string_view event) {
  return absl::StrCat(kOrganizations, "/", organization, "/events/", event);
}
std::string FormatHoldName(absl::string_view organization, absl::string_view hold) {
  return absl::StrCat(kOrganizations, "/", organization, "/holds/", hold);
}
std::string FormatBusyBlockName(absl::string_view organization, absl::string_view member,
                                absl::string_view busy_block) {
  return absl::StrCat(FormatMemberName(organization, member), "/busyBlocks/", busy_block);
}

std::string FormatAttendanceName(absl::string_view organization, absl::string_view event,
                                 absl::string_view member) {
  return absl::StrCat(FormatEventName(organization, event), "/attendance/", member);
}

}  // namespace fieldwork
