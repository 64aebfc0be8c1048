// Calendars as Redis sorted sets (see calendar_store.h). One member per entry,
// "start|end|required|expires|booked_by" (Unix seconds, "1"/"0", Unix milliseconds or "-" for
// none, resource name), scored by the end in Unix seconds, so a read is one ZRANGEBYSCORE from
// the window start (minus the buffer) and a filter on the start.
#include "services/scheduling/calendar_store.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {
namespace {

// Nothing on a calendar lasts longer (busy blocks: 90 days; events and holds: 14 days), so an
// entry ending later than this past the window starts after it and the read can stop there.
constexpr absl::Duration kLongestEntry = absl::Hours(24 * 91);

std::string EncodeEntry(const CalendarEntry& entry) {
  const std::string expires = entry.expires == absl::InfiniteFuture()
                                  ? std::string("-")
                                  : absl::StrCat(absl::ToUnixMillis(entry.expires));
  return absl::StrCat(absl::ToUnixSeconds(entry.interval.start), "|",
                      absl::ToUnixSeconds(entry.interval.end), "|", entry.required ? "1" : "0", "|",
                      expires, "|", entry.booked_by);
}

bool DecodeEntry(absl::string_view encoded, CalendarEntry& entry) {
  std::vector<absl::string_view> parts = absl::StrSplit(encoded, absl::MaxSplits('|', 4));
  int64_t start = 0;
  int64_t end = 0;
  if (parts.size() != 5 || !absl::SimpleAtoi(parts[0], &start) ||
      !absl::SimpleAtoi(parts[1], &end) || (parts[2] != "1" && parts[2] != "0")) {
    return false;
  }
  entry.interval = {absl::FromUnixSeconds(start), absl::FromUnixSeconds(end)};
  entry.required = parts[2] == "1";
  entry.expires = absl::InfiniteFuture();
  if (parts[3] != "-") {
    int64_t expires_ms = 0;
    if (!absl::SimpleAtoi(parts[3], &expires_ms)) return false;
    entry.expires = absl::FromUnixMillis(expires_ms);
  }
  entry.booked_by = std::string(parts[4]);
  return true;
}

double Score(const CalendarEntry& entry) {
  return static_cast<double>(absl::ToUnixSeconds(entry.interval.end));
}

}  // namespace

void CalendarReads::Add(std::string key, const Interval& window, absl::Duration buffer) {
  const absl::Time earliest_end = window.start - buffer;
  const absl::Time latest_start = window.end + buffer;
  // Exclusive lower bound: an entry ending exactly one buffer before the window does not clash.
  commands_.push_back({"ZRANGEBYSCORE", key, absl::StrCat("(", absl::ToUnixSeconds(earliest_end)),
                       absl::StrCat(absl::ToUnixSeconds(latest_start + kLongestEntry))});
  reads_.push_back({std::move(key), earliest_end, latest_start});
}

void CalendarReads::AddMembers(absl::string_view organization,
                               const std::vector<std::string>& member_ids, const Interval& window,
                               absl::Duration buffer) {
  for (const std::string& id : member_ids) {
    Add(keys::MemberCalendar(organization, id), window, buffer);
  }
}

void CalendarReads::AddVenues(absl::string_view organization,
                              const std::vector<std::string>& venue_ids, const Interval& window) {
  for (const std::string& id : venue_ids) {
    Add(keys::VenueCalendar(organization, id), window, absl::ZeroDuration());
  }
}

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarReads::Parse(
    const std::vector<RedisReply>& replies, absl::Time now) const {
  if (replies.size() != reads_.size()) {
    return absl::InternalError(
        absl::StrCat("expected ", reads_.size(), " calendar replies, got ", replies.size()));
  }
  std::vector<std::vector<CalendarEntry>> calendars(reads_.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    const Read& read = reads_[i];
    const RedisReply& reply = replies[i];
    if (reply.is_error()) {
      return absl::InternalError(absl::StrCat("reading calendar ", read.key, ": ", reply.str()));
    }
    for (const RedisReply& element : reply.elements()) {
      CalendarEntry entry;
      if (!DecodeEntry(element.str(), entry)) {
        return absl::InternalError(
            absl::StrCat("malformed calendar entry in ", read.key, ": ", element.str()));
      }
      if (!entry.live(now) || entry.interval.start >= read.latest_start ||
          entry.interval.end <= read.earliest_end) {
        continue;
      }
      calendars[i].push_back(std::move(entry));
    }
    std::sort(calendars[i].begin(), calendars[i].end(),
              [](const CalendarEntry& a, const CalendarEntry& b) {
                return a.interval.start != b.interval.start ? a.interval.start < b.interval.start
                                                            : a.booked_by < b.booked_by;
              });
  }
  return calendars;
}

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarStore::Read(
    const CalendarReads& reads, absl::Time now, absl::Time deadline) const {
  if (reads.empty()) return std::vector<std::vector<CalendarEntry>>();
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(reads.commands(), deadline);
  if (!replies.ok()) return replies.status();
  return reads.Parse(*replies, now);
}

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarStore::ReadMemberCalendars(
    absl::string_view organization, const std::vector<std::string>& member_ids,
    const Interval& window, absl::Duration buffer, absl::Time now, absl::Time deadline) const {
  CalendarReads reads;
  reads.AddMembers(organization, member_ids, window, buffer);
  return Read(reads, now, deadline);
}

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarStore::ReadVenueCalendars(
    absl::string_view organization, const std::vector<std::string>& venue_ids,
    const Interval& window, absl::Time now, absl::Time deadline) const {
  CalendarReads reads;
  reads.AddVenues(organization, venue_ids, window);
  return Read(reads, now, deadline);
}

WriteOp CalendarStore::AddMemberEntry(absl::string_view organization, absl::string_view member_id,
                                      const CalendarEntry& entry) {
  return WriteOp::ZAdd(keys::MemberCalendar(organization, member_id), Score(entry),
                       EncodeEntry(entry));
}

WriteOp CalendarStore::RemoveMemberEntry(absl::string_view organization,
                                         absl::string_view member_id, const CalendarEntry& entry) {
  return WriteOp::ZRem(keys::MemberCalendar(organization, member_id), EncodeEntry(entry));
}

WriteOp CalendarStore::AddVenueEntry(absl::string_view organization, absl::string_view venue_id,
                                     const CalendarEntry& entry) {
  return WriteOp::ZAdd(keys::VenueCalendar(organization, venue_id), Score(entry),
                       EncodeEntry(entry));
}

WriteOp CalendarStore::RemoveVenueEntry(absl::string_view organization, absl::string_view venue_id,
                                        const CalendarEntry& entry) {
  return WriteOp::ZRem(keys::VenueCalendar(organization, venue_id), EncodeEntry(entry));
}

}  // namespace fieldwork::scheduling
