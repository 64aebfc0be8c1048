// Resource names and ids of the fieldwork APIs (protos/README.md "Names"): parse
// `organizations/{o}/members/{m}` and friends into ids, format ids back into names, check
// client-chosen ids, and make random ones. Pure: no I/O.
//
// Every Parse*/Validate* failure is INVALID_ARGUMENT whose message describes the problem without
// naming the field, so callers record it under their own path: errors.Add("parent", s.message()).
#ifndef FIELDWORK_COMMON_API_RESOURCE_NAMES_H_
#define FIELDWORK_COMMON_API_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/errors.h"

namespace fieldwork {

// A resource directly under an organization (member, unit, venue, event, hold).
struct ChildName {
  std::string organization;
  std::string id;
};

// `organizations/{organization}/members/{member}/busyBlocks/{id}`.
struct BusyBlockName {
  std::string organization;
  std::string member;
  std::string id;
};

// `organizations/{organization}/events/{event}/attendance/{member}`.
struct AttendanceName {
  std::string organization;
  std::string event;
  std::string member;
};

// Ids of members, units, venues, events, holds and busy blocks: 1–63 of [a-z0-9-], starting and
// ending with a letter or digit.
absl::Status ValidateId(absl::string_view id);
// Organization ids: the same, and starting with a letter.
absl::Status ValidateOrganizationId(absl::string_view id);
// A random 16-character id of [a-z0-9] for a Create without a client-chosen id.
std::string NewResourceId();

absl::StatusOr<std::string> ParseOrganizationName(absl::string_view name);
absl::StatusOr<ChildName> ParseMemberName(absl::string_view name);
absl::StatusOr<ChildName> ParseUnitName(absl::string_view name);
absl::StatusOr<ChildName> ParseVenueName(absl::string_view name);
absl::StatusOr<ChildName> ParseEventName(absl::string_view name);
absl::StatusOr<ChildName> ParseHoldName(absl::string_view name);
absl::StatusOr<BusyBlockName> ParseBusyBlockName(absl::string_view name);
absl::StatusOr<AttendanceName> ParseAttendanceName(absl::string_view name);

// `parsed` with a failure turned into INVALID_ARGUMENT naming `field`:
//   FIELDWORK_ASSIGN_OR_RETURN(ChildName member, NameField("name", ParseMemberName(name)));
template <typename T>
absl::StatusOr<T> NameField(absl::string_view field, absl::StatusOr<T> parsed) {
  if (!parsed.ok()) return InvalidField(field, parsed.status().message());
  return parsed;
}

std::string FormatOrganizationName(absl::string_view organization);
std::string FormatMemberName(absl::string_view organization, absl::string_view member);
std::string FormatUnitName(absl::string_view organization, absl::string_view unit);
std::string FormatVenueName(absl::string_view organization, absl::string_view venue);
std::string FormatEventName(absl::string_view organization, absl::string_view event);
std::string FormatHoldName(absl::string_view organization, absl::string_view hold);
std::string FormatBusyBlockName(absl::string_view organization, absl::string_view member,
                                absl::string_view busy_block);
std::string FormatAttendanceName(absl::string_view organization, absl::string_view event,
                                 absl::string_view member);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_RESOURCE_NAMES_H_
