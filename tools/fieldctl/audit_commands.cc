// `fieldctl audit list`: the organization's audit trail as the three services recorded it, each
// asked with the same filters (following pages until --limit entries), merged newest first.
#include <memory>
#include <string>
#include <vector>

#include "fieldwork/common/v1/audit_service.grpc.pb.h"
#include "tools/fieldctl/audit_listing.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/rpc_client.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

namespace cv1 = ::fieldwork::common::v1;
using AuditService = cv1::AuditService;

constexpr int kMaxPageSize = 1000;

struct AuditOptions {
  std::string from;
  std::string to;
  std::string subject;
  std::string method;
  std::string resource;
  bool failures_only = false;
  int limit = 100;
};

// Sets one end of the time range from a typed time, in whole seconds as the API takes them.
absl::Status SetAuditTime(Session& session, const std::string& flag, const std::string& text,
                          google::protobuf::Timestamp* timestamp) {
  absl::StatusOr<absl::Time> time = session.ParseTime(text);
  if (!time.ok())
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", time.status().message()));
  timestamp->set_seconds(absl::ToUnixSeconds(*time));
  return absl::OkStatus();
}

absl::StatusOr<cv1::ListAuditEntriesRequest> BuildRequest(Session& session,
                                                          const AuditOptions& options) {
  absl::StatusOr<std::string> organization = session.Organization();
  if (!organization.ok()) return organization.status();
  cv1::ListAuditEntriesRequest request;
  request.set_parent(absl::StrCat("organizations/", *organization));
  request.set_subject(options.subject);
  absl::StatusOr<std::string> method = AuditMethodArg(options.method);
  if (!method.ok()) return method.status();
  request.set_method(*method);
  request.set_resource(AuditResourceArg(*organization, options.resource));
  request.set_failures_only(options.failures_only);
  if (!options.from.empty()) {
    absl::Status set = SetAuditTime(session, "--from", options.from,
                                    request.mutable_time_range()->mutable_start_time());
    if (!set.ok()) return set;
  }
  if (!options.to.empty()) {
    absl::Status set =
        SetAuditTime(session, "--to", options.to, request.mutable_time_range()->mutable_end_time());
    if (!set.ok()) return set;
  }
  if (options.limit < 0) return absl::InvalidArgumentError("--limit: must be 0 (all) or more");
  request.set_page_size(options.limit == 0 ? kMaxPageSize : std::min(options.limit, kMaxPageSize));
  return request;
}

// The newest `limit` entries (0: all) of one service's trail.
absl::StatusOr<std::vector<cv1::AuditEntry>> ReadTrail(Session& session, Endpoint& endpoint,
                                                       cv1::ListAuditEntriesRequest request,
                                                       int limit) {
  RpcClient<AuditService> client(session, endpoint);
  std::vector<cv1::AuditEntry> entries;
  for (;;) {
    cv1::ListAuditEntriesResponse page;
    if (absl::Status status = client.Call(&AuditService::Stub::ListAuditEntries, request, &page);
        !status.ok()) {
      return status;
    }
    entries.insert(entries.end(), page.audit_entries().begin(), page.audit_entries().end());
    if (page.next_page_token().empty() ||
        (limit != 0 && entries.size() >= static_cast<size_t>(limit))) {
      return entries;
    }
    request.set_page_token(page.next_page_token());
    session.Progress(absl::StrCat("read ", entries.size(), " entries from ", endpoint.label, "…"));
  }
}

absl::Status ListAudit(Session& session, const AuditOptions& options) {
  absl::StatusOr<cv1::ListAuditEntriesRequest> request = BuildRequest(session, options);
  if (!request.ok()) return request.status();
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  std::vector<std::vector<cv1::AuditEntry>> trails;
  for (Endpoint* endpoint : {&session.scheduling(), &session.attendance(), &session.reporting()}) {
    absl::StatusOr<std::vector<cv1::AuditEntry>> trail =
        ReadTrail(session, *endpoint, *request, options.limit);
    if (!trail.ok()) return trail.status();
    trails.push_back(*std::move(trail));
  }
  session.Progress("");
  cv1::ListAuditEntriesResponse merged;
  for (cv1::AuditEntry& entry : MergeAuditTrails(trails, static_cast<size_t>(options.limit))) {
    *merged.add_audit_entries() = std::move(entry);
  }
  session.Print(merged, AuditTable(merged.audit_entries(), *zone));
  return absl::OkStatus();
}

}  // namespace

void AddAuditCommands(Cli& cli) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* app = cli.Add(
      {"audit",
       "list",
       {"ls"},
       "The organization's audit trail from all three services, newest first (org-admin)",
       "fieldctl audit list --failures-only --from 2026-12-01 --method CancelEvent -o json"},
      [options](Session& session) { return ListAudit(session, *options); });
  app->add_option("--from", options->from, "Only entries at or after this time");
  app->add_option("--to", options->to, "Only entries before this time");
  app->add_option("--subject", options->subject, "Only calls by this caller (token subject)");
  app->add_option("--method", options->method,
                  "Only this RPC: CancelEvent, or the full /package.Service/Method");
  app->add_option("--resource", options->resource,
                  "Only this resource and what lies beneath it, e.g. events/trip1");
  app->add_flag("--failures-only", options->failures_only, "Only calls that did not return OK");
  app->add_option("--limit", options->limit, "At most this many entries; 0 for all")
      ->capture_default_str();
}

}  // namespace fieldwork::fieldctl
