// Reporting's reads of scheduling and attendance over gRPC, on behalf of the caller (so each peer
// applies the caller's visibility). Every list is read to its last page; any failure fails the
// whole read, so a report is never built from part of the data.
#ifndef FIELDWORK_SERVICES_REPORTING_PEER_READER_H_
#define FIELDWORK_SERVICES_REPORTING_PEER_READER_H_

#include <grpcpp/channel.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/api/peer_call.h"
#include "common/principal.h"
#include "fieldwork/attendance/v1/attendance_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/roster_service.grpc.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/reporting/report_data.h"

namespace fieldwork::reporting {

class PeerReader {
 public:
  PeerReader(std::shared_ptr<grpc::Channel> scheduling, std::shared_ptr<grpc::Channel> attendance,
             PeerCallOptions options);

  // One call's reader: who calls, until when.
  struct Call {
    std::optional<Principal> caller;
    absl::Time deadline;
  };

  // The organization with its settings, and its time zone.
  absl::Status ReadOrganization(const Call& call, absl::string_view organization,
                                ReportData& data) const;
  absl::StatusOr<fieldwork::scheduling::v1::Member> GetMember(const Call& call,
                                                              absl::string_view name) const;
  absl::StatusOr<fieldwork::scheduling::v1::Unit> GetUnit(const Call& call,
                                                          absl::string_view name) const;
  // Members of `unit` ("" for every member of the organization) into data.members.
  absl::Status ReadMembers(const Call& call, absl::string_view organization, absl::string_view unit,
                           ReportData& data) const;
  absl::StatusOr<fieldwork::scheduling::v1::Event> GetEvent(const Call& call,
                                                            absl::string_view name) const;
  // Events overlapping `window` (every state; only `member`'s when set) into data.events, and
  // their attendance records (only `member`'s when set) into data.records. Everyone's records are
  // read a month at a time, several months at once.
  absl::Status ReadEventsAndRecords(const Call& call, absl::string_view organization,
                                    const Interval& window, absl::string_view member,
                                    ReportData& data) const;
  // Every participant's record of one event into data.records.
  absl::Status ReadEventRecords(const Call& call, absl::string_view event, ReportData& data) const;

 private:
  void Prepare(grpc::ClientContext& context, const Call& call) const;
  // Every page of `request` into `records`.
  absl::Status ListRecords(const Call& call,
                           fieldwork::attendance::v1::ListAttendanceRequest request,
                           RecordsByEvent& records) const;
  // Events overlapping `window` into data.events.
  absl::Status ListEvents(const Call& call, absl::string_view organization, const Interval& window,
                          absl::string_view member, ReportData& data) const;

  std::unique_ptr<fieldwork::scheduling::v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<fieldwork::scheduling::v1::RosterService::Stub> roster_;
  std::unique_ptr<fieldwork::attendance::v1::AttendanceService::Stub> attendance_;
  const PeerCallOptions options_;
};

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_PEER_READER_H_
