// ReportingService reports: the member, unit and organization reports and the event sheet, each
// read as the caller and built in one go (see reporting_service.h).
#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/error_reason.h"
#include "common/api/grpc_answer.h"
#include "common/api/resource_names.h"
#include "common/status_macros.h"
#include "services/reporting/report_builder.h"
#include "services/reporting/reporting_service.h"

namespace fieldwork::reporting {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;

// Checks the period's shape before anything is read (the zone only moves its bounds).
absl::Status CheckPeriod(const v1::ReportPeriod& period) {
  return ResolvePeriod("period", period, absl::UTCTimeZone()).status();
}

}  // namespace

absl::StatusOr<ReportingServiceImpl::PeriodReport> ReportingServiceImpl::BeginPeriodReport(
    grpc::ServerContextBase* context, const AccessTarget& target,
    const v1::ReportPeriod& period) const {
  FIELDWORK_ASSIGN_OR_RETURN(const Principal caller, deps_.authorizer->Authorize(context, target));
  FIELDWORK_RETURN_IF_ERROR(CheckPeriod(period));
  PeriodReport report;
  report.call = {caller, CallDeadline(context, deps_.rpc_budget)};
  report.data.as_of = absl::Now();
  FIELDWORK_RETURN_IF_ERROR(
      deps_.peers->ReadOrganization(report.call, target.organization, report.data));
  FIELDWORK_ASSIGN_OR_RETURN(report.period, ResolvePeriod("period", period, report.data.zone));
  return report;
}

absl::StatusOr<v1::MemberReport> ReportingServiceImpl::MemberReport(
    grpc::ServerContextBase* context, absl::string_view subject_field, absl::string_view member,
    const v1::ReportPeriod& period) const {
  // Unknown callers learn nothing, not even whether their request was well formed.
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authenticate(context).status());
  FIELDWORK_ASSIGN_OR_RETURN(const ChildName name,
                             NameField(subject_field, ParseMemberName(member)));
  FIELDWORK_ASSIGN_OR_RETURN(
      PeriodReport report,
      BeginPeriodReport(context, AccessTarget::Member(name.organization, member), period));
  const PeerReader::Call& call = report.call;
  ReportData& data = report.data;
  const ResolvedPeriod& resolved = report.period;
  FIELDWORK_ASSIGN_OR_RETURN(sv1::Member roster, deps_.peers->GetMember(call, member));
  data.members.emplace(std::string(member), std::move(roster));
  FIELDWORK_RETURN_IF_ERROR(
      deps_.peers->ReadEventsAndRecords(call, name.organization, resolved.instants, member, data));
  return BuildMemberReport(data, resolved, std::string(member));
}

absl::StatusOr<v1::UnitReport> ReportingServiceImpl::UnitReport(
    grpc::ServerContextBase* context, absl::string_view subject_field, absl::string_view unit,
    const v1::ReportPeriod& period) const {
  // Unknown callers learn nothing, not even whether their request was well formed.
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authenticate(context).status());
  FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, NameField(subject_field, ParseUnitName(unit)));
  FIELDWORK_ASSIGN_OR_RETURN(
      PeriodReport report,
      BeginPeriodReport(context, AccessTarget::Organization(name.organization), period));
  const PeerReader::Call& call = report.call;
  ReportData& data = report.data;
  const ResolvedPeriod& resolved = report.period;
  FIELDWORK_ASSIGN_OR_RETURN(const sv1::Unit roster_unit, deps_.peers->GetUnit(call, unit));
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadMembers(call, name.organization, unit, data));
  FIELDWORK_RETURN_IF_ERROR(
      deps_.peers->ReadEventsAndRecords(call, name.organization, resolved.instants, "", data));
  return BuildUnitReport(data, resolved, roster_unit);
}

absl::StatusOr<v1::UnitReport> ReportingServiceImpl::OrganizationMembersReport(
    grpc::ServerContextBase* context, absl::string_view subject_field,
    absl::string_view organization, const v1::ReportPeriod& period) const {
  // Unknown callers learn nothing, not even whether their request was well formed.
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authenticate(context).status());
  FIELDWORK_ASSIGN_OR_RETURN(const std::string id,
                             NameField(subject_field, ParseOrganizationName(organization)));
  FIELDWORK_ASSIGN_OR_RETURN(PeriodReport report,
                             BeginPeriodReport(context, AccessTarget::Organization(id), period));
  const PeerReader::Call& call = report.call;
  ReportData& data = report.data;
  const ResolvedPeriod& resolved = report.period;
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadMembers(call, id, "", data));
  FIELDWORK_RETURN_IF_ERROR(
      deps_.peers->ReadEventsAndRecords(call, id, resolved.instants, "", data));
  return BuildUnitReport(data, resolved, sv1::Unit());
}

absl::StatusOr<v1::EventSheet> ReportingServiceImpl::EventSheet(grpc::ServerContextBase* context,
                                                                absl::string_view subject_field,
                                                                absl::string_view event) const {
  // Unknown callers learn nothing, not even whether their request was well formed.
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authenticate(context).status());
  FIELDWORK_ASSIGN_OR_RETURN(const ChildName name, NameField(subject_field, ParseEventName(event)));
  FIELDWORK_ASSIGN_OR_RETURN(
      const Principal caller,
      deps_.authorizer->Authorize(context, AccessTarget::Organization(name.organization)));
  const PeerReader::Call call{caller, CallDeadline(context, deps_.rpc_budget)};
  ReportData data;
  data.as_of = absl::Now();
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadOrganization(call, name.organization, data));
  FIELDWORK_ASSIGN_OR_RETURN(sv1::Event found, deps_.peers->GetEvent(call, event));
  if (found.state() == sv1::EVENT_STATE_DRAFT) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(event, " is a draft: it has no attendance yet")),
        common::v1::ERROR_REASON_INVALID_STATE);
  }
  const bool cancelled = found.state() == sv1::EVENT_STATE_CANCELLED;
  data.events.push_back(std::move(found));
  // A cancelled event has no attendance to show (attendance refuses it).
  if (!cancelled) FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadEventRecords(call, event, data));
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadMembers(call, name.organization, "", data));
  return BuildEventSheet(data);
}

absl::StatusOr<v1::OrganizationSummary> ReportingServiceImpl::OrganizationSummary(
    grpc::ServerContextBase* context, absl::string_view subject_field,
    absl::string_view organization, const v1::ReportPeriod& period) const {
  // Unknown callers learn nothing, not even whether their request was well formed.
  FIELDWORK_RETURN_IF_ERROR(deps_.authorizer->Authenticate(context).status());
  FIELDWORK_ASSIGN_OR_RETURN(const std::string id,
                             NameField(subject_field, ParseOrganizationName(organization)));
  FIELDWORK_ASSIGN_OR_RETURN(PeriodReport report,
                             BeginPeriodReport(context, AccessTarget::Organization(id), period));
  const PeerReader::Call& call = report.call;
  ReportData& data = report.data;
  const ResolvedPeriod& resolved = report.period;
  // Annual reports due need their whole year, which may begin before the period.
  const Interval window = DaysToInstants(SummaryFirstDay(resolved), resolved.last_day, data.zone);
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadMembers(call, id, "", data));
  FIELDWORK_RETURN_IF_ERROR(deps_.peers->ReadEventsAndRecords(call, id, window, "", data));
  return BuildOrganizationSummary(data, resolved);
}

grpc::Status ReportingServiceImpl::GetMemberReport(grpc::ServerContextBase* context,
                                                   const v1::GetMemberReportRequest* request,
                                                   v1::MemberReport* response) {
  return Answer(MemberReport(context, "member", request->member(), request->period()), response);
}

grpc::Status ReportingServiceImpl::GetUnitReport(grpc::ServerContextBase* context,
                                                 const v1::GetUnitReportRequest* request,
                                                 v1::UnitReport* response) {
  return Answer(UnitReport(context, "unit", request->unit(), request->period()), response);
}

grpc::Status ReportingServiceImpl::GetEventSheet(grpc::ServerContextBase* context,
                                                 const v1::GetEventSheetRequest* request,
                                                 v1::EventSheet* response) {
  return Answer(EventSheet(context, "event", request->event()), response);
}

grpc::Status ReportingServiceImpl::GetOrganizationSummary(
    grpc::ServerContextBase* context, const v1::GetOrganizationSummaryRequest* request,
    v1::OrganizationSummary* response) {
  return Answer(
      OrganizationSummary(context, "organization", request->organization(), request->period()),
      response);
}

}  // namespace fieldwork::reporting
