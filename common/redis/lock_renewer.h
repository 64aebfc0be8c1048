// Keeping calendar locks alive while their holder works: the shared state of one held lock set,
// and one background thread per CalendarLocks that extends every held set at a third of the TTL
// and marks a set lost when Redis says it is gone or when no renewal succeeded for a whole TTL.
#ifndef FIELDWORK_COMMON_REDIS_LOCK_RENEWER_H_
#define FIELDWORK_COMMON_REDIS_LOCK_RENEWER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace fieldwork {

// One acquired set of lock keys and what is known about it. Thread-safe.
class HeldLocks {
 public:
  // `confirmed_at`: when the acquiring call started, so the keys live at least until then + TTL.
  HeldLocks(std::vector<std::string> keys, std::string token, absl::Time confirmed_at);

  const std::vector<std::string>& keys() const { return keys_; }
  const std::string& token() const { return token_; }

  // OK while the locks are believed held; the lock-lost status once they are not.
  absl::Status lost_status() const;
  bool released() const;
  absl::Time confirmed_at() const;
  int64_t renewals() const;

  // A renewal that started at `started` extended every key.
  void ConfirmRenewed(absl::Time started);
  // Records that the locks are gone (first cause wins); ignored once released. `reason` labels
  // the fieldwork_lock_lost_total metric.
  void MarkLost(absl::Status cause, absl::string_view reason);
  // The holder gave the locks back; later losses are no news.
  void MarkReleased();

 private:
  const std::vector<std::string> keys_;
  const std::string token_;
  mutable absl::Mutex mu_;
  absl::Status lost_ ABSL_GUARDED_BY(mu_);
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time confirmed_at_ ABSL_GUARDED_BY(mu_);
  int64_t renewals_ ABSL_GUARDED_BY(mu_) = 0;
};

class LockRenewer {
 public:
  // Renews every `ttl` / 3 with compare-and-pexpire. `client` must outlive the renewer.
  LockRenewer(RedisClient* client, absl::Duration ttl);
  LockRenewer(const LockRenewer&) = delete;
  LockRenewer& operator=(const LockRenewer&) = delete;
  // Stops and joins the thread.
  ~LockRenewer();

  void Add(std::shared_ptr<HeldLocks> locks);
  void Remove(const HeldLocks* locks);

 private:
  struct Entry {
    std::shared_ptr<HeldLocks> locks;
    absl::Time next_renewal;
  };

  void Run();
  // Renews `locks` once; returns when to renew next, or nothing once they are lost or released.
  std::optional<absl::Time> RenewOnce(HeldLocks& locks);

  RedisClient* const client_;
  const absl::Duration ttl_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool changed_ ABSL_GUARDED_BY(mu_) = false;
  // When the sleeping thread wakes up on its own; InfinitePast while it is not sleeping. Add wakes
  // it only for an entry due earlier, so a booking's Add and Remove cost no thread wake-up.
  absl::Time sleeping_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::flat_hash_map<const HeldLocks*, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_LOCK_RENEWER_H_
