// The rules of events that need no I/O: limits and field checks of an event, the references it
// makes to the roster, update masks, the participants after expanding invited units, capacity and
// state transitions.
#ifndef FIELDWORK_SERVICES_SCHEDULING_EVENT_RULES_H_
#define FIELDWORK_SERVICES_SCHEDULING_EVENT_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/scheduling/update_masks.h"

namespace fieldwork::scheduling {

inline constexpr absl::Duration kMinEventLength = absl::Minutes(5);
inline constexpr absl::Duration kMaxEventLength = absl::Hours(24 * 14);
inline constexpr int kMaxParticipants = 1000;

// A roster resource an event refers to, with the request field that names it.
struct Reference {
  enum class Kind { kMember, kUnit, kVenue };
  Kind kind;
  std::string id;
  std::string field;  // e.g. "event.participants[3].member"
};

// Checks every writable field of `event` (field paths start with `prefix`, e.g. "event") and
// that each reference names a resource of `organization`; returns the references for the roster
// lookups (existence and state are the roster's to say).
std::vector<Reference> CheckEventFields(absl::string_view prefix, const v1::Event& event,
                                        absl::string_view organization, FieldErrors& errors);

// The paths UpdateEvent accepts: kind, title, topics, description, organizing_unit, venue,
// itinerary, time_range, participants, invited_units, capacity ("*" for all of them).
const UpdateMaskRules& EventMask();

// Whether `before` → `after` changes what a booked event holds (time, venue, itinerary,
// participants, invited units or capacity).
bool ChangesBooking(const v1::Event& before, const v1::Event& after);
// Whether it changes what iCalendar's SEQUENCE counts (time, venue, itinerary or state).
bool ChangesSequence(const v1::Event& before, const v1::Event& after);
// Whether only description and topics differ (all a COMPLETED or CANCELLED event accepts).
bool OnlyNotesChanged(const v1::Event& before, const v1::Event& after);

// Members of one invited unit, as member names (active members only).
struct UnitMembers {
  std::string unit;  // unit name
  v1::ParticipantRole role;
  std::vector<std::string> members;
};

// Direct participants plus the members of invited units; a member invited several ways gets the
// strongest role (LEAD > REQUIRED > OPTIONAL) and the unit it came from, if the role came from
// one. Ordered by member name.
std::vector<v1::Participant> ResolveParticipants(const v1::Event& event,
                                                 const std::vector<UnitMembers>& units);

// FAILED_PRECONDITION (ERROR_REASON_CAPACITY_EXCEEDED) when the resolved participants exceed the
// event's capacity; INVALID_ARGUMENT on event.invited_units when they exceed 1000.
absl::Status CheckResolvedCount(const v1::Event& event);

// True when every path of `mask` names a field of Event (ListEvents' read_mask).
bool IsEventReadMask(const google::protobuf::FieldMask& mask);
// Keeps only the fields of `mask` in `event`; an empty mask keeps everything.
void TrimToReadMask(const google::protobuf::FieldMask& mask, v1::Event& event);

// The event's start as Unix seconds (the order of listings and calendars).
inline int64_t EventStartSeconds(const v1::Event& event) {
  return event.time_range().start_time().seconds();
}

// True when `member_name` is among the event's participants, as named or as resolved.
bool TakesPart(const v1::Event& event, absl::string_view member_name);

// Narrows `event` for GetEvent's member filter: `participants` and `resolved_participants` keep
// only the entries of `member_name`.
void KeepOnlyParticipant(v1::Event& event, absl::string_view member_name);

// FAILED_PRECONDITION (ERROR_REASON_INVALID_STATE, metadata "state") for a call that the event's
// state forbids; `what` names the call, e.g. "only a DRAFT can be scheduled".
absl::Status InvalidState(const v1::Event& event, absl::string_view what);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_EVENT_RULES_H_
