// FindSlots without I/O: the field rules of a request, and the search itself once the calendars
// of its attendees and venue have been read — building the slot query (units expanded, ignored
// bookings dropped), running the slot finder and encoding candidates or the reasons for none.
#ifndef FIELDWORK_SERVICES_SCHEDULING_SLOT_REQUEST_H_
#define FIELDWORK_SERVICES_SCHEDULING_SLOT_REQUEST_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/calendar_rules.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/event_rules.h"

namespace fieldwork::scheduling {

inline constexpr int kMaxSlotMembers = 1000;  // per list, and distinct after expanding units
inline constexpr int kMaxSlotUnits = 50;
inline constexpr int kMaxIgnoredBookings = 10;
inline constexpr int kDefaultSlotResults = 10;
inline constexpr int kMaxSlotResults = 100;
inline constexpr absl::Duration kMaxSearchWindow = absl::Hours(24 * 366);

// A FindSlots request whose fields passed their rules.
struct SlotRequest {
  std::vector<Reference> members;  // required_members[i] and optional_members[i], in that order
  std::vector<Reference> units;    // required_units[i] and optional_units[i]
  std::optional<Reference> venue;
  size_t required_member_count = 0;  // members[0, required_member_count) are required
  size_t required_unit_count = 0;    // units[0, required_unit_count) are required
  struct IgnoredBooking {
    bool hold = false;  // a hold, else an event
    std::string id;
    std::string field;  // ignore_bookings[i]
  };
  std::vector<IgnoredBooking> ignored_bookings;
  Interval window;
  absl::Duration duration;
  absl::Duration granularity = absl::Minutes(30);
  bool respect_working_hours = true;
  double min_optional_share = 0;
  int max_results = kDefaultSlotResults;
};

// Checks every field but parent (the caller's business, before authorizing) against the rules of
// FindSlotsRequest for `organization`; violations go to `errors` under their field paths.
SlotRequest CheckFindSlotsRequest(const v1::FindSlotsRequest& request,
                                  absl::string_view organization, FieldErrors& errors);

// A member or venue with what occupies its calendar around the search window.
struct SlotCalendar {
  std::string name;  // resource name
  std::vector<CalendarEntry> entries;
};

// Everything the search needs once read from the stores.
struct SlotSearch {
  Interval window;
  absl::Duration duration;
  absl::Duration granularity;
  bool respect_working_hours = true;
  double min_optional_share = 0;
  int max_results = kDefaultSlotResults;
  CalendarRules rules;
  absl::Duration travel_buffer;
  std::vector<SlotCalendar> required;  // distinct members, after expanding units
  std::vector<SlotCalendar> optional;  // distinct, none of them required
  std::optional<SlotCalendar> venue;   // an exclusive venue only
  std::string venue_name;              // the requested venue, exclusive or not; "" for none
  int venue_capacity = 0;              // 0: unknown, never checked
  absl::flat_hash_set<std::string> ignored_bookings;  // resource names of events and holds
};

// Candidates, or the reasons for none. Entries of ignored bookings, and entries where a member
// takes part only optionally (they hold no calendar), do not make anyone busy.
v1::FindSlotsResponse SearchSlots(const SlotSearch& search);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_SLOT_REQUEST_H_
