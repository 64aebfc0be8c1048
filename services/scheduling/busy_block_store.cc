// Busy block records and their indexes in Redis (see busy_block_store.h).
#include "services/scheduling/busy_block_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_status.h"
#include "common/api/field_checks.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {
namespace {

std::string Key(const BusyBlockName& name) {
  return keys::BusyBlock(name.organization, name.member, name.id);
}

// The entry of a block in the index of every member's blocks.
std::string AllIndexEntry(const BusyBlockName& name) {
  return absl::StrCat(name.member, "/", name.id);
}

std::string ScoreBound(absl::Time time, bool exclusive) {
  if (time == absl::InfinitePast()) return "-inf";
  if (time == absl::InfiniteFuture()) return "+inf";
  return absl::StrCat(exclusive ? "(" : "", absl::ToUnixSeconds(time));
}

}  // namespace

absl::StatusOr<StoredBusyBlock> BusyBlockStore::Get(const BusyBlockName& name,
                                                    absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply = redis_->Execute({"GET", Key(name)}, deadline);
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) {
    return absl::NotFoundError(absl::StrCat(
        "busy block ", FormatBusyBlockName(name.organization, name.member, name.id), " not found"));
  }
  StoredBusyBlock stored;
  stored.raw = reply->str();
  if (!stored.block.ParseFromString(stored.raw)) {
    return absl::DataLossError(absl::StrCat("unreadable busy block ", name.id));
  }
  return stored;
}

absl::StatusOr<std::vector<v1::BusyBlock>> BusyBlockStore::List(absl::string_view organization,
                                                                absl::string_view member_id,
                                                                const Interval& window,
                                                                absl::Time deadline) const {
  const absl::Time earliest_start = window.start == absl::InfinitePast()
                                        ? absl::InfinitePast()
                                        : window.start - kMaxBusyBlockLength;
  const std::string index = member_id.empty() ? keys::BusyBlocksByStart(organization)
                                              : keys::MemberBusyBlocks(organization, member_id);
  absl::StatusOr<RedisReply> entries = redis_->Execute(
      {"ZRANGEBYSCORE", index, ScoreBound(earliest_start, false), ScoreBound(window.end, true)},
      deadline);
  if (!entries.ok()) return entries.status();
  std::vector<v1::BusyBlock> blocks;
  if (entries->elements().empty()) return blocks;
  RedisCommand mget{"MGET"};
  for (const RedisReply& entry : entries->elements()) {
    if (!member_id.empty()) {
      mget.push_back(keys::BusyBlock(organization, member_id, entry.str()));
      continue;
    }
    const size_t slash = entry.str().find('/');
    mget.push_back(
        keys::BusyBlock(organization, entry.str().substr(0, slash), entry.str().substr(slash + 1)));
  }
  absl::StatusOr<RedisReply> records = redis_->Execute(mget, deadline);
  if (!records.ok()) return records.status();
  for (const RedisReply& record : records->elements()) {
    if (record.is_nil()) continue;
    v1::BusyBlock block;
    if (!block.ParseFromString(record.str())) {
      return absl::DataLossError(absl::StrCat("unreadable busy block in ", organization));
    }
    const absl::Time start = ToTime(block.time_range().start_time());
    const absl::Time end = ToTime(block.time_range().end_time());
    if (end > window.start && start < window.end) blocks.push_back(std::move(block));
  }
  std::sort(blocks.begin(), blocks.end(), [](const v1::BusyBlock& a, const v1::BusyBlock& b) {
    const int64_t a_start = a.time_range().start_time().seconds();
    const int64_t b_start = b.time_range().start_time().seconds();
    return a_start != b_start ? a_start < b_start : a.name() < b.name();
  });
  return blocks;
}

Precondition BusyBlockStore::Absent(const BusyBlockName& name) {
  return Precondition::Absent(Key(name));
}

Precondition BusyBlockStore::Unchanged(const BusyBlockName& name, const std::string& raw) {
  return Precondition::ValueEquals(Key(name), raw);
}

bool BusyBlockStore::IsPreconditionOnBlock(const absl::Status& status, const BusyBlockName& name) {
  return IsPreconditionFailed(status) && ConflictKey(status) == Key(name);
}

void BusyBlockStore::AddPut(const BusyBlockName& name, const v1::BusyBlock& block,
                            AtomicWrite& write) {
  const double start = static_cast<double>(block.time_range().start_time().seconds());
  write.Add(WriteOp::Set(Key(name), block.SerializeAsString()));
  write.Add(WriteOp::ZAdd(keys::MemberBusyBlocks(name.organization, name.member), start, name.id));
  write.Add(WriteOp::ZAdd(keys::BusyBlocksByStart(name.organization), start, AllIndexEntry(name)));
}

void BusyBlockStore::AddDelete(const BusyBlockName& name, AtomicWrite& write) {
  write.Add(WriteOp::Del(Key(name)));
  write.Add(WriteOp::ZRem(keys::MemberBusyBlocks(name.organization, name.member), name.id));
  write.Add(WriteOp::ZRem(keys::BusyBlocksByStart(name.organization), AllIndexEntry(name)));
}

}  // namespace fieldwork::scheduling
