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

// Reads the calendars `keys` in one pipeline, keeping live entries within `buffer` of `window`.
absl::StatusOr<std::vector<std::vector<CalendarEntry>>> ReadCalendars(
    RedisClient& redis, const std::vector<std::string>& keys, const Interval& window,
    absl::Duration buffer, absl::Time now, absl::Time deadline) {
  const absl::Time earliest_end = window.start - buffer;
  const absl::Time latest_start = window.end + buffer;
  // Exclusive lower bound: an entry ending exactly one buffer before the window does not clash.
  const std::string min_score = absl::StrCat("(", absl::ToUnixSeconds(earliest_end));
  const std::string max_score = absl::StrCat(absl::ToUnixSeconds(latest_start + kLongestEntry));
  std::vector<RedisCommand> commands;
  commands.reserve(keys.size());
  for (const std::string& key : keys) {
    commands.push_back({"ZRANGEBYSCORE", key, min_score, max_score});
  }
  std::vector<std::vector<CalendarEntry>> calendars(keys.size());
  if (commands.empty()) return calendars;
  absl::StatusOr<std::vector<RedisReply>> replies = redis.Pipeline(commands, deadline);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (reply.is_error()) {
      return absl::InternalError(absl::StrCat("reading calendar ", keys[i], ": ", reply.str()));
    }
    for (const RedisReply& element : reply.elements()) {
      CalendarEntry entry;
      if (!DecodeEntry(element.str(), entry)) {
        return absl::InternalError(
            absl::StrCat("malformed calendar entry in ", keys[i], ": ", element.str()));
      }
      if (!entry.live(now) || entry.interval.start >= latest_start ||
          entry.interval.end <= earliest_end) {
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

}  // namespace

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarStore::ReadMemberCalendars(
    absl::string_view organization, const std::vector<std::string>& member_ids,
    const Interval& window, absl::Duration buffer, absl::Time now, absl::Time deadline) const {
  std::vector<std::string> calendar_keys;
  calendar_keys.reserve(member_ids.size());
  for (const std::string& id : member_ids) {
    calendar_keys.push_back(keys::MemberCalendar(organization, id));
  }
  return ReadCalendars(*redis_, calendar_keys, window, buffer, now, deadline);
}

absl::StatusOr<std::vector<std::vector<CalendarEntry>>> CalendarStore::ReadVenueCalendars(
    absl::string_view organization, const std::vector<std::string>& venue_ids,
    const Interval& window, absl::Time now, absl::Time deadline) const {
  std::vector<std::string> calendar_keys;
  calendar_keys.reserve(venue_ids.size());
  for (const std::string& id : venue_ids) {
    calendar_keys.push_back(keys::VenueCalendar(organization, id));
  }
  return ReadCalendars(*redis_, calendar_keys, window, absl::ZeroDuration(), now, deadline);
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
