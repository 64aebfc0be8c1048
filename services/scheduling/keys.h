// Every Redis key the scheduling service uses, in one place. All keys of an organization carry the
// hash tag {org}, so one operation's keys sit in one Redis Cluster slot. Only the scheduling store
// includes this file; attendance and reporting ask scheduling over gRPC instead.
#ifndef FIELDWORK_SERVICES_SCHEDULING_KEYS_H_
#define FIELDWORK_SERVICES_SCHEDULING_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace fieldwork::scheduling::keys {

inline std::string Prefix(absl::string_view org) { return absl::StrCat("fw:{", org, "}:"); }

// The Organization message, with its settings (calendar rules, attendance windows, scoring).
inline std::string Organization(absl::string_view org) { return Prefix(org) + "org"; }
// The ids of every organization (sorted set, score 0, paged with ZRANGEBYLEX) for
// ListOrganizations: the one key outside any organization's hash tag, written on its own before
// the organization record (an id whose record is missing is skipped on read).
inline std::string OrganizationIds() { return "fw:organizations"; }

// Roster records (serialized Member / Unit / Venue) and their id indexes: sorted sets with score 0,
// so ZRANGEBYLEX pages through ids in order.
inline std::string Member(absl::string_view org, absl::string_view id) {
  return absl::StrCat(Prefix(org), "member:", id);
}
inline std::string MemberIds(absl::string_view org) { return Prefix(org) + "members"; }
inline std::string Unit(absl::string_view org, absl::string_view id) {
  return absl::StrCat(Prefix(org), "unit:", id);
}
inline std::string UnitIds(absl::string_view org) { return Prefix(org) + "units"; }
// The ids of a unit's members: the index behind "invite a whole unit" and ListMembers by unit.
inline std::string UnitMemberIds(absl::string_view org, absl::string_view unit) {
  return absl::StrCat(Prefix(org), "unit_members:", unit);
}
inline std::string Venue(absl::string_view org, absl::string_view id) {
  return absl::StrCat(Prefix(org), "venue:", id);
}
inline std::string VenueIds(absl::string_view org) { return Prefix(org) + "venues"; }

// Events (serialized Event) and the index of event ids by start time (score = Unix seconds).
inline std::string Event(absl::string_view org, absl::string_view id) {
  return absl::StrCat(Prefix(org), "event:", id);
}
inline std::string EventsByStart(absl::string_view org) { return Prefix(org) + "events"; }
// The ids of the events a member takes part in (resolved participants; direct participants of
// drafts), scored by start time in Unix seconds: the index behind ListEvents by member.
inline std::string MemberEvents(absl::string_view org, absl::string_view member) {
  return absl::StrCat(Prefix(org), "member_events:", member);
}
// The ids of SCHEDULED events by end time (Unix seconds): what automatic completion looks at.
inline std::string ScheduledEventsByEnd(absl::string_view org) {
  return Prefix(org) + "events_scheduled_by_end";
}

// Holds (serialized Hold, with a PX TTL so an unconfirmed hold disappears by itself).
inline std::string Hold(absl::string_view org, absl::string_view id) {
  return absl::StrCat(Prefix(org), "hold:", id);
}
// Hold ids by creation time (Unix milliseconds), for ListHolds; pruned with the records.
inline std::string HoldsByCreate(absl::string_view org) { return Prefix(org) + "holds"; }
// ACTIVE hold ids by expiry time (Unix milliseconds), for the expiry sweep.
inline std::string HoldsByExpiry(absl::string_view org) { return Prefix(org) + "holds_expiring"; }
// Member busy blocks (serialized BusyBlock), the index of a member's blocks and the index of every
// member's blocks ("{member}/{id}"), both scored by start time in Unix seconds.
inline std::string BusyBlock(absl::string_view org, absl::string_view member,
                             absl::string_view id) {
  return absl::StrCat(Prefix(org), "busy:", member, ":", id);
}
inline std::string MemberBusyBlocks(absl::string_view org, absl::string_view member) {
  return absl::StrCat(Prefix(org), "member_busy:", member);
}
inline std::string BusyBlocksByStart(absl::string_view org) { return Prefix(org) + "busy_blocks"; }

// Calendars: what occupies a member or venue, one sorted-set entry per booking. Written only under
// the calendar's lock, through a fenced write.
inline std::string MemberCalendar(absl::string_view org, absl::string_view member) {
  return absl::StrCat(Prefix(org), "cal:member:", member);
}
inline std::string VenueCalendar(absl::string_view org, absl::string_view venue) {
  return absl::StrCat(Prefix(org), "cal:venue:", venue);
}

// Calendar lock keys (fw:{org}:lock:member:{id}, fw:{org}:lock:venue:{id}) come from
// common/redis/calendar_lock.h: MemberLockKey, VenueLockKey; per-caller call counters
// (fw:{org}:calls:…) from common/api/call_rate_limiter.h.

// The organization's change feed (a capped Redis Stream) that WatchChanges reads from a cursor.
inline std::string Changes(absl::string_view org) { return Prefix(org) + "changes"; }

}  // namespace fieldwork::scheduling::keys

#endif  // FIELDWORK_SERVICES_SCHEDULING_KEYS_H_
