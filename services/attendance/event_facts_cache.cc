// The per-replica cache of event facts (see event_facts_cache.h).
#include "services/attendance/event_facts_cache.h"

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"

namespace fieldwork::attendance {

std::optional<EventFacts> EventFactsCache::Get(absl::string_view event_name, absl::Time now) {
  if (!enabled()) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto found = entries_.find(event_name);
  if (found == entries_.end() || now - found->second.fetched >= ttl_) return std::nullopt;
  return found->second.facts;
}

void EventFactsCache::Put(const EventFacts& facts, absl::Time now) {
  if (!enabled()) return;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.insert_or_assign(facts.event_name, Entry{now, facts});
}

absl::Status MemberView(const Principal& caller, const EventFacts& facts) {
  if (caller.role != Role::kMember) return absl::OkStatus();
  absl::StatusOr<ChildName> member = ParseMemberName(caller.subject);
  const bool takes_part =
      member.ok() && member->organization == facts.organization && facts.roles.contains(member->id);
  if (takes_part && facts.state != fieldwork::scheduling::v1::EVENT_STATE_DRAFT) {
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("event ", facts.event_name, " not found"));
}

}  // namespace fieldwork::attendance
