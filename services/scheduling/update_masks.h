// Update masks of the Update RPCs (protos/README.md "Updates"): which paths a request may name,
// and copying the named fields from the request's resource onto the stored one. "*" names every
// writable field; message and repeated fields are replaced whole. Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_UPDATE_MASKS_H_
#define FIELDWORK_SERVICES_SCHEDULING_UPDATE_MASKS_H_

#include <google/protobuf/message.h>

#include <set>
#include <string>
#include <vector>

#include "common/errors.h"
#include "google/protobuf/field_mask.pb.h"

namespace fieldwork::scheduling {

struct UpdateMaskRules {
  // Every path accepted besides "*", e.g. {"display_name", "term", "term.label"}.
  std::set<std::string> paths;
  // What "*" stands for: the top-level writable fields.
  std::vector<std::string> star;
};

// Records under `field` (usually "update_mask") an empty mask and each path `rules` does not
// accept (unknown, output only or immutable).
void CheckUpdateMask(const google::protobuf::FieldMask& mask, const UpdateMaskRules& rules,
                     FieldErrors& errors, const std::string& field = "update_mask");

// Copies the fields `mask` names from `source` onto `target` (same message type); an unset source
// field clears the target's.
void ApplyUpdateMask(const google::protobuf::FieldMask& mask, const UpdateMaskRules& rules,
                     const google::protobuf::Message& source, google::protobuf::Message& target);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_UPDATE_MASKS_H_
