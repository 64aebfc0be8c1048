// Audit stream keys, appends and newest-first reads (see audit_store.h).
#include "common/audit/audit_store.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_names.h"

namespace fieldwork {
namespace {

constexpr char kEntryField[] = "e";

// The stream id bound for `time` moved by `slack`: "-"/"+" for an open end.
std::string IdBound(absl::Time time, absl::Duration slack, absl::string_view open) {
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) return std::string(open);
  return absl::StrCat(std::max<int64_t>(0, absl::ToUnixMillis(time + slack)));
}

}  // namespace

std::string AuditStore::Key(absl::string_view organization) const {
  return absl::StrCat("fw:{", organization, "}:audit:", service_);
}

absl::Status AuditStore::Append(absl::string_view organization,
                                const std::vector<PendingAuditEntry>& entries,
                                absl::Time deadline) const {
  const std::string key = Key(organization);
  const std::string cap = absl::StrCat(max_entries_);
  std::vector<RedisCommand> commands;
  for (const PendingAuditEntry& pending : entries) {
    RedisCommand command = {"XADD", key};
    if (!pending.may_create_stream) command.push_back("NOMKSTREAM");
    for (const char* argument : {"MAXLEN", "~"}) command.push_back(argument);
    command.push_back(cap);
    command.push_back("*");
    command.push_back(kEntryField);
    command.push_back(pending.entry.SerializeAsString());
    commands.push_back(std::move(command));
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands, deadline);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return absl::InternalError(absl::StrCat("XADD: ", reply.str()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredAuditEntry>> AuditStore::ReadNewestFirst(
    absl::string_view organization, absl::string_view before_id, const Interval& window, int count,
    absl::Time deadline) const {
  const std::string newest =
      before_id.empty() ? IdBound(window.end, kIdClockSlack, "+") : absl::StrCat("(", before_id);
  const std::string oldest = IdBound(window.start, -kIdClockSlack, "-");
  absl::StatusOr<RedisReply> reply = redis_->Execute(
      {"XREVRANGE", Key(organization), newest, oldest, "COUNT", absl::StrCat(count)}, deadline);
  if (!reply.ok()) return reply.status();
  std::vector<StoredAuditEntry> entries;
  for (const RedisReply& item : reply->elements()) {
    const std::vector<RedisReply>& parts = item.elements();
    if (parts.size() != 2 || parts[1].elements().size() != 2) {
      return absl::DataLossError(
          absl::StrCat("malformed audit stream entry in ", Key(organization)));
    }
    StoredAuditEntry stored;
    stored.id = parts[0].str();
    if (!stored.entry.ParseFromString(parts[1].elements()[1].str())) {
      return absl::DataLossError(absl::StrCat("unreadable audit entry ", stored.id));
    }
    entries.push_back(std::move(stored));
  }
  return entries;
}

bool AuditStore::IsStreamId(absl::string_view id) {
  const std::vector<absl::string_view> parts = absl::StrSplit(id, '-');
  if (parts.size() != 2) return false;
  for (const absl::string_view part : parts) {
    if (part.empty() || part.size() > 20 || !std::all_of(part.begin(), part.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      return false;
    }
  }
  return true;
}

std::string AuditEntryName(absl::string_view organization, absl::string_view service,
                           absl::string_view id) {
  return absl::StrCat(FormatOrganizationName(organization), "/auditEntries/", service, "-", id);
}

}  // namespace fieldwork
