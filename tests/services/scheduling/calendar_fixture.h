// Fixture of the calendar RPC tests (FindSlots, WatchChanges, ExportCalendar): the shared
// scheduling fixture plus one-line builders for the roster and bookings those tests arrange —
// members, units, venues, scheduled events, holds and busy blocks of kOrgA — and civil times in
// the organization's zone (Asia/Shanghai).
#ifndef FIELDWORK_TESTS_SERVICES_SCHEDULING_CALENDAR_FIXTURE_H_
#define FIELDWORK_TESTS_SERVICES_SCHEDULING_CALENDAR_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {

class CalendarFixture : public SchedulingFixture {
 protected:
  void SetUp() override;

  // 2030-01-07 (a Monday) at hh:mm in Asia/Shanghai, plus `days`.
  static absl::Time Monday(int hh, int mm = 0, int days = 0);
  static fieldwork::common::v1::TimeRange Range(absl::Time start, absl::Time end);

  // Resource names of kOrgA.
  static std::string MemberName(absl::string_view id);
  static std::string UnitName(absl::string_view id);
  static std::string VenueName(absl::string_view id);

  // Each creates the resource in kOrgA as staff (or fails the test) and returns its name.
  std::string CreateMember(absl::string_view id, const std::vector<std::string>& units = {},
                           bool active = true);
  std::string CreateUnit(absl::string_view id);
  std::string CreateVenue(absl::string_view id, bool exclusive, int capacity = 0);
  // A SCHEDULED event with `required` members (REQUIRED) at `venue` ("" none).
  v1::Event CreateEvent(absl::string_view title, absl::Time start, absl::Time end,
                        const std::vector<std::string>& required, absl::string_view venue = "");
  // An ACTIVE hold of `members` with the given TTL.
  v1::Hold CreateHold(absl::Time start, absl::Time end, const std::vector<std::string>& members,
                      absl::Duration ttl = absl::Minutes(10));
  v1::BusyBlock CreateBusyBlock(absl::string_view member, absl::Time start, absl::Time end);
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SERVICES_SCHEDULING_CALENDAR_FIXTURE_H_
