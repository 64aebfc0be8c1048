// What reports are built from, read from scheduling and attendance for one call: the
// organization (settings, scoring table, time zone), the events of the fetched range, their
// attendance records, and the roster. Plain data; report_builder.h turns it into reports.
#ifndef FIELDWORK_SERVICES_REPORTING_REPORT_DATA_H_
#define FIELDWORK_SERVICES_REPORTING_REPORT_DATA_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "fieldwork/attendance/v1/attendance_record.pb.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/member.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"
#include "services/reporting/scoring.h"

namespace fieldwork::reporting {

// An event's attendance records by member name.
using EventRecords = absl::flat_hash_map<std::string, fieldwork::attendance::v1::AttendanceRecord>;
// Events' attendance records by event name.
using RecordsByEvent = absl::flat_hash_map<std::string, EventRecords>;

struct ReportData {
  fieldwork::scheduling::v1::Organization organization;
  absl::TimeZone zone;
  // When reading began: what the report reflects.
  absl::Time as_of;
  // Events of the fetched range in every state, ordered by start time then name.
  std::vector<fieldwork::scheduling::v1::Event> events;
  // Attendance records of the scheduled and completed events, by event name.
  RecordsByEvent records;
  // The members the report is about (one, a unit's, or the whole roster), by name.
  absl::flat_hash_map<std::string, fieldwork::scheduling::v1::Member> members;
};

// The organization's scoring table.
Scoring ScoringOf(const ReportData& data);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_REPORT_DATA_H_
