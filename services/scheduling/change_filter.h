// Which changes a watcher asked for (WatchChangesRequest.change_types and member). Pure: no I/O.
#ifndef FIELDWORK_SERVICES_SCHEDULING_CHANGE_FILTER_H_
#define FIELDWORK_SERVICES_SCHEDULING_CHANGE_FILTER_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "fieldwork/scheduling/v1/change.pb.h"

namespace fieldwork::scheduling {

struct ChangeFilter {
  absl::flat_hash_set<int> types;  // ChangeType values; empty: every type
  std::string member;              // member name; "": changes of every resource
  bool hide_drafts = false;        // members never see draft events
};

// Whether `change` passes `filter`. With a member, only changes of events and holds it takes part
// in (as the snapshot after the change shows) and of its own member record and busy blocks pass.
bool Matches(const v1::Change& change, const ChangeFilter& filter);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_CHANGE_FILTER_H_
