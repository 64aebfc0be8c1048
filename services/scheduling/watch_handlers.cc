// WatchChanges: the organization's change feed, streamed from a resumable cursor. The stream opens
// with an empty message carrying the start cursor, then polls the feed with short blocking reads
// (so it notices a cancelled client within a second), sends matching changes in batches and a
// heartbeat after 15 s without any. HOLD_EXPIRED entries are written by the hold expiry sweeper
// (hold_expiry_sweeper.h) of every replica, so watching stays read-only.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/error_reason.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/change_filter.h"
#include "services/scheduling/roster_facts.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr absl::Duration kHeartbeat = absl::Seconds(15);
// Longest blocking read: how soon a cancelled client or a dead Redis is noticed. Below the Redis
// client's command timeout.
constexpr absl::Duration kLongestWait = absl::Seconds(1);
constexpr int kBatchSize = 100;
constexpr int kMaxChangeTypes = 21;

ChangeFilter CheckWatchRequest(const v1::WatchChangesRequest& request,
                               absl::string_view organization, const Principal& caller,
                               FieldErrors& errors) {
  ChangeFilter filter;
  if (request.cursor().size() > 64 ||
      (!request.cursor().empty() && !IsFeedCursor(request.cursor()))) {
    errors.Add("cursor", "must be a cursor from a change or a heartbeat of this feed");
  }
  if (request.change_types_size() > kMaxChangeTypes) {
    errors.Add("change_types", absl::StrCat("at most ", kMaxChangeTypes, " entries"));
  }
  for (int i = 0; i < request.change_types_size(); ++i) {
    const int type = request.change_types(i);
    if (type == v1::CHANGE_TYPE_UNSPECIFIED || !v1::ChangeType_IsValid(type)) {
      errors.Add(absl::StrCat("change_types[", i, "]"), "must be a known change type");
    }
    filter.types.insert(type);
  }
  if (!request.member().empty()) {
    absl::StatusOr<ChildName> member = ParseMemberName(request.member());
    if (!member.ok()) {
      errors.Add("member", member.status().message());
    } else if (member->organization != organization) {
      errors.Add("member", absl::StrCat("must belong to ", FormatOrganizationName(organization)));
    }
    filter.member = request.member();
  }
  filter.hide_drafts = caller.role == Role::kMember;
  return filter;
}

// Where the watch starts: after the given cursor, after the newest change, or before the oldest.
absl::StatusOr<std::string> StartCursor(const ChangeFeedReader& feed,
                                        absl::string_view organization,
                                        const v1::WatchChangesRequest& request,
                                        absl::Time deadline) {
  if (!request.cursor().empty()) {
    FIELDWORK_RETURN_IF_ERROR(feed.CheckCursor(organization, request.cursor(), deadline));
    return request.cursor();
  }
  if (request.from_oldest()) return std::string(kFeedStart);
  return feed.Newest(organization, deadline);
}

absl::Status Send(grpc::ServerWriter<v1::WatchChangesResponse>& writer,
                  const v1::WatchChangesResponse& message) {
  if (!writer.Write(message)) return absl::CancelledError("the watcher went away");
  return absl::OkStatus();
}

absl::Status Watch(const SchedulingDeps& deps, grpc::ServerContextBase* context,
                   const v1::WatchChangesRequest& request,
                   grpc::ServerWriter<v1::WatchChangesResponse>& writer) {
  absl::StatusOr<std::string> parent = ParseOrganizationName(request.parent());
  if (!parent.ok()) return InvalidField("parent", parent.status().message());
  const std::string& organization = *parent;
  const AccessTarget target = request.member().empty()
                                  ? AccessTarget::Organization(organization)
                                  : AccessTarget::Member(organization, request.member());
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps.authorizer->Authorize(context, target));
  FieldErrors errors;
  const ChangeFilter filter = CheckWatchRequest(request, organization, caller, errors);
  FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
  FIELDWORK_RETURN_IF_ERROR(RosterFacts(deps.redis)
                                .Organization(organization, CallDeadline(nullptr, deps.rpc_budget))
                                .status());

  const ChangeFeedReader feed(deps.redis);
  FIELDWORK_ASSIGN_OR_RETURN(
      std::string cursor,
      StartCursor(feed, organization, request, CallDeadline(nullptr, deps.rpc_budget)));
  v1::WatchChangesResponse opening;
  opening.set_cursor(cursor);
  FIELDWORK_RETURN_IF_ERROR(Send(writer, opening));

  absl::Time last_sent = absl::Now();
  bool behind = false;  // the last read was full: more may wait, and trimming may catch up
  while (!context->IsCancelled()) {
    const absl::Time now = absl::Now();
    if (behind) {
      FIELDWORK_RETURN_IF_ERROR(feed.CheckCursor(organization, cursor, now + deps.rpc_budget));
    }
    const absl::Duration wait =
        std::clamp(last_sent + kHeartbeat - now, absl::Milliseconds(1), kLongestWait);
    absl::StatusOr<std::vector<v1::Change>> changes =
        feed.ReadAfter(organization, cursor, kBatchSize, wait, now + wait + deps.rpc_budget);
    if (!changes.ok()) {
      return absl::UnavailableError(absl::StrCat("reading the change feed failed (",
                                                 changes.status().message(),
                                                 "); resume from the last cursor received"));
    }
    behind = changes->size() == static_cast<size_t>(kBatchSize);
    v1::WatchChangesResponse message;
    for (v1::Change& change : *changes) {
      cursor = change.cursor();
      if (Matches(change, filter)) *message.add_changes() = std::move(change);
    }
    if (message.changes_size() > 0) {
      message.set_cursor(message.changes(message.changes_size() - 1).cursor());
    } else if (absl::Now() - last_sent >= kHeartbeat) {
      message.set_cursor(cursor);
    } else {
      continue;
    }
    FIELDWORK_RETURN_IF_ERROR(Send(writer, message));
    last_sent = absl::Now();
  }
  return absl::CancelledError("the watcher cancelled the stream");
}

}  // namespace

grpc::Status SchedulingServiceImpl::WatchChanges(
    grpc::ServerContext* context, const v1::WatchChangesRequest* request,
    grpc::ServerWriter<v1::WatchChangesResponse>* writer) {
  return ToGrpcStatus(WithDefaultReason(Watch(deps_, context, *request, *writer)));
}

}  // namespace fieldwork::scheduling
