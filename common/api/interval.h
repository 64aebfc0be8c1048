// A half-open time interval [start, end) and the overlap rule every calendar check uses.
#ifndef FIELDWORK_COMMON_API_INTERVAL_H_
#define FIELDWORK_COMMON_API_INTERVAL_H_

#include "absl/time/time.h"

namespace fieldwork {

struct Interval {
  absl::Time start;
  absl::Time end;

  absl::Duration length() const { return end - start; }
  bool operator==(const Interval& other) const { return start == other.start && end == other.end; }
};

// Whether `a` and `b` are closer than `buffer`: with a 30-minute travel buffer an event ending at
// 10:00 clashes with one starting at 10:20 but not with one starting at 10:30.
inline bool Overlaps(const Interval& a, const Interval& b, absl::Duration buffer) {
  return a.start < b.end + buffer && b.start < a.end + buffer;
}

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_API_INTERVAL_H_
