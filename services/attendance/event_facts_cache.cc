// The per-replica cache of event facts (see event_facts_cache.h).
#include "services/attendance/event_facts_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"

namespace fieldwork::attendance {

std::shared_ptr<const EventFacts> EventFactsCache::Get(absl::string_view event_name,
                                                       absl::Time now) {
  if (!enabled()) return nullptr;
  absl::MutexLock lock(&mu_);
  auto found = entries_.find(event_name);
  if (found == entries_.end() || now - found->second.fetched >= ttl_) return nullptr;
  return found->second.facts;
}

void EventFactsCache::Put(std::shared_ptr<const EventFacts> facts, absl::Time now) {
  if (!enabled()) return;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  std::string name = facts->event_name;
  entries_.insert_or_assign(std::move(name), Entry{now, std::move(facts)});
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
