// Which changes a watcher asked for (see change_filter.h).
#include "services/scheduling/change_filter.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/scheduling/event_rules.h"

namespace fieldwork::scheduling {
namespace {

bool IsHeld(const v1::Hold& hold, const std::string& member) {
  return std::count(hold.members().begin(), hold.members().end(), member) > 0 ||
         std::count(hold.resolved_members().begin(), hold.resolved_members().end(), member) > 0;
}

bool Concerns(const v1::Change& change, const std::string& member) {
  switch (change.snapshot_case()) {
    case v1::Change::kEvent:
      return TakesPart(change.event(), member);
    case v1::Change::kHold:
      return IsHeld(change.hold(), member);
    case v1::Change::kBusyBlock:
      return absl::StartsWith(change.resource(), absl::StrCat(member, "/busyBlocks/"));
    case v1::Change::kMember:
      return change.resource() == member;
    default:
      return false;
  }
}

}  // namespace

bool Matches(const v1::Change& change, const ChangeFilter& filter) {
  if (!filter.types.empty() && !filter.types.contains(change.change_type())) return false;
  if (filter.hide_drafts && change.has_event() && change.event().state() == v1::EVENT_STATE_DRAFT) {
    return false;
  }
  return filter.member.empty() || Concerns(change, filter.member);
}

}  // namespace fieldwork::scheduling
