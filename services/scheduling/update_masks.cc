// Update mask checks and application (see update_masks.h).
#include "services/scheduling/update_masks.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"

namespace fieldwork::scheduling {

using ::google::protobuf::FieldMask;
using ::google::protobuf::util::FieldMaskUtil;

void CheckUpdateMask(const FieldMask& mask, const UpdateMaskRules& rules, FieldErrors& errors,
                     const std::string& field) {
  if (mask.paths().empty()) {
    errors.Add(field, "is required: name the fields to change, or \"*\"");
    return;
  }
  for (const std::string& path : mask.paths()) {
    if (path != "*" && rules.paths.count(path) == 0) {
      errors.Add(field, absl::StrCat("\"", path, "\" is not a writable field"));
    }
  }
}

void ApplyUpdateMask(const FieldMask& mask, const UpdateMaskRules& rules,
                     const google::protobuf::Message& source, google::protobuf::Message& target) {
  FieldMask expanded;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (const std::string& field : rules.star) expanded.add_paths(field);
    } else {
      expanded.add_paths(path);
    }
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(source, expanded, options, &target);
}

}  // namespace fieldwork::scheduling
