// What the attendance unit tests share: an event fixture built without scheduling.
#ifndef FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_UNIT_TEST_SUPPORT_H_
#define FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_UNIT_TEST_SUPPORT_H_

#include "absl/time/time.h"
#include "services/attendance/attendance_rules.h"

namespace fieldwork::attendance::testing {

// 2026-12-03 09:00–12:00 UTC, default rules (check-in opens 60 min before, grace 10 min, check-out
// closes 60 min after), lead "m1", required "m2", optional "m3".
inline EventFacts MorningInspection() {
  EventFacts event;
  event.organization = "tongguan";
  event.event_id = "e1";
  event.event_name = "organizations/tongguan/events/e1";
  event.state = fieldwork::scheduling::v1::EVENT_STATE_SCHEDULED;
  event.time.start = absl::FromCivil(absl::CivilMinute(2026, 12, 3, 9, 0), absl::UTCTimeZone());
  event.time.end = event.time.start + absl::Hours(3);
  event.roles = {{"m1", fieldwork::scheduling::v1::PARTICIPANT_ROLE_LEAD},
                 {"m2", fieldwork::scheduling::v1::PARTICIPANT_ROLE_REQUIRED},
                 {"m3", fieldwork::scheduling::v1::PARTICIPANT_ROLE_OPTIONAL}};
  event.members = {"m1", "m2", "m3"};
  return event;
}

}  // namespace fieldwork::attendance::testing

#endif  // FIELDWORK_TESTS_SERVICES_ATTENDANCE_ATTENDANCE_UNIT_TEST_SUPPORT_H_
