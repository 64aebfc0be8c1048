// Hold records and their indexes in Redis (see hold_store.h).
#include "services/scheduling/hold_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_status.h"
#include "common/api/field_checks.h"
#include "services/scheduling/keys.h"
#include "common/api/resource_names.h"

namespace fieldwork::scheduling {
namespace {

// The longest a hold stays readable after its creation: the longest TTL (30 min) plus the 24
// hours it is kept.
constexpr absl::Duration kLongestLife = absl::Minutes(24 * 60 + 30);

std::string IdOf(const v1::Hold& hold) {
  absl::StatusOr<ChildName> name = ParseHoldName(hold.name());
  return name.ok() ? name->id : "";
}

}  // namespace

v1::Hold Effective(v1::Hold hold, absl::Time now) {
  if (hold.state() == v1::HOLD_STATE_ACTIVE && ToTime(hold.expire_time()) <= now) {
    hold.set_state(v1::HOLD_STATE_EXPIRED);
  }
  return hold;
}

absl::StatusOr<StoredHold> HoldStore::Get(absl::string_view organization, absl::string_view hold_id,
                                          absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"GET", keys::Hold(organization, hold_id)}, deadline);
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) {
    return absl::NotFoundError(
        absl::StrCat("hold ", FormatHoldName(organization, hold_id), " not found"));
  }
  StoredHold stored;
  stored.raw = reply->str();
  if (!stored.hold.ParseFromString(stored.raw)) {
    return absl::DataLossError(absl::StrCat("unreadable hold ", hold_id));
  }
  return stored;
}

absl::StatusOr<std::vector<v1::Hold>> HoldStore::List(absl::string_view organization,
                                                      absl::Time now, absl::Time deadline) const {
  const std::string index = keys::HoldsByCreate(organization);
  // Holds created before this are gone from Redis; their index entries are dropped here.
  const std::string oldest = absl::StrCat("(", absl::ToUnixMillis(now - kLongestLife));
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"ZREMRANGEBYSCORE", index, "-inf", oldest}, {"ZRANGE", index, "0", "-1"}}, deadline);
  if (!replies.ok()) return replies.status();
  const RedisReply& ids = (*replies)[1];
  if (ids.is_error()) return absl::InternalError(ids.str());
  std::vector<v1::Hold> holds;
  if (ids.elements().empty()) return holds;
  RedisCommand mget{"MGET"};
  for (const RedisReply& id : ids.elements()) mget.push_back(keys::Hold(organization, id.str()));
  absl::StatusOr<RedisReply> records = redis_->Execute(mget, deadline);
  if (!records.ok()) return records.status();
  for (const RedisReply& record : records->elements()) {
    if (record.is_nil()) continue;
    v1::Hold& hold = holds.emplace_back();
    if (!hold.ParseFromString(record.str())) {
      return absl::DataLossError(absl::StrCat("unreadable hold in ", organization));
    }
  }
  std::sort(holds.begin(), holds.end(), [](const v1::Hold& a, const v1::Hold& b) {
    const absl::Time a_created = ToTime(a.create_time());
    const absl::Time b_created = ToTime(b.create_time());
    return a_created != b_created ? a_created < b_created : a.name() < b.name();
  });
  return holds;
}

absl::StatusOr<std::vector<std::string>> HoldStore::DueForExpiry(absl::string_view organization,
                                                                 absl::Time now,
                                                                 absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"ZRANGEBYSCORE", keys::HoldsByExpiry(organization), "-inf",
                       absl::StrCat(absl::ToUnixMillis(now))},
                      deadline);
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const RedisReply& element : reply->elements()) ids.push_back(element.str());
  return ids;
}

Precondition HoldStore::Absent(absl::string_view organization, absl::string_view hold_id) {
  return Precondition::Absent(keys::Hold(organization, hold_id));
}

Precondition HoldStore::Unchanged(absl::string_view organization, absl::string_view hold_id,
                                  const std::string& raw) {
  return Precondition::ValueEquals(keys::Hold(organization, hold_id), raw);
}

bool HoldStore::IsPreconditionOnHold(const absl::Status& status, absl::string_view organization,
                                     absl::string_view hold_id) {
  return IsPreconditionFailed(status) && ConflictKey(status) == keys::Hold(organization, hold_id);
}

void HoldStore::AddPut(absl::string_view organization, const v1::Hold& hold, absl::Time now,
                       AtomicWrite& write) {
  const std::string id = IdOf(hold);
  const bool active = hold.state() == v1::HOLD_STATE_ACTIVE;
  const absl::Time expires = ToTime(hold.expire_time());
  const absl::Duration life = (active ? expires - now : absl::ZeroDuration()) + kKeptAfterEnd;
  write.Add(WriteOp::SetWithTtl(keys::Hold(organization, id), hold.SerializeAsString(),
                                std::max(life, absl::Milliseconds(1))));
  write.Add(WriteOp::ZAdd(keys::HoldsByCreate(organization),
                          static_cast<double>(absl::ToUnixMillis(ToTime(hold.create_time()))), id));
  if (active) {
    write.Add(WriteOp::ZAdd(keys::HoldsByExpiry(organization),
                            static_cast<double>(absl::ToUnixMillis(expires)), id));
  } else {
    write.Add(WriteOp::ZRem(keys::HoldsByExpiry(organization), id));
  }
}

}  // namespace fieldwork::scheduling
