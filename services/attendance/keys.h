// Every Redis key the attendance service uses, in one place. All keys of an organization carry the
// hash tag {org} (the same `fw:{org}:` prefix as scheduling, under `att:`), so one operation's keys
// sit in one Redis Cluster slot. Only the attendance store includes this file.
#ifndef FIELDWORK_SERVICES_ATTENDANCE_KEYS_H_
#define FIELDWORK_SERVICES_ATTENDANCE_KEYS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace fieldwork::attendance::keys {

inline std::string Prefix(absl::string_view org) { return absl::StrCat("fw:{", org, "}:att:"); }

// One member's AttendanceRecord at one event (serialized), written only once something was
// recorded; reads synthesize the empty record of a participant without one. One key per record
// keeps concurrent check-ins of different members from contending.
inline std::string Record(absl::string_view org, absl::string_view event,
                          absl::string_view member) {
  return absl::StrCat(Prefix(org), "record:", event, ":", member);
}

// The finalization of one event: an AttendanceRecord carrying only event, finalized,
// finalize_time and finalized_by. Present ⇔ the event is finalized; every record write is
// conditioned on it.
inline std::string Finalization(absl::string_view org, absl::string_view event) {
  return absl::StrCat(Prefix(org), "finalized:", event);
}

// The organization's check-in code secret: 32 random bytes, created on first use (SET NX), shared
// by every replica.
inline std::string CodeSecret(absl::string_view org) { return Prefix(org) + "code_secret"; }

}  // namespace fieldwork::attendance::keys

#endif  // FIELDWORK_SERVICES_ATTENDANCE_KEYS_H_
