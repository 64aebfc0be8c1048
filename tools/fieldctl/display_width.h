// How many terminal cells a UTF-8 string takes: CJK and fullwidth characters take two, combining
// marks none, everything else one. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_DISPLAY_WIDTH_H_
#define FIELDWORK_TOOLS_FIELDCTL_DISPLAY_WIDTH_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace fieldwork::fieldctl {

// Terminal cells of one Unicode code point (0 for combining marks and zero-width characters).
int CodePointWidth(char32_t code_point);

// Terminal cells of `text`; bytes that are not valid UTF-8 count one cell each.
size_t DisplayWidth(absl::string_view text);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_DISPLAY_WIDTH_H_
