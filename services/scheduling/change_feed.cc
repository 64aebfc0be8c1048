// The organization's change feed (see change_feed.h). Trimmed history is detected with XINFO
// STREAM: once entries were trimmed (entries-added exceeds the length), a cursor before the first
// retained entry may have missed changes. Redis does not record the id trimmed last, so a cursor
// at exactly that entry is refused too, although it missed nothing.
#include "services/scheduling/change_feed.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/error_reason.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {
namespace {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  bool operator<(const StreamId& other) const {
    return ms != other.ms ? ms < other.ms : seq < other.seq;
  }
};

bool ParseStreamId(absl::string_view text, StreamId& id) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('-', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) return false;
  for (absl::string_view part : parts) {
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
  }
  return absl::SimpleAtoi(parts[0], &id.ms) && absl::SimpleAtoi(parts[1], &id.seq);
}

absl::Status CursorExpired(absl::string_view cursor, absl::string_view why) {
  return WithReason(
      absl::OutOfRangeError(absl::StrCat("cursor ", cursor, " ", why,
                                         "; start again with an empty cursor (from now) or "
                                         "from_oldest")),
      fieldwork::common::v1::ERROR_REASON_CURSOR_EXPIRED);
}

// The id of an XINFO STREAM entry field (an [id, fields] pair, or nil).
std::string EntryId(const RedisReply& entry) {
  if (entry.elements().empty()) return "";
  return entry.elements()[0].str();
}

}  // namespace

WriteOp AppendChange(absl::string_view organization, const v1::Change& change) {
  // The cursor is the stream id Redis gives the entry; a change is stored without one. Copied
  // only when a caller set it: the change of a booking holds the whole event.
  std::string bytes;
  if (change.cursor().empty()) {
    bytes = change.SerializeAsString();
  } else {
    v1::Change stored = change;
    stored.clear_cursor();
    bytes = stored.SerializeAsString();
  }
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back("c", std::move(bytes));
  return WriteOp::XAdd(keys::Changes(organization), kChangeFeedMaxLength, std::move(fields));
}

bool IsFeedCursor(absl::string_view cursor) {
  StreamId id;
  return cursor.size() <= 64 && ParseStreamId(cursor, id);
}

absl::StatusOr<std::string> ChangeFeedReader::Newest(absl::string_view organization,
                                                     absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"XREVRANGE", keys::Changes(organization), "+", "-", "COUNT", "1"}, deadline);
  if (!reply.ok()) return reply.status();
  if (reply->elements().empty()) return std::string(kFeedStart);
  return EntryId(reply->elements()[0]);
}

absl::Status ChangeFeedReader::CheckCursor(absl::string_view organization, absl::string_view cursor,
                                           absl::Time deadline) const {
  StreamId position;
  if (!ParseStreamId(cursor, position)) {
    return absl::InvalidArgumentError(absl::StrCat("malformed cursor ", cursor));
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"EXISTS", keys::Changes(organization)}, {"XINFO", "STREAM", keys::Changes(organization)}},
      deadline);
  if (!replies.ok()) return replies.status();
  if ((*replies)[0].integer() == 0) {  // no feed (yet): only the start is a valid position
    if (StreamId() < position) return CursorExpired(cursor, "is beyond the end of the feed");
    return absl::OkStatus();
  }
  const RedisReply& info = (*replies)[1];
  if (info.is_error()) return absl::InternalError(absl::StrCat("XINFO STREAM: ", info.str()));
  std::string last_generated, first_entry;
  int64_t length = 0;
  int64_t entries_added = -1;  // unknown before Redis 7
  const std::vector<RedisReply>& fields = info.elements();
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].str();
    const RedisReply& value = fields[i + 1];
    if (name == "last-generated-id") last_generated = value.str();
    if (name == "first-entry") first_entry = EntryId(value);
    if (name == "length") length = value.integer();
    if (name == "entries-added") entries_added = value.integer();
  }
  StreamId newest;
  if (ParseStreamId(last_generated, newest) && newest < position) {
    return CursorExpired(cursor, "is beyond the end of the feed");
  }
  const bool trimmed = entries_added < 0 || entries_added > length;
  StreamId first;
  const bool has_first = ParseStreamId(first_entry, first);
  if (trimmed && (has_first ? position < first : position < newest)) {
    return CursorExpired(cursor, "fell off the retained backlog");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Change>> ChangeFeedReader::ReadAfter(absl::string_view organization,
                                                                    absl::string_view cursor,
                                                                    int count, absl::Duration wait,
                                                                    absl::Time deadline) const {
  const int64_t block_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(wait));
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"XREAD", "COUNT", absl::StrCat(count), "BLOCK", absl::StrCat(block_ms),
                       "STREAMS", keys::Changes(organization), std::string(cursor)},
                      deadline);
  if (!reply.ok()) return reply.status();
  std::vector<v1::Change> changes;
  if (reply->is_nil() || reply->elements().empty()) return changes;
  // [[key, [[id, [field, value, …]], …]]]
  const std::vector<RedisReply>& stream = reply->elements()[0].elements();
  if (stream.size() < 2) return changes;
  for (const RedisReply& entry : stream[1].elements()) {
    if (entry.elements().size() < 2) continue;
    const std::string& id = entry.elements()[0].str();
    const std::vector<RedisReply>& fields = entry.elements()[1].elements();
    v1::Change change;
    bool parsed = false;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() == "c") parsed = change.ParseFromString(fields[i + 1].str());
    }
    if (!parsed) {
      return absl::DataLossError(
          absl::StrCat("unreadable change ", id, " in ", keys::Changes(organization)));
    }
    change.set_cursor(id);
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace fieldwork::scheduling
