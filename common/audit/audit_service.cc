// ListAuditEntries: authorize, check the filters, then read the stream newest first in chunks,
// keeping the entries that match until the page is full (see audit_service.h).
#include "common/audit/audit_service.h"

#include <string>
#include <vector>

#include "common/api/call_deadline.h"
#include "common/api/handler_support.h"
#include "common/api/page_token.h"
#include "common/audit/audit_filter.h"
#include "common/errors.h"
#include "common/status_macros.h"

namespace fieldwork {
namespace {

namespace v1 = ::fieldwork::common::v1;

// How long a page may take when the caller sets no deadline.
constexpr absl::Duration kListBudget = absl::Seconds(10);

}  // namespace

grpc::Status AuditServiceImpl::ListAuditEntries(grpc::ServerContextBase* context,
                                                const v1::ListAuditEntriesRequest* request,
                                                v1::ListAuditEntriesResponse* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, authorizer_->Authenticate(context));
    FIELDWORK_ASSIGN_OR_RETURN(const AuditQuery query, ParseAuditQuery(*request));
    FIELDWORK_RETURN_IF_ERROR(
        authorizer_->Authorize(context, caller, AccessTarget::Organization(query.organization)));
    FIELDWORK_ASSIGN_OR_RETURN(std::string before,
                               DecodePageToken(request->page_token(), FilterDigest(*request)));
    if (!before.empty() && !AuditStore::IsStreamId(before)) {
      return InvalidField("page_token", "is not a token this service issued");
    }
    const absl::Time deadline = CallDeadline(context, kListBudget);

    std::vector<StoredAuditEntry> page;
    bool more = false;
    while (!more) {
      FIELDWORK_ASSIGN_OR_RETURN(std::vector<StoredAuditEntry> chunk,
                                 store_->ReadNewestFirst(query.organization, before,
                                                         query.time_range, kScanChunk, deadline));
      for (StoredAuditEntry& stored : chunk) {
        before = stored.id;
        if (!MatchesAuditQuery(stored.entry, query)) continue;
        if (static_cast<int>(page.size()) == query.page_size) {
          more = true;
          break;
        }
        page.push_back(std::move(stored));
      }
      if (chunk.size() < static_cast<size_t>(kScanChunk)) break;
    }
    for (StoredAuditEntry& stored : page) {
      stored.entry.set_name(AuditEntryName(query.organization, store_->service(), stored.id));
      *response->add_audit_entries() = std::move(stored.entry);
    }
    if (more) {
      response->set_next_page_token(EncodePageToken(FilterDigest(*request), page.back().id));
    }
    return absl::OkStatus();
  };
  return Finish(run());
}

}  // namespace fieldwork
