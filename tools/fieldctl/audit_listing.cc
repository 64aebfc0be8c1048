// Filters, merging and the table of `fieldctl audit list` (see audit_listing.h).
#include "tools/fieldctl/audit_listing.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "fieldwork/common/v1/audit_service.pb.h"
#include "fieldwork/reporting/v1/reporting_service.pb.h"
#include "fieldwork/scheduling/v1/roster_service.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"
#include "tools/fieldctl/error_text.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

namespace cv1 = ::fieldwork::common::v1;

// The proto files of every fieldwork service, each named through one of its messages (which also
// links the file into the binary).
std::vector<const google::protobuf::FileDescriptor*> ServiceFiles() {
  return {fieldwork::scheduling::v1::CancelEventRequest::descriptor()->file(),
          fieldwork::scheduling::v1::CreateMemberRequest::descriptor()->file(),
          fieldwork::attendance::v1::CheckInRequest::descriptor()->file(),
          fieldwork::reporting::v1::ExportReportRequest::descriptor()->file(),
          cv1::ListAuditEntriesRequest::descriptor()->file()};
}

std::string Caller(const cv1::AuditEntry& entry) {
  if (!entry.has_original_caller()) return entry.caller().subject();
  return absl::StrCat(entry.caller().subject(), " for ", entry.original_caller().subject());
}

std::string CodeName(int code) {
  return code == 0 ? "OK" : absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace

absl::StatusOr<std::string> AuditMethodArg(absl::string_view arg) {
  if (arg.empty() || absl::StartsWith(arg, "/")) return std::string(arg);
  for (const google::protobuf::FileDescriptor* file : ServiceFiles()) {
    for (int i = 0; i < file->service_count(); ++i) {
      const google::protobuf::ServiceDescriptor* service = file->service(i);
      if (service->FindMethodByName(std::string(arg)) != nullptr) {
        return absl::StrCat("/", service->full_name(), "/", arg);
      }
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--method: no fieldwork service has a method ", arg));
}

std::string AuditResourceArg(absl::string_view organization, absl::string_view arg) {
  if (arg.empty() || absl::StartsWith(arg, "organizations/")) return std::string(arg);
  return absl::StrCat("organizations/", organization, "/", arg);
}

std::vector<cv1::AuditEntry> MergeAuditTrails(
    const std::vector<std::vector<cv1::AuditEntry>>& trails, size_t limit) {
  std::vector<cv1::AuditEntry> merged;
  std::set<std::string> seen;
  for (const std::vector<cv1::AuditEntry>& trail : trails) {
    for (const cv1::AuditEntry& entry : trail) {
      if (seen.insert(entry.name()).second) merged.push_back(entry);
    }
  }
  std::sort(merged.begin(), merged.end(), [](const cv1::AuditEntry& a, const cv1::AuditEntry& b) {
    const absl::Time a_time = FromProtoTime(a.time());
    const absl::Time b_time = FromProtoTime(b.time());
    return a_time != b_time ? a_time > b_time : a.name() > b.name();
  });
  if (limit != 0 && merged.size() > limit) merged.resize(limit);
  return merged;
}

Table AuditTable(const Items<cv1::AuditEntry>& items, const absl::TimeZone& zone) {
  return MakeTable<cv1::AuditEntry>(
      {{"TIME", [&zone](const auto& e) { return FormatTimeIn(FromProtoTime(e.time()), zone); }},
       {"SERVICE", [](const auto& e) { return e.service(); }},
       {"METHOD", [](const auto& e) { return e.method().substr(e.method().rfind('/') + 1); }},
       {"CALLER", [](const auto& e) { return Caller(e); }},
       {"RESOURCE", [](const auto& e) { return ShortName(e.resource()); }},
       {"CODE", [](const auto& e) { return CodeName(e.status_code()); }},
       {"REASON", [](const auto& e) { return e.error_reason(); }},
       {"REPLAYED", [](const auto& e) { return e.replayed() ? "yes" : ""; }}},
      items);
}

}  // namespace fieldwork::fieldctl
