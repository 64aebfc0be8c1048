// Organization records and the organization index in Redis (see organization_store.h).
#include "services/scheduling/organization_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/redis/atomic_write.h"
#include "common/redis/redis_status.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/keys.h"

namespace fieldwork::scheduling {

absl::StatusOr<v1::Organization> OrganizationStore::GetOrganization(absl::string_view organization,
                                                                    absl::Time deadline) const {
  absl::StatusOr<Snapshot> snapshot = Read(organization, deadline);
  if (!snapshot.ok()) return snapshot.status();
  return std::move(snapshot->organization);
}

absl::StatusOr<OrganizationStore::Snapshot> OrganizationStore::Read(absl::string_view organization,
                                                                    absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply = redis_->Execute(ReadCommand(organization), deadline);
  if (!reply.ok()) return reply.status();
  return ParseRead(organization, *reply);
}

RedisCommand OrganizationStore::ReadCommand(absl::string_view organization) {
  return {"GET", keys::Organization(organization)};
}

absl::StatusOr<OrganizationStore::Snapshot> OrganizationStore::ParseRead(
    absl::string_view organization, const RedisReply& reply) {
  if (reply.is_error()) return StatusFromErrorReply(reply.str());
  if (reply.is_nil()) {
    return absl::NotFoundError(absl::StrCat(FormatOrganizationName(organization), " not found"));
  }
  Snapshot snapshot;
  snapshot.stored = reply.str();
  if (!snapshot.organization.ParseFromString(snapshot.stored)) {
    return absl::DataLossError(absl::StrCat("unreadable organization record ", organization));
  }
  return snapshot;
}

absl::Status OrganizationStore::CheckExists(absl::string_view organization,
                                            absl::Time deadline) const {
  absl::StatusOr<RedisReply> reply =
      redis_->Execute({"EXISTS", keys::Organization(organization)}, deadline);
  if (!reply.ok()) return reply.status();
  if (reply->integer() == 0) {
    return absl::NotFoundError(absl::StrCat(FormatOrganizationName(organization), " not found"));
  }
  return absl::OkStatus();
}

absl::Status OrganizationStore::Create(absl::string_view organization_id,
                                       const v1::Organization& organization,
                                       const RequestRecord& record, absl::Time deadline) const {
  // The index entry goes first and on its own (it lies outside the organization's hash tag); an
  // entry whose record never got written is skipped by List.
  absl::StatusOr<RedisReply> indexed = redis_->Execute(
      {"ZADD", keys::OrganizationIds(), "0", std::string(organization_id)}, deadline);
  if (!indexed.ok()) return indexed.status();
  const std::string key = keys::Organization(organization_id);
  AtomicWrite write;
  if (absl::Status added = record.AddTo(organization, write); !added.ok()) return added;
  write.Expect(Precondition::Absent(key)).Add(WriteOp::Set(key, organization.SerializeAsString()));
  absl::Status written = ApplyAtomicWrite(*redis_, write, deadline).status();
  if (IsPreconditionFailed(written) && ConflictKey(written) == key) {
    return WithReason(absl::AlreadyExistsError(
                          absl::StrCat(FormatOrganizationName(organization_id), " already exists")),
                      common::v1::ERROR_REASON_ALREADY_EXISTS);
  }
  return written;
}

absl::Status OrganizationStore::Update(absl::string_view organization_id, const Snapshot& before,
                                       const v1::Organization& after, const v1::Change& change,
                                       const RequestRecord& record, absl::Time deadline) const {
  const std::string key = keys::Organization(organization_id);
  AtomicWrite write;
  if (absl::Status added = record.AddTo(after, write); !added.ok()) return added;
  write.Expect(Precondition::ValueEquals(key, before.stored))
      .Add(WriteOp::Set(key, after.SerializeAsString()))
      .Add(AppendChange(organization_id, change));
  return ApplyAtomicWrite(*redis_, write, deadline).status();
}

bool OrganizationStore::ChangedMeanwhile(const absl::Status& status,
                                         absl::string_view organization_id) {
  return IsPreconditionFailed(status) && ConflictKey(status) == keys::Organization(organization_id);
}

absl::StatusOr<OrganizationStore::Page> OrganizationStore::List(absl::string_view after_id,
                                                                int page_size,
                                                                absl::Time deadline) const {
  Page page;
  std::string from = after_id.empty() ? "-" : absl::StrCat("(", after_id);
  // One more than the page tells whether another page follows; ids without a record are skipped.
  while (static_cast<int>(page.organizations.size()) <= page_size) {
    const int wanted = page_size + 1 - static_cast<int>(page.organizations.size());
    absl::StatusOr<RedisReply> ids = redis_->Execute(
        {"ZRANGEBYLEX", keys::OrganizationIds(), from, "+", "LIMIT", "0", absl::StrCat(wanted)},
        deadline);
    if (!ids.ok()) return ids.status();
    if (ids->elements().empty()) break;
    for (const RedisReply& id : ids->elements()) {
      from = absl::StrCat("(", id.str());
      absl::StatusOr<Snapshot> snapshot = Read(id.str(), deadline);
      if (absl::IsNotFound(snapshot.status())) continue;
      if (!snapshot.ok()) return snapshot.status();
      page.organizations.push_back(std::move(snapshot->organization));
    }
    if (static_cast<int>(ids->elements().size()) < wanted) break;
  }
  if (static_cast<int>(page.organizations.size()) > page_size) {
    page.organizations.pop_back();
    page.more = true;
  }
  absl::StatusOr<RedisReply> total = redis_->Execute({"ZCARD", keys::OrganizationIds()}, deadline);
  if (!total.ok()) return total.status();
  page.total = static_cast<int>(total->integer());
  return page;
}

}  // namespace fieldwork::scheduling
