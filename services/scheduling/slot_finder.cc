// Slot finding (see slot_finder.h). Candidate starts are sorted, so every busy interval blocks one
// contiguous range of candidates; difference arrays count the blocks in O(intervals + candidates).
#include "services/scheduling/slot_finder.h"

#include <algorithm>
#include <map>

namespace fieldwork::scheduling {
namespace {

// The first grid point at or after `t`, the grid being multiples of the granularity from the
// query's grid origin, or from the local midnight of `t`'s day when it has none.
absl::Time AlignUp(absl::Time t, const SlotQuery& query) {
  const absl::Time origin = query.grid_origin.value_or(
      absl::FromCivil(absl::ToCivilDay(t, query.rules.zone), query.rules.zone));
  absl::Duration remainder;
  int64_t steps = absl::IDivDuration(t - origin, query.granularity, &remainder);
  if (remainder > absl::ZeroDuration()) ++steps;  // truncation already rounded negatives up
  return origin + steps * query.granularity;
}

// Whether a slot that starts in one working interval may end at `end` on a later day: the end lies
// within working time and every day in between is a working day.
bool SpansWorkingDays(const std::vector<Interval>& working, absl::Time start, absl::Time end,
                      const CalendarRules& rules) {
  const auto after =
      std::lower_bound(working.begin(), working.end(), end,
                       [](const Interval& interval, absl::Time t) { return interval.end < t; });
  if (after == working.end() || after->start >= end) return false;
  const absl::CivilDay last = absl::ToCivilDay(end, rules.zone);
  for (absl::CivilDay day = absl::ToCivilDay(start, rules.zone) + 1; day < last; ++day) {
    if (!rules.IsWorkingDay(day)) return false;
  }
  return true;
}

std::vector<absl::Time> CandidateStarts(const SlotQuery& query) {
  std::vector<absl::Time> starts;
  if (query.duration <= absl::ZeroDuration() || query.granularity <= absl::ZeroDuration()) {
    return starts;
  }
  if (!query.respect_working_hours) {
    for (absl::Time s = AlignUp(query.window.start, query); s + query.duration <= query.window.end;
         s += query.granularity) {
      starts.push_back(s);
    }
    return starts;
  }
  const std::vector<Interval> working = WorkingIntervals(query.rules, query.window);
  for (const Interval& period : working) {
    for (absl::Time s = AlignUp(period.start, query); s < period.end; s += query.granularity) {
      const absl::Time end = s + query.duration;
      if (end > query.window.end) break;
      const bool same_day =
          absl::ToCivilDay(s, query.rules.zone) == absl::ToCivilDay(end, query.rules.zone);
      if (end <= period.end || (!same_day && SpansWorkingDays(working, s, end, query.rules))) {
        starts.push_back(s);
      }
    }
  }
  return starts;
}

// Sorted candidate starts (whole seconds) with a lookup table by granularity-sized cell, so
// "first candidate at or after t" costs O(1) instead of a binary search: FindSlots asks it twice
// for each of tens of thousands of busy intervals.
class StartIndex {
 public:
  StartIndex(std::vector<int64_t> starts, int64_t cell) : starts_(std::move(starts)), cell_(cell) {
    if (starts_.empty()) return;
    const size_t cells = static_cast<size_t>((starts_.back() - starts_.front()) / cell_) + 1;
    first_in_cell_.resize(cells);
    size_t i = 0;
    for (size_t c = 0; c < cells; ++c) {
      const int64_t cell_start = starts_.front() + static_cast<int64_t>(c) * cell_;
      while (starts_[i] < cell_start) ++i;
      first_in_cell_[c] = i;
    }
  }

  size_t size() const { return starts_.size(); }

  // The index of the first start >= t (size() when none).
  size_t FirstAtOrAfter(int64_t t) const {
    if (starts_.empty() || t <= starts_.front()) return 0;
    const size_t cell = static_cast<size_t>((t - starts_.front()) / cell_);
    if (cell >= first_in_cell_.size()) return starts_.size();
    size_t i = first_in_cell_[cell];
    while (i < starts_.size() && starts_[i] < t) ++i;
    return i;
  }

 private:
  std::vector<int64_t> starts_;
  int64_t cell_;
  std::vector<size_t> first_in_cell_;
};

// The candidate index ranges [first, second) that one attendee cannot attend, disjoint and
// ascending. A slot starting at s clashes with busy b when s < b.end + buffer and
// s + duration > b.start - buffer. Times are whole seconds here: comparisons on the hot path.
using IndexRanges = std::vector<std::pair<size_t, size_t>>;

IndexRanges BlockedRanges(const StartIndex& starts, const Attendee& attendee, int64_t duration,
                          int64_t buffer) {
  const auto by_start = [](const Interval& a, const Interval& b) { return a.start < b.start; };
  std::vector<Interval> sorted;
  const std::vector<Interval>* busy = &attendee.busy;
  if (!std::is_sorted(busy->begin(), busy->end(), by_start)) {
    sorted = attendee.busy;
    std::sort(sorted.begin(), sorted.end(), by_start);
    busy = &sorted;
  }
  IndexRanges ranges;
  size_t covered = 0;
  for (const Interval& b : *busy) {
    const size_t lo = starts.FirstAtOrAfter(absl::ToUnixSeconds(b.start) - buffer - duration + 1);
    const size_t first = std::max(lo, covered);
    const size_t hi = starts.FirstAtOrAfter(absl::ToUnixSeconds(b.end) + buffer);
    if (first >= hi) continue;
    if (!ranges.empty() && ranges.back().second == first) {
      ranges.back().second = hi;
    } else {
      ranges.emplace_back(first, hi);
    }
    covered = hi;
  }
  return ranges;
}

// Per candidate, how many of `attendees` cannot attend; each attendee's ranges are also kept, so
// the busy attendees of a chosen candidate are found by binary search.
struct BlockCount {
  std::vector<int> blocked;
  std::vector<IndexRanges> ranges;
};

BlockCount CountBlocked(const StartIndex& starts, const std::vector<Attendee>& attendees,
                        absl::Duration duration, absl::Duration buffer) {
  BlockCount count;
  count.blocked.assign(starts.size(), 0);
  std::vector<int> diff(starts.size() + 1, 0);
  for (const Attendee& attendee : attendees) {
    count.ranges.push_back(BlockedRanges(starts, attendee, absl::ToInt64Seconds(duration),
                                         absl::ToInt64Seconds(buffer)));
    for (const auto& [lo, hi] : count.ranges.back()) {
      ++diff[lo];
      --diff[hi];
    }
  }
  int running = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    running += diff[i];
    count.blocked[i] = running;
  }
  return count;
}

bool Covers(const IndexRanges& ranges, size_t index) {
  const auto after = std::upper_bound(
      ranges.begin(), ranges.end(), index,
      [](size_t i, const std::pair<size_t, size_t>& range) { return i < range.first; });
  return after != ranges.begin() && index < std::prev(after)->second;
}

bool CoversAll(const IndexRanges& ranges, size_t count) {
  return count == 0 || (ranges.size() == 1 && ranges[0].first == 0 && ranges[0].second == count);
}

std::vector<EmptyExplanation> ExplainEmpty(const SlotQuery& query, const StartIndex& starts,
                                           const BlockCount& required, const BlockCount& venue) {
  if (starts.size() == 0) return {{EmptyReason::kNoWorkingTime, ""}};
  std::vector<EmptyExplanation> why;
  for (size_t i = 0; i < query.required.size(); ++i) {
    if (CoversAll(required.ranges[i], starts.size())) {
      why.push_back({EmptyReason::kRequiredBusy, query.required[i].name});
    }
  }
  if (query.venue.has_value() && CoversAll(venue.ranges[0], starts.size())) {
    why.push_back({EmptyReason::kVenueBusy, query.venue->name});
  }
  if (!why.empty()) return why;
  for (size_t i = 0; i < starts.size(); ++i) {
    if (required.blocked[i] == 0 && venue.blocked[i] == 0) {
      return {{EmptyReason::kOptionalShareTooLow, ""}};
    }
  }
  return {{EmptyReason::kNoCommonTime, ""}};
}

}  // namespace

SlotResult FindSlots(const SlotQuery& query) {
  const std::vector<absl::Time> start_times = CandidateStarts(query);
  std::vector<int64_t> start_seconds;
  start_seconds.reserve(start_times.size());
  for (absl::Time t : start_times) start_seconds.push_back(absl::ToUnixSeconds(t));
  const StartIndex starts(std::move(start_seconds),
                          std::max<int64_t>(1, absl::ToInt64Seconds(query.granularity)));
  const BlockCount required = CountBlocked(starts, query.required, query.duration, query.buffer);
  std::vector<Attendee> venues;
  if (query.venue.has_value()) venues.push_back(*query.venue);
  const BlockCount venue = CountBlocked(starts, venues, query.duration, absl::ZeroDuration());
  const BlockCount optional = CountBlocked(starts, query.optional, query.duration, query.buffer);

  const double optional_count = static_cast<double>(query.optional.size());
  const double attendee_count = static_cast<double>(query.required.size()) + optional_count;
  struct Ranked {
    size_t index;
    double share;
  };
  std::vector<Ranked> ranked;
  for (size_t i = 0; i < starts.size(); ++i) {
    if (required.blocked[i] > 0 || venue.blocked[i] > 0) continue;
    const double optional_free = optional_count - optional.blocked[i];
    if (optional_count > 0 && optional_free / optional_count < query.min_optional_share) continue;
    ranked.push_back(
        {i, attendee_count == 0 ? 1 : (attendee_count - optional.blocked[i]) / attendee_count});
  }
  const size_t keep = std::min(ranked.size(), static_cast<size_t>(std::max(query.max_results, 0)));
  const auto better = [](const Ranked& a, const Ranked& b) {
    return a.share != b.share ? a.share > b.share : a.index < b.index;
  };
  std::vector<size_t> chosen;  // candidate indexes, best first
  if (query.disjoint) {
    std::sort(ranked.begin(), ranked.end(), better);
    std::map<absl::Time, absl::Time> taken;  // start → end of the slots chosen so far
    for (size_t k = 0; k < ranked.size() && chosen.size() < keep; ++k) {
      const absl::Time start = start_times[ranked[k].index];
      const absl::Time end = start + query.duration;
      const auto next = taken.lower_bound(start);
      if (next != taken.end() && next->first < end) continue;
      if (next != taken.begin() && std::prev(next)->second > start) continue;
      taken.emplace(start, end);
      chosen.push_back(k);
    }
  } else {
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(), better);
    for (size_t k = 0; k < keep; ++k) chosen.push_back(k);
  }
  SlotResult result;
  for (size_t k : chosen) {
    SlotCandidate candidate;
    const absl::Time start = start_times[ranked[k].index];
    candidate.slot = {start, start + query.duration};
    candidate.share_available = ranked[k].share;
    for (size_t a = 0; a < query.optional.size(); ++a) {
      if (Covers(optional.ranges[a], ranked[k].index)) {
        candidate.unavailable.push_back(query.optional[a].name);
      }
    }
    result.candidates.push_back(std::move(candidate));
  }
  if (result.candidates.empty()) result.why_empty = ExplainEmpty(query, starts, required, venue);
  return result;
}

}  // namespace fieldwork::scheduling
