// The calendar rules of an organization (time zone, working hours, holidays, 调休) as the pure
// domain logic wants them, converted from its stored settings. Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_RULES_H_
#define FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_RULES_H_

#include "fieldwork/scheduling/v1/organization.pb.h"
#include "services/scheduling/calendar_rules.h"

namespace fieldwork::scheduling {

// The rules of `organization` as stored (effective settings; see OrganizationStore). A zone the
// server cannot load (validated on write, so only after a tz database change) falls back to
// Asia/Shanghai. CalendarRules keeps one schedule for every make-up working day (that of the first
// weekday with working periods), so the per-date periods of a MAKE_UP_WORKDAY are not carried.
CalendarRules CalendarRulesOf(const ::fieldwork::scheduling::v1::Organization& organization);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_RULES_H_
