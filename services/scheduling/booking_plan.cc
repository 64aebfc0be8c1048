// Calendar claims of events, holds and busy blocks and their conflict check (see booking_plan.h).
#include "services/scheduling/booking_plan.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/resource_names.h"
#include "common/redis/calendar_lock.h"

namespace fieldwork::scheduling {
namespace {

bool IsRequiredRole(v1::ParticipantRole role) {
  return role == v1::PARTICIPANT_ROLE_LEAD || role == v1::PARTICIPANT_ROLE_REQUIRED;
}

Interval IntervalOf(const fieldwork::common::v1::TimeRange& range) {
  return {ToTime(range.start_time()), ToTime(range.end_time())};
}

std::string CalendarName(absl::string_view organization, const CalendarClaim& claim) {
  return claim.calendar == CalendarClaim::Calendar::kMember
             ? FormatMemberName(organization, claim.id)
             : FormatVenueName(organization, claim.id);
}

bool IsBusyBlock(absl::string_view booked_by) {
  return absl::StrContains(booked_by, "/busyBlocks/");
}

// Whether `entry` already on the calendar of `claim` can clash with it.
bool MayClash(const BookingPlan& plan, const CalendarClaim& claim, const CalendarEntry& entry) {
  if (plan.ignored.contains(entry.booked_by)) return false;
  if (claim.calendar == CalendarClaim::Calendar::kVenue || !claim.entry.required) return true;
  // A required participant clashes only with the member's other required bookings.
  return entry.required && !(plan.busy_block && IsBusyBlock(entry.booked_by));
}

std::string BufferText(absl::Duration buffer) {
  return absl::StrCat(absl::ToInt64Minutes(buffer), " min");
}

}  // namespace

std::string CalendarClaim::CalendarKey() const {
  return absl::StrCat(calendar == Calendar::kMember ? "member:" : "venue:", id);
}

bool CalendarClaim::operator==(const CalendarClaim& other) const {
  return calendar == other.calendar && id == other.id && entry.booked_by == other.entry.booked_by &&
         entry.interval == other.entry.interval && entry.required == other.entry.required &&
         entry.expires == other.entry.expires;
}

std::vector<CalendarClaim> EventClaims(const v1::Event& event,
                                       absl::FunctionRef<bool(absl::string_view)> book_venue) {
  std::vector<CalendarClaim> claims;
  if (event.state() != v1::EVENT_STATE_SCHEDULED && event.state() != v1::EVENT_STATE_COMPLETED) {
    return claims;
  }
  const Interval whole = IntervalOf(event.time_range());
  for (const v1::Participant& participant : event.resolved_participants()) {
    absl::StatusOr<ChildName> member = ParseMemberName(participant.member());
    if (!member.ok()) continue;
    claims.push_back({CalendarClaim::Calendar::kMember, member->id,
                      CalendarEntry{event.name(), whole, IsRequiredRole(participant.role())}});
  }
  auto add_venue = [&](absl::string_view venue_name, const Interval& interval) {
    absl::StatusOr<ChildName> venue = ParseVenueName(venue_name);
    if (!venue.ok() || !book_venue(venue->id)) return;
    claims.push_back(
        {CalendarClaim::Calendar::kVenue, venue->id, CalendarEntry{event.name(), interval}});
  };
  if (!event.venue().empty()) add_venue(event.venue(), whole);
  for (const v1::ItineraryStop& stop : event.itinerary()) {
    add_venue(stop.venue(), IntervalOf(stop.time_range()));
  }
  return claims;
}

std::vector<CalendarClaim> HoldClaims(const v1::Hold& hold, bool book_venue) {
  std::vector<CalendarClaim> claims;
  const Interval interval = IntervalOf(hold.time_range());
  const absl::Time expires = ToTime(hold.expire_time());
  for (const std::string& member_name : hold.resolved_members()) {
    absl::StatusOr<ChildName> member = ParseMemberName(member_name);
    if (!member.ok()) continue;
    claims.push_back({CalendarClaim::Calendar::kMember, member->id,
                      CalendarEntry{hold.name(), interval, true, expires}});
  }
  if (book_venue && !hold.venue().empty()) {
    absl::StatusOr<ChildName> venue = ParseVenueName(hold.venue());
    if (venue.ok()) {
      claims.push_back({CalendarClaim::Calendar::kVenue, venue->id,
                        CalendarEntry{hold.name(), interval, true, expires}});
    }
  }
  return claims;
}

std::vector<std::string> LockKeys(const BookingPlan& plan) {
  std::vector<std::string> lock_keys;
  auto add = [&](const CalendarClaim& claim) {
    if (claim.calendar == CalendarClaim::Calendar::kVenue) {
      lock_keys.push_back(VenueLockKey(plan.organization, claim.id));
    } else if (claim.entry.required) {
      lock_keys.push_back(MemberLockKey(plan.organization, claim.id));
    }
  };
  for (const CalendarClaim& claim : plan.claims) add(claim);
  for (const CalendarClaim& claim : plan.releases) add(claim);
  std::sort(lock_keys.begin(), lock_keys.end());
  lock_keys.erase(std::unique(lock_keys.begin(), lock_keys.end()), lock_keys.end());
  return lock_keys;
}

absl::flat_hash_map<std::string, Interval> ReadWindows(const BookingPlan& plan) {
  absl::flat_hash_map<std::string, Interval> windows;
  for (const CalendarClaim& claim : plan.claims) {
    auto [it, inserted] = windows.try_emplace(claim.CalendarKey(), claim.entry.interval);
    if (!inserted) {
      it->second.start = std::min(it->second.start, claim.entry.interval.start);
      it->second.end = std::max(it->second.end, claim.entry.interval.end);
    }
  }
  return windows;
}

bool CoveredBy(const BookingPlan& plan, const std::vector<std::string>& held_keys,
               const absl::flat_hash_map<std::string, Interval>& read_windows,
               absl::Duration read_buffer) {
  if (plan.travel_buffer > read_buffer) return false;
  const std::vector<std::string> lock_keys = LockKeys(plan);
  if (!std::includes(held_keys.begin(), held_keys.end(), lock_keys.begin(), lock_keys.end())) {
    return false;
  }
  for (const auto& [calendar, window] : ReadWindows(plan)) {
    auto it = read_windows.find(calendar);
    if (it == read_windows.end() || it->second.start > window.start ||
        it->second.end < window.end) {
      return false;
    }
  }
  return true;
}

BookingCheck CheckPlan(
    const BookingPlan& plan,
    const absl::flat_hash_map<std::string, std::vector<CalendarEntry>>& existing) {
  std::vector<CalendarCheck> checks;
  checks.reserve(plan.claims.size());
  for (const CalendarClaim& claim : plan.claims) {
    const bool venue = claim.calendar == CalendarClaim::Calendar::kVenue;
    CalendarCheck check{CalendarName(plan.organization, claim),
                        claim.entry.interval,
                        venue ? absl::ZeroDuration() : plan.travel_buffer,
                        venue || claim.entry.required,
                        {}};
    if (auto it = existing.find(claim.CalendarKey()); it != existing.end()) {
      for (const CalendarEntry& entry : it->second) {
        if (MayClash(plan, claim, entry))
          check.existing.push_back({entry.booked_by, entry.interval});
      }
    }
    checks.push_back(std::move(check));
  }
  // Ignored bookings are filtered above, so no entry stands for "self" here.
  return CheckBooking(checks, /*self=*/"");
}

fieldwork::common::v1::Conflicts ToConflicts(const BookingPlan& plan,
                                             const std::vector<Clash>& conflicts) {
  fieldwork::common::v1::Conflicts result;
  for (const Clash& clash : conflicts) {
    auto* conflict = result.add_conflicts();
    conflict->set_calendar(clash.calendar);
    conflict->set_booked_by(clash.booked_by);
    *conflict->mutable_start_time() = ToTimestamp(clash.interval.start);
    *conflict->mutable_end_time() = ToTimestamp(clash.interval.end);
    if (absl::StrContains(clash.calendar, "/venues/")) {
      conflict->set_reason("venue busy");
    } else if (clash.within_buffer_only) {
      conflict->set_reason(
          absl::StrCat("member busy (travel buffer ", BufferText(plan.travel_buffer), ")"));
    } else {
      conflict->set_reason("member busy");
    }
  }
  return result;
}

std::vector<v1::BookingWarning> ToWarnings(const std::vector<Clash>& warnings) {
  std::vector<v1::BookingWarning> result;
  absl::flat_hash_set<std::string> warned;
  for (const Clash& clash : warnings) {
    if (result.size() == kMaxBookingWarnings) break;
    if (!warned.insert(clash.calendar).second) continue;
    v1::BookingWarning& warning = result.emplace_back();
    warning.set_kind(v1::BOOKING_WARNING_KIND_OPTIONAL_PARTICIPANT_BUSY);
    warning.set_subject(clash.calendar);
    warning.set_booked_by(clash.booked_by);
    *warning.mutable_time_range() = ToTimeRange(clash.interval);
    warning.set_message(clash.within_buffer_only
                            ? "optional participant is within the travel buffer of another booking"
                            : "optional participant overlaps another booking");
  }
  return result;
}

}  // namespace fieldwork::scheduling
