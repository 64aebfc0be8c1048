// Slot finding: the times in a search window when every required attendee and the venue are free,
// ranked by how many optional attendees can come. Pure: callers load the busy intervals.
#ifndef FIELDWORK_SERVICES_SCHEDULING_SLOT_FINDER_H_
#define FIELDWORK_SERVICES_SCHEDULING_SLOT_FINDER_H_

#include <optional>
#include <string>
#include <vector>

#include "common/api/interval.h"
#include "services/scheduling/calendar_rules.h"

namespace fieldwork::scheduling {

// A member or venue and the times it is taken (events, live holds, busy blocks), in any order.
struct Attendee {
  std::string name;
  std::vector<Interval> busy;
};

struct SlotQuery {
  Interval window;
  absl::Duration duration;
  absl::Duration granularity = absl::Minutes(30);  // candidate starts lie on this grid, which
  std::optional<absl::Time> grid_origin;           // starts here; unset: at each local midnight
  absl::Duration buffer;                           // travel buffer around members' bookings
  bool respect_working_hours = true;
  CalendarRules rules;
  std::vector<Attendee> required;
  std::vector<Attendee> optional;
  std::optional<Attendee> venue;  // booked without a buffer
  double min_optional_share = 0;  // 0..1: share of optional attendees that must be free
  int max_results = 10;
  bool disjoint = false;  // true: no two candidates overlap (a worse one overlapping a better is
                          // skipped); false: every qualifying grid point may be a candidate
};

struct SlotCandidate {
  Interval slot;
  double share_available = 1;            // free attendees ÷ all attendees, required included
  std::vector<std::string> unavailable;  // optional attendees who are busy then
};

// Why a search found nothing, so staff know what to change.
enum class EmptyReason {
  kNoWorkingTime,        // the window holds no working time long enough for the duration
  kRequiredBusy,         // `subject` alone is busy at every candidate time
  kVenueBusy,            // the venue is taken at every candidate time
  kNoCommonTime,         // each required attendee has free time, but never all at once
  kOptionalShareTooLow,  // free times exist, but too few optional attendees can come
};

struct EmptyExplanation {
  EmptyReason reason;
  std::string subject;  // the attendee concerned, when there is one
};

struct SlotResult {
  std::vector<SlotCandidate> candidates;    // by share available (desc), then start (asc)
  std::vector<EmptyExplanation> why_empty;  // set only when `candidates` is empty
};

SlotResult FindSlots(const SlotQuery& query);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_SLOT_FINDER_H_
