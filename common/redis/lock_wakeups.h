// Wake-ups for calendar lock waiters of this process: a waiter sleeping between two tries at busy
// keys is woken when this process releases one of them, instead of sleeping out its backoff. Only
// a hint: the lock script still decides who gets the keys, and waiters on other replicas (or
// waiting for keys another replica holds) find out at their next try as before.
//
// Each key has a queue of the waiters that found it busy, in arrival order; a release wakes the
// first waiter of each released key's queue, so waiters of one process take turns rather than
// race each other.
#ifndef FIELDWORK_COMMON_REDIS_LOCK_WAKEUPS_H_
#define FIELDWORK_COMMON_REDIS_LOCK_WAKEUPS_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fieldwork {

class LockWakeups {
 public:
  // One waiter's place in the queues of its keys, from its first busy try to its last try.
  class Waiter {
   public:
    Waiter(LockWakeups& wakeups, std::vector<std::string> keys);
    ~Waiter();
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    // Sleeps until a key of this waiter is released here while this waiter is first in that
    // key's queue (since its last Sleep), or until `until`. True when woken by a release.
    bool Sleep(absl::Time until);

   private:
    friend class LockWakeups;
    LockWakeups& wakeups_;
    const std::vector<std::string> keys_;
    bool woken_ = false;  // guarded by wakeups_.mu_
  };

  // Called after this process released `keys`.
  void Released(const std::vector<std::string>& keys);

  // Waiters queued for `key` (for tests).
  int WaitingFor(const std::string& key) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::deque<Waiter*>> queues_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_LOCK_WAKEUPS_H_
