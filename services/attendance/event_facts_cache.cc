// The per-replica cache of event facts (see event_facts_cache.h).
#include "services/attendance/event_facts_cache.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"

namespace fieldwork::attendance {

absl::Duration EventFactsCache::RefreshAge(absl::string_view event_name) const {
  // Events read together (a replica starting under a storm, a sign-in desk opening several)
  // would otherwise all be due at once, every half TTL: a burst of reads of scheduling.
  constexpr uint64_t kSpread = 1000;
  const uint64_t share = absl::Hash<absl::string_view>()(event_name) % kSpread;
  return ttl_ / 2 + ttl_ / 4 * static_cast<double>(share) / kSpread;
}

std::shared_ptr<const EventFacts> EventFactsCache::Get(absl::string_view event_name,
                                                       absl::Time now) {
  if (!enabled()) return nullptr;
  absl::MutexLock lock(&mu_);
  const Entry* fresh = FreshLocked(event_name, now);
  return fresh == nullptr ? nullptr : fresh->facts;
}

std::shared_ptr<const EventFacts> EventFactsCache::Peek(absl::string_view event_name,
                                                        absl::Time now, bool* refresh) {
  *refresh = false;
  if (!enabled()) return nullptr;
  absl::MutexLock lock(&mu_);
  const Entry* fresh = FreshLocked(event_name, now);
  if (fresh == nullptr) return nullptr;
  if (!flights_.contains(event_name) && now - fresh->fetched >= RefreshAge(event_name)) {
    flights_.emplace(std::string(event_name), std::make_shared<Flight>());
    *refresh = true;
  }
  return fresh->facts;
}

void EventFactsCache::Await(absl::string_view event_name, Ready ready, bool* fetch) {
  absl::MutexLock lock(&mu_);
  auto flight = flights_.find(event_name);
  *fetch = flight == flights_.end();
  if (*fetch) {
    flight = flights_.emplace(std::string(event_name), std::make_shared<Flight>()).first;
  }
  flight->second->ready.push_back(std::move(ready));
}

void EventFactsCache::FinishRefresh(
    absl::string_view event_name, const absl::StatusOr<std::shared_ptr<const EventFacts>>& fetched,
    absl::Time started) {
  std::vector<Ready> ready;
  std::shared_ptr<const EventFacts> facts = fetched.ok() ? *fetched : nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (facts != nullptr) PutLocked(facts, started);
    auto flight = flights_.find(event_name);
    if (flight != flights_.end()) {
      flight->second->facts = facts;
      flight->second->done = true;
      ready = std::move(flight->second->ready);
      flights_.erase(flight);
    }
  }
  for (Ready& waiter : ready) std::move(waiter)(facts);
}

void EventFactsCache::Put(std::shared_ptr<const EventFacts> facts, absl::Time now) {
  if (!enabled()) return;
  absl::MutexLock lock(&mu_);
  PutLocked(std::move(facts), now);
}

const EventFactsCache::Entry* EventFactsCache::FreshLocked(absl::string_view event_name,
                                                           absl::Time now) const {
  auto found = entries_.find(event_name);
  if (found == entries_.end() || now - found->second.fetched >= ttl_) return nullptr;
  return &found->second;
}

void EventFactsCache::PutLocked(std::shared_ptr<const EventFacts> facts, absl::Time fetched) {
  if (entries_.size() >= max_entries_) entries_.clear();
  std::string name = facts->event_name;
  entries_.insert_or_assign(std::move(name), Entry{fetched, std::move(facts)});
}

absl::StatusOr<std::shared_ptr<const EventFacts>> EventFactsCache::GetOrFetch(
    absl::string_view event_name, const std::function<absl::Time()>& now, absl::Time deadline,
    const Fetch& fetch) {
  if (!enabled()) return fetch();
  std::shared_ptr<Flight> flight;
  std::shared_ptr<const EventFacts> current;  // fresh, being refreshed ahead by this caller
  {
    absl::MutexLock lock(&mu_);
    const absl::Time at = now();
    const bool in_flight = flights_.contains(event_name);
    if (const Entry* fresh = FreshLocked(event_name, at)) {
      // Once due (RefreshAge), one caller reads the event again while the others keep using it,
      // so a busy event never makes every call in flight wait for scheduling at once.
      if (in_flight || at - fresh->fetched < RefreshAge(event_name)) return fresh->facts;
      current = fresh->facts;
    } else if (in_flight) {
      // Someone is reading this event: wait for its answer; without one, read it alone.
      std::shared_ptr<Flight> other = flights_.find(event_name)->second;
      ++other->waiting;
      const bool finished = mu_.AwaitWithDeadline(absl::Condition(&other->done), deadline);
      --other->waiting;
      if (finished && other->facts != nullptr) return other->facts;
    }
    if (!in_flight) {
      flight = std::make_shared<Flight>();
      flights_.emplace(std::string(event_name), flight);
    }
  }
  const absl::Time started = now();
  absl::StatusOr<std::shared_ptr<const EventFacts>> fetched = fetch();
  if (flight != nullptr) {
    FinishRefresh(event_name, fetched, started);  // this caller's flight: done, its waiters told
  } else if (fetched.ok()) {
    absl::MutexLock lock(&mu_);
    PutLocked(*fetched, started);
  }
  // A refresh ahead that failed leaves the entry it would have replaced, still within its TTL.
  if (!fetched.ok() && current != nullptr) return current;
  return fetched;
}

int EventFactsCache::WaitingFor(absl::string_view event_name) const {
  absl::MutexLock lock(&mu_);
  auto found = flights_.find(event_name);
  return found == flights_.end() ? 0 : found->second->waiting;
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
