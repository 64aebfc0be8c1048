// What a booking puts on calendars and how it is checked: the calendar entries ("claims") of an
// event, a hold or a busy block, the lock keys a booking takes, the conflict check of the claims
// against the entries read under those locks, and the answer's Conflicts and warnings. Pure: the
// booking store does the I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_BOOKING_PLAN_H_
#define FIELDWORK_SERVICES_SCHEDULING_BOOKING_PLAN_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/common/v1/error.pb.h"
#include "fieldwork/scheduling/v1/booking.pb.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/hold.pb.h"
#include "services/scheduling/booking.h"
#include "services/scheduling/calendar_store.h"

namespace fieldwork::scheduling {

// One entry on one member's or venue's calendar.
struct CalendarClaim {
  enum class Calendar { kMember, kVenue };
  Calendar calendar = Calendar::kMember;
  std::string id;  // member or venue id
  CalendarEntry entry;

  // The calendar's key in maps: "member:{id}" or "venue:{id}".
  std::string CalendarKey() const;
  bool operator==(const CalendarClaim& other) const;
};

// Everything one booking changes on calendars.
struct BookingPlan {
  std::string organization;
  std::vector<CalendarClaim> claims;    // entries to put on calendars; checked for clashes
  std::vector<CalendarClaim> releases;  // entries to take off (the booking's old entries)
  // Bookings whose entries never clash with the claims: the event being re-booked, the hold
  // being confirmed.
  absl::flat_hash_set<std::string> ignored;
  absl::Duration travel_buffer;
  // The claims are a busy block's: other busy blocks of the member do not clash with it.
  bool busy_block = false;

  bool empty() const { return claims.empty() && releases.empty(); }
};

// The calendar entries of an event that holds calendars (SCHEDULED or COMPLETED; none for other
// states): one per resolved participant, required for LEAD and REQUIRED; one per venue for which
// `book_venue(venue_id)` holds — the single venue over the whole time range, each itinerary stop
// over its own range.
std::vector<CalendarClaim> EventClaims(const v1::Event& event,
                                       absl::FunctionRef<bool(absl::string_view)> book_venue);

// The calendar entries of an ACTIVE hold: every resolved member (required) and its venue when
// `book_venue`; all lapse at the hold's expire_time.
std::vector<CalendarClaim> HoldClaims(const v1::Hold& hold, bool book_venue);

// The calendars a booking must lock, as lock keys: members with a required claim or release and
// every venue claimed or released. Optional entries are written without their member's lock; they
// never make a conflict.
std::vector<std::string> LockKeys(const BookingPlan& plan);

// The time each calendar of `plan.claims` must be read for (the hull of its claims), by
// CalendarKey.
absl::flat_hash_map<std::string, Interval> ReadWindows(const BookingPlan& plan);

// Whether locks on `held_keys` (sorted) and calendars read over `read_windows` (by CalendarKey;
// members' widened by `read_buffer`) serve `plan`: it takes no lock outside `held_keys`, and each
// calendar it claims was read over a window holding its claims, with at least its travel buffer.
bool CoveredBy(const BookingPlan& plan, const std::vector<std::string>& held_keys,
               const absl::flat_hash_map<std::string, Interval>& read_windows,
               absl::Duration read_buffer);

// Checks the claims against `existing` (entries read per CalendarKey): required member claims
// clash with other required entries (travel buffer), optional member claims with anything
// (warnings), venue claims with anything (no buffer). Entries of `plan.ignored` never clash.
BookingCheck CheckPlan(
    const BookingPlan& plan,
    const absl::flat_hash_map<std::string, std::vector<CalendarEntry>>& existing);

// The machine-readable list of a refused booking.
fieldwork::common::v1::Conflicts ToConflicts(const BookingPlan& plan,
                                             const std::vector<Clash>& conflicts);
// The warnings of an accepted booking (optional participants who overlap): one per participant
// (its first clash), at most kMaxBookingWarnings, so an answer stays small however many bookings
// overlap.
inline constexpr size_t kMaxBookingWarnings = 100;
std::vector<v1::BookingWarning> ToWarnings(const std::vector<Clash>& warnings);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_BOOKING_PLAN_H_
