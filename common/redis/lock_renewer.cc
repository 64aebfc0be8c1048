// Renewal of held calendar locks by one background thread.
#include "common/redis/lock_renewer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/redis/redis_status.h"
#include "common/redis/script.h"
#include "spdlog/spdlog.h"

namespace fieldwork {
namespace {

// Extends every key or none: a key that no longer holds the token means the set is lost.
const Script& RenewScript() {
  static const Script* const script = new Script("lock_renew", R"lua(#!lua
-- KEYS: lock keys. ARGV: token, ttl in milliseconds.
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[1] then
    return redis.error_reply('FW_LOCK_LOST ' .. KEYS[i])
  end
end
for i = 1, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return #KEYS
)lua");
  return *script;
}

}  // namespace

HeldLocks::HeldLocks(std::vector<std::string> keys, std::string token, absl::Time confirmed_at)
    : keys_(std::move(keys)), token_(std::move(token)), confirmed_at_(confirmed_at) {}

absl::Status HeldLocks::lost_status() const {
  absl::MutexLock lock(&mu_);
  return lost_;
}

bool HeldLocks::released() const {
  absl::MutexLock lock(&mu_);
  return released_;
}

absl::Time HeldLocks::confirmed_at() const {
  absl::MutexLock lock(&mu_);
  return confirmed_at_;
}

int64_t HeldLocks::renewals() const {
  absl::MutexLock lock(&mu_);
  return renewals_;
}

void HeldLocks::ConfirmRenewed(absl::Time started) {
  absl::MutexLock lock(&mu_);
  confirmed_at_ = std::max(confirmed_at_, started);
  ++renewals_;
}

void HeldLocks::MarkLost(absl::Status cause, absl::string_view reason) {
  {
    absl::MutexLock lock(&mu_);
    if (released_ || !lost_.ok()) return;
    lost_ = cause;
  }
  Metrics::Global().Increment("fieldwork_lock_lost_total",
                              "Calendar lock sets lost while held, by how the loss was noticed.",
                              {{"reason", std::string(reason)}});
  spdlog::warn("calendar locks lost ({}): {}", std::string(reason), cause.ToString());
}

void HeldLocks::MarkReleased() {
  absl::MutexLock lock(&mu_);
  released_ = true;
}

LockRenewer::LockRenewer(RedisClient* client, absl::Duration ttl)
    : client_(client), ttl_(ttl), interval_(ttl / 3), thread_([this] { Run(); }) {}

LockRenewer::~LockRenewer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void LockRenewer::Add(std::shared_ptr<HeldLocks> locks) {
  absl::MutexLock lock(&mu_);
  const absl::Time next_renewal = locks->confirmed_at() + interval_;
  const HeldLocks* const id = locks.get();
  entries_[id] = Entry{std::move(locks), next_renewal};
  if (next_renewal < sleeping_until_) changed_ = true;
}

void LockRenewer::Remove(const HeldLocks* locks) {
  // A removed entry at most wakes the thread early for nothing; no need to wake it now.
  absl::MutexLock lock(&mu_);
  entries_.erase(locks);
}

void LockRenewer::Run() {
  mu_.Lock();
  while (!stopping_) {
    const absl::Time now = absl::Now();
    absl::Time wake = absl::InfiniteFuture();
    std::vector<std::shared_ptr<HeldLocks>> due;
    for (const auto& [id, entry] : entries_) {
      if (entry.next_renewal <= now) {
        due.push_back(entry.locks);
      } else {
        wake = std::min(wake, entry.next_renewal);
      }
    }
    if (due.empty()) {
      changed_ = false;
      const auto woken = [this]()
                             ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || changed_; };
      sleeping_until_ = wake;
      mu_.AwaitWithDeadline(absl::Condition(&woken), wake);
      sleeping_until_ = absl::InfinitePast();
      continue;
    }
    mu_.Unlock();
    std::vector<std::optional<absl::Time>> next(due.size());
    for (size_t i = 0; i < due.size(); ++i) next[i] = RenewOnce(*due[i]);
    mu_.Lock();
    for (size_t i = 0; i < due.size(); ++i) {
      const auto it = entries_.find(due[i].get());
      if (it == entries_.end()) continue;
      if (next[i]) {
        it->second.next_renewal = *next[i];
      } else {
        entries_.erase(it);
      }
    }
  }
  mu_.Unlock();
}

std::optional<absl::Time> LockRenewer::RenewOnce(HeldLocks& locks) {
  if (locks.released() || !locks.lost_status().ok()) return std::nullopt;
  const absl::Time started = absl::Now();
  absl::StatusOr<RedisReply> renewed = client_->Eval(
      RenewScript(), locks.keys(), {locks.token(), absl::StrCat(absl::ToInt64Milliseconds(ttl_))},
      started + interval_);
  if (renewed.ok()) {
    locks.ConfirmRenewed(started);
    return started + interval_;
  }
  if (IsLockLost(renewed.status())) {
    locks.MarkLost(renewed.status(), "expired");
    return std::nullopt;
  }
  // Redis did not answer: the keys may still be ours, so try again soon, and give up only once
  // they would have expired since the last renewal that is known to have worked.
  if (absl::Now() - locks.confirmed_at() >= ttl_) {
    locks.MarkLost(RedisConflictError(RedisConflict::kLockLost, locks.keys().front(),
                                      absl::StrCat("not renewed within the lock TTL: ",
                                                   renewed.status().message())),
                   "renewal_failed");
    return std::nullopt;
  }
  spdlog::warn("calendar lock renewal failed, retrying: {}", renewed.status().ToString());
  return absl::Now() + interval_ / 4;
}

}  // namespace fieldwork
