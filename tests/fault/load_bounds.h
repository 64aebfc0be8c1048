// How much load a scenario sends: a request count and a wall-clock bound (whichever comes first),
// over a number of client threads. CI runs the small bounds; FIELDWORK_FAULT_SOAK=<factor> (e.g.
// 20) multiplies count and time for a manual soak run.
#ifndef FIELDWORK_TESTS_FAULT_LOAD_BOUNDS_H_
#define FIELDWORK_TESTS_FAULT_LOAD_BOUNDS_H_

#include "absl/time/time.h"

namespace fieldwork::testing {

struct LoadBounds {
  int max_requests = 200;
  absl::Duration max_time = absl::Seconds(10);
  int clients = 8;
};

// `ci` scaled by FIELDWORK_FAULT_SOAK (1 when unset or not a positive integer).
LoadBounds Bounded(LoadBounds ci);
// The soak factor in effect.
int SoakFactor();

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_FAULT_LOAD_BOUNDS_H_
