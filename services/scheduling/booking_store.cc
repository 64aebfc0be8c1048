// Booking under calendar locks with one fenced write (see booking_store.h).
#include "services/scheduling/booking_store.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/errors.h"
#include "common/redis/calendar_lock.h"
#include "common/redis/redis_status.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/organization_settings.h"
#include "spdlog/spdlog.h"

namespace fieldwork::scheduling {
namespace {

using CalendarEntries = absl::flat_hash_map<std::string, std::vector<CalendarEntry>>;

// Calendars that share one read window are read in one pipelined round trip.
struct WindowGroup {
  std::vector<std::string> member_ids;
  std::vector<std::string> venue_ids;
};

std::map<std::pair<absl::Time, absl::Time>, WindowGroup> GroupByWindow(const BookingPlan& plan) {
  const absl::flat_hash_map<std::string, Interval> windows = ReadWindows(plan);
  std::map<std::pair<absl::Time, absl::Time>, WindowGroup> groups;
  absl::flat_hash_set<std::string> seen;
  for (const CalendarClaim& claim : plan.claims) {
    const std::string calendar_key = claim.CalendarKey();
    if (!seen.insert(calendar_key).second) continue;
    const Interval& window = windows.at(calendar_key);
    WindowGroup& group = groups[{window.start, window.end}];
    (claim.calendar == CalendarClaim::Calendar::kMember ? group.member_ids : group.venue_ids)
        .push_back(claim.id);
  }
  return groups;
}

// The reads of every calendar `plan` claims, each over its window, in one round trip; and the
// name ("member:<id>" or "venue:<id>") of each read's calendar, in order.
struct PlanReads {
  CalendarReads reads;
  std::vector<std::string> calendars;
};

// Members' calendars are read over their windows widened by `buffer`.
PlanReads ReadsOf(const BookingPlan& plan, absl::Duration buffer) {
  PlanReads plan_reads;
  for (const auto& [window, group] : GroupByWindow(plan)) {
    const Interval interval{window.first, window.second};
    plan_reads.reads.AddMembers(plan.organization, group.member_ids, interval, buffer);
    plan_reads.reads.AddVenues(plan.organization, group.venue_ids, interval);
    for (const std::string& id : group.member_ids) {
      plan_reads.calendars.push_back(absl::StrCat("member:", id));
    }
    for (const std::string& id : group.venue_ids) {
      plan_reads.calendars.push_back(absl::StrCat("venue:", id));
    }
  }
  return plan_reads;
}

// The entries read for each calendar of `plan_reads` (`read` answers plan_reads.reads), by name.
absl::StatusOr<CalendarEntries> EntriesOf(
    PlanReads& plan_reads, absl::StatusOr<std::vector<std::vector<CalendarEntry>>> read) {
  if (!read.ok()) return read.status();
  CalendarEntries entries;
  for (size_t i = 0; i < read->size(); ++i) {
    entries[std::move(plan_reads.calendars[i])] = std::move((*read)[i]);
  }
  return entries;
}

// Checks `plan` against the entries read for its calendars.
absl::StatusOr<BookingCheck> CheckEntries(const BookingPlan& plan, const CalendarEntries& entries) {
  BookingCheck check = CheckPlan(plan, entries);
  if (!check.ok()) {
    return WithReason(ConflictError(absl::StrCat("booking conflicts with ", check.conflicts.size(),
                                                 " existing booking(s)"),
                                    ToConflicts(plan, check.conflicts)),
                      common::v1::ERROR_REASON_BOOKING_CONFLICT);
  }
  return check;
}

// Checks `plan` against the calendars read for it (`read` answers plan_reads.reads).
absl::StatusOr<BookingCheck> CheckAgainst(
    const BookingPlan& plan, PlanReads& plan_reads,
    absl::StatusOr<std::vector<std::vector<CalendarEntry>>> read) {
  absl::StatusOr<CalendarEntries> entries = EntriesOf(plan_reads, std::move(read));
  if (!entries.ok()) return entries.status();
  return CheckEntries(plan, *entries);
}

void AddCalendarOps(const BookingPlan& plan, AtomicWrite& write) {
  auto op = [&](const CalendarClaim& claim, bool add) {
    const bool member = claim.calendar == CalendarClaim::Calendar::kMember;
    if (add) {
      write.Add(member ? CalendarStore::AddMemberEntry(plan.organization, claim.id, claim.entry)
                       : CalendarStore::AddVenueEntry(plan.organization, claim.id, claim.entry));
    } else {
      write.Add(member ? CalendarStore::RemoveMemberEntry(plan.organization, claim.id, claim.entry)
                       : CalendarStore::RemoveVenueEntry(plan.organization, claim.id, claim.entry));
    }
  };
  // Releases first: an entry both released and claimed (an unchanged participant) stays.
  for (const CalendarClaim& claim : plan.releases) op(claim, /*add=*/false);
  for (const CalendarClaim& claim : plan.claims) op(claim, /*add=*/true);
}

}  // namespace

absl::StatusOr<BookingCheck> BookingStore::ReadAndCheck(const BookingPlan& plan, absl::Time now,
                                                        absl::Time deadline) const {
  PlanReads plan_reads = ReadsOf(plan, plan.travel_buffer);
  return CheckAgainst(plan, plan_reads,
                      CalendarStore(deps_.redis).Read(plan_reads.reads, now, deadline));
}

absl::StatusOr<BookingCheck> BookingStore::Check(const BookingPlan& plan, absl::Time now,
                                                 absl::Time deadline) const {
  return ReadAndCheck(plan, now, deadline);
}

absl::StatusOr<BookingCheck> BookingStore::Book(const BookingPlan& plan, absl::Time deadline,
                                                const BookingRecords& records,
                                                LockedAhead* ahead) const {
  const std::vector<std::string> lock_keys = LockKeys(plan);
  std::unique_ptr<LockSet> locks;
  absl::StatusOr<BookingCheck> check;
  if (ahead != nullptr && ahead->held()) {
    if (!lock_keys.empty() &&
        CoveredBy(plan, ahead->keys_, ahead->windows_, kLongestTravelBuffer)) {
      locks = std::move(ahead->locks_);
      check = CheckEntries(plan, ahead->entries_);
    } else {
      ahead->locks_.reset();  // gives them back
    }
  }
  if (lock_keys.empty()) {
    // Nothing exclusive is claimed (only optional participants, shared venues, or releases):
    // nothing can clash, so no lock is needed; the check still reports warnings.
    check = ReadAndCheck(plan, absl::Now(), deadline);
    if (!check.ok()) return check.status();
    AtomicWrite write;
    AddCalendarOps(plan, write);
    if (absl::Status added = records(*check, write); !added.ok()) return added;
    absl::Status written = ApplyAtomicWrite(*deps_.redis, write, deadline).status();
    if (!written.ok()) return written;
    return check;
  }
  if (locks == nullptr) {
    // A key of the guess was busy a moment ago: wait before trying, unless this plan needs fewer
    // locks (a shared venue named), whose busy one may be among those it does not take.
    const bool found_busy = ahead != nullptr && ahead->busy_ && lock_keys == ahead->keys_;
    const absl::Time start = absl::Now();
    // Leave at least half of the call's time for the work done under the locks.
    const absl::Time wait_deadline =
        std::min(start + deps_.lock_wait, start + (deadline - start) / 2);
    // Calendars are read in the round trip that takes the locks, after the lock script: nothing
    // can be booked on them between that read and the fenced write.
    PlanReads plan_reads = ReadsOf(plan, plan.travel_buffer);
    std::vector<RedisReply> replies;
    absl::StatusOr<std::unique_ptr<LockSet>> taken = deps_.locks->AcquireThenRead(
        lock_keys, wait_deadline, plan_reads.reads.commands(), &replies, found_busy);
    if (!taken.ok()) return taken.status();
    locks = *std::move(taken);
    check = CheckAgainst(plan, plan_reads, plan_reads.reads.Parse(replies, absl::Now()));
  }
  if (!check.ok()) return check.status();
  AtomicWrite write;
  AddCalendarOps(plan, write);
  if (absl::Status added = records(*check, write); !added.ok()) return added;
  if (deps_.test_only_pause_before_booking_write > absl::ZeroDuration()) {
    spdlog::warn("test-only pause of {} before a fenced booking write",
                 absl::FormatDuration(deps_.test_only_pause_before_booking_write));
    absl::SleepFor(deps_.test_only_pause_before_booking_write);
  }
  if (deps_.test_only_stop_before_booking_write) {
    spdlog::warn("test-only stop before a fenced booking write");
    raise(SIGSTOP);
  }
  absl::Status written = locks->FencedWriteAndRelease(std::move(write), deadline).status();
  if (!written.ok()) {
    if (IsLockLost(written)) spdlog::warn("booking not written: {}", written.ToString());
    return written;
  }
  return check;
}

absl::StatusOr<LockedAhead> BookingStore::LockAhead(const BookingPlan& guess,
                                                    const std::vector<RedisCommand>& reads,
                                                    std::vector<RedisReply>* read_replies,
                                                    absl::Time deadline) const {
  LockedAhead ahead;
  ahead.keys_ = LockKeys(guess);
  if (ahead.keys_.empty()) {
    absl::StatusOr<std::vector<RedisReply>> replies = deps_.redis->Pipeline(reads, deadline);
    if (!replies.ok()) return replies.status();
    *read_replies = *std::move(replies);
    return ahead;
  }
  PlanReads plan_reads = ReadsOf(guess, kLongestTravelBuffer);
  std::vector<RedisCommand> commands = reads;
  commands.insert(commands.end(), plan_reads.reads.commands().begin(),
                  plan_reads.reads.commands().end());
  std::vector<RedisReply> replies;
  absl::StatusOr<std::unique_ptr<LockSet>> locks =
      deps_.locks->TryAcquireThenRead(ahead.keys_, commands, &replies, deadline);
  if (!locks.ok()) return locks.status();
  if (replies.size() != commands.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", commands.size(), " Redis replies, got ", replies.size()));
  }
  const auto calendar_replies = replies.begin() + static_cast<ptrdiff_t>(reads.size());
  read_replies->assign(std::make_move_iterator(replies.begin()),
                       std::make_move_iterator(calendar_replies));
  if (*locks == nullptr) {
    ahead.busy_ = true;
    return ahead;
  }
  absl::StatusOr<CalendarEntries> entries = EntriesOf(
      plan_reads,
      plan_reads.reads.Parse(std::vector<RedisReply>(std::make_move_iterator(calendar_replies),
                                                     std::make_move_iterator(replies.end())),
                             absl::Now()));
  if (!entries.ok()) return entries.status();  // the locks are given back with them
  ahead.entries_ = *std::move(entries);
  ahead.windows_ = ReadWindows(guess);
  ahead.locks_ = *std::move(locks);
  return ahead;
}

}  // namespace fieldwork::scheduling
