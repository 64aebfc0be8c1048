// The rules of holds that need no I/O: field checks of CreateHold, the TTL, and the event a hold
// turns into when ConfirmHold leaves fields empty.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HOLD_RULES_H_
#define FIELDWORK_SERVICES_SCHEDULING_HOLD_RULES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/event.pb.h"
#include "fieldwork/scheduling/v1/hold.pb.h"
#include "services/scheduling/event_rules.h"

namespace fieldwork::scheduling {

inline constexpr absl::Duration kDefaultHoldTtl = absl::Minutes(10);
inline constexpr absl::Duration kMinHoldTtl = absl::Minutes(1);
inline constexpr absl::Duration kMaxHoldTtl = absl::Minutes(30);

// Checks the input fields of `hold` (paths under "hold") for `organization`: members, units,
// venue, time_range, ttl, note. Returns the references for the roster lookups; `ttl` gets the TTL
// to use.
std::vector<Reference> CheckHoldFields(const v1::Hold& hold, absl::string_view organization,
                                       absl::Duration& ttl, FieldErrors& errors);

// `event` with what ConfirmHold takes from `hold` when left empty: its time range, its venue (when
// neither venue nor itinerary is set), its resolved members as REQUIRED participants (when neither
// participants nor invited units are set). Booked as SCHEDULED.
v1::Event EventFromHold(const v1::Hold& hold, v1::Event event);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HOLD_RULES_H_
