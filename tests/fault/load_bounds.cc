// Load bounds and the soak factor (see load_bounds.h).
#include "tests/fault/load_bounds.h"

#include <stdlib.h>

#include "absl/strings/numbers.h"

namespace fieldwork::testing {

int SoakFactor() {
  const char* text = getenv("FIELDWORK_FAULT_SOAK");
  int factor = 1;
  if (text == nullptr || !absl::SimpleAtoi(text, &factor) || factor < 1) return 1;
  return factor;
}

LoadBounds Bounded(LoadBounds ci) {
  const int factor = SoakFactor();
  ci.max_requests *= factor;
  ci.max_time *= factor;
  return ci;
}

}  // namespace fieldwork::testing
