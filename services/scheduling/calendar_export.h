// ExportCalendar without I/O: which events go into an export, and how an event becomes an
// iCalendar VEVENT (stable UID, status, sequence, location and programme) and the export its file
// name.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CALENDAR_EXPORT_H_
#define FIELDWORK_SERVICES_SCHEDULING_CALENDAR_EXPORT_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"
#include "services/scheduling/ical.h"

namespace fieldwork::scheduling {

inline constexpr absl::Duration kExportDefaultPast = absl::Hours(24 * 30);
inline constexpr absl::Duration kExportDefaultAhead = absl::Hours(24 * 365);
inline constexpr absl::Duration kExportLongestRange = absl::Hours(24 * 400);

// Scheduled, completed and cancelled events are exported; drafts are not.
bool Exported(const v1::Event& event);

// The VEVENT of `event` of `organization`: UID "<event id>@<organization>.fieldwork", SUMMARY the
// title, DESCRIPTION the description, the itinerary and a cancellation's reason, LOCATION the
// venue (or the itinerary's venues) by display name from `venues` (keyed by venue name),
// CATEGORIES the topics, SEQUENCE the event's, DTSTAMP its last change.
IcalEvent ToIcalEvent(absl::string_view organization, const v1::Event& event,
                      const absl::flat_hash_map<std::string, v1::Venue>& venues,
                      const absl::TimeZone& zone);

// "<organization>[-<member id>]-<year>[-<last year>].ics" for a range of civil years in `zone`.
std::string ExportFileName(absl::string_view organization, absl::string_view member_id,
                           const Interval& range, const absl::TimeZone& zone);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CALENDAR_EXPORT_H_
