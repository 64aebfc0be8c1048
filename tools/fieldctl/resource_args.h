// Command-line arguments that name things: resource ids or full names ("m7" or
// "organizations/tongguan/members/m7"), and enum values in short form ("research-trip" for
// EVENT_KIND_RESEARCH_TRIP), plus the short labels tables show for enum values. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_RESOURCE_ARGS_H_
#define FIELDWORK_TOOLS_FIELDCTL_RESOURCE_ARGS_H_

#include <google/protobuf/generated_enum_reflection.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fieldwork::fieldctl {

enum class ResourceKind { kMember, kUnit, kVenue, kEvent, kHold };

// The full name of a resource of `organization` given its id or its full name (checked).
absl::StatusOr<std::string> ResourceNameArg(ResourceKind kind, absl::string_view organization,
                                            absl::string_view arg);

// A busy block given as "MEMBER/BLOCK" ids or its full name.
absl::StatusOr<std::string> BusyBlockNameArg(absl::string_view organization, absl::string_view arg);

// The last segment of a resource name ("m7" for "organizations/o/members/m7").
std::string IdOf(absl::string_view name);

// The value's name without the enum's prefix: "RESEARCH_TRIP" for EVENT_KIND_RESEARCH_TRIP; "" for
// the zero value.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value);
template <typename Enum>
std::string EnumLabel(Enum value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// The value named `text`: the full name or the short one, any case, "-" for "_"
// ("research-trip"). INVALID_ARGUMENT listing the choices otherwise.
absl::StatusOr<int> ParseEnumArg(const google::protobuf::EnumDescriptor* descriptor,
                                 absl::string_view text);
template <typename Enum>
absl::StatusOr<Enum> ParseEnumArg(absl::string_view text) {
  absl::StatusOr<int> value = ParseEnumArg(google::protobuf::GetEnumDescriptor<Enum>(), text);
  if (!value.ok()) return value.status();
  return static_cast<Enum>(*value);
}

// "research-trip, inspection, …": the accepted short forms, for --help.
std::string EnumChoices(const google::protobuf::EnumDescriptor* descriptor);
template <typename Enum>
std::string EnumChoices() {
  return EnumChoices(google::protobuf::GetEnumDescriptor<Enum>());
}

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_RESOURCE_ARGS_H_
