// Resource names and enum values typed on the command line.
#include "tools/fieldctl/resource_args.h"

#include <google/protobuf/descriptor.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"

namespace fieldwork::fieldctl {
namespace {

// "EVENT_KIND_" for EventKind: the zero value's name without "UNSPECIFIED".
std::string EnumPrefix(const google::protobuf::EnumDescriptor* descriptor) {
  const std::string& zero = descriptor->value(0)->name();
  return std::string(absl::StripSuffix(zero, "UNSPECIFIED"));
}

template <typename Parsed>
absl::StatusOr<std::string> Checked(absl::StatusOr<Parsed> parsed, absl::string_view arg) {
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", arg, "\": ", parsed.status().message()));
  }
  return std::string(arg);
}

}  // namespace

absl::StatusOr<std::string> ResourceNameArg(ResourceKind kind, absl::string_view organization,
                                            absl::string_view arg) {
  if (absl::StrContains(arg, '/')) {
    switch (kind) {
      case ResourceKind::kMember:
        return Checked(ParseMemberName(arg), arg);
      case ResourceKind::kUnit:
        return Checked(ParseUnitName(arg), arg);
      case ResourceKind::kVenue:
        return Checked(ParseVenueName(arg), arg);
      case ResourceKind::kEvent:
        return Checked(ParseEventName(arg), arg);
      case ResourceKind::kHold:
        return Checked(ParseHoldName(arg), arg);
    }
  }
  if (const absl::Status valid = ValidateId(arg); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", arg, "\": ", valid.message()));
  }
  switch (kind) {
    case ResourceKind::kMember:
      return FormatMemberName(organization, arg);
    case ResourceKind::kUnit:
      return FormatUnitName(organization, arg);
    case ResourceKind::kVenue:
      return FormatVenueName(organization, arg);
    case ResourceKind::kEvent:
      return FormatEventName(organization, arg);
    case ResourceKind::kHold:
      return FormatHoldName(organization, arg);
  }
  return absl::InternalError("unknown resource kind");
}

absl::StatusOr<std::string> BusyBlockNameArg(absl::string_view organization,
                                             absl::string_view arg) {
  if (absl::StartsWith(arg, "organizations/")) return Checked(ParseBusyBlockName(arg), arg);
  const std::vector<std::string> parts = absl::StrSplit(arg, '/');
  if (parts.size() != 2 || !ValidateId(parts[0]).ok() || !ValidateId(parts[1]).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", arg, "\" is not MEMBER/BLOCK (e.g. m7/trip) nor a busy block name"));
  }
  return FormatBusyBlockName(organization, parts[0], parts[1]);
}

std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value) {
  if (value == 0) return "";
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  return std::string(absl::StripPrefix(found->name(), EnumPrefix(descriptor)));
}

absl::StatusOr<int> ParseEnumArg(const google::protobuf::EnumDescriptor* descriptor,
                                 absl::string_view text) {
  const std::string wanted = absl::StrReplaceAll(absl::AsciiStrToUpper(text), {{"-", "_"}});
  const std::string prefix = EnumPrefix(descriptor);
  for (int i = 1; i < descriptor->value_count(); ++i) {
    const std::string& name = descriptor->value(i)->name();
    if (name == wanted || name == prefix + wanted) return descriptor->value(i)->number();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not one of ", EnumChoices(descriptor)));
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* descriptor) {
  std::vector<std::string> choices;
  for (int i = 1; i < descriptor->value_count(); ++i) {
    choices.push_back(absl::StrReplaceAll(
        absl::AsciiStrToLower(EnumLabel(descriptor, descriptor->value(i)->number())),
        {{"_", "-"}}));
  }
  return absl::StrJoin(choices, ", ");
}

}  // namespace fieldwork::fieldctl
