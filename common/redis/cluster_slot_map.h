// Redis Cluster routing data, free of I/O: the slot → master map parsed from a CLUSTER SLOTS reply,
// and the MOVED / ASK redirections parsed from error replies.
#ifndef FIELDWORK_COMMON_REDIS_CLUSTER_SLOT_MAP_H_
#define FIELDWORK_COMMON_REDIS_CLUSTER_SLOT_MAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_reply.h"

namespace fieldwork {

// A node's address as the cluster announces it, "host:port".
struct ClusterNodeAddress {
  std::string host;
  int port = 0;

  std::string ToString() const;
  friend bool operator==(const ClusterNodeAddress& a, const ClusterNodeAddress& b) {
    return a.host == b.host && a.port == b.port;
  }
};

class ClusterSlotMap {
 public:
  // Parses a CLUSTER SLOTS reply: [[start, end, [host, port, id, …], replicas…], …]. A master
  // announced with an empty or "?" host is reached at `asked_host` (the node that answered).
  // INTERNAL when the reply is not of that shape.
  static absl::StatusOr<ClusterSlotMap> FromClusterSlots(const RedisReply& reply,
                                                         absl::string_view asked_host);

  // The master serving `slot`; nullopt when no master covers it (the cluster is incomplete).
  std::optional<ClusterNodeAddress> MasterOf(int slot) const;
  // Every master, each once, in the order the reply named them.
  const std::vector<ClusterNodeAddress>& masters() const { return masters_; }
  // True when every slot has a master.
  bool covers_all_slots() const;

 private:
  std::vector<ClusterNodeAddress> masters_;
  std::vector<int> master_of_slot_;  // index into masters_, or -1
};

// A MOVED or ASK error reply: "MOVED 3999 127.0.0.1:6381".
struct ClusterRedirect {
  enum class Kind { kMoved, kAsk };
  Kind kind = Kind::kMoved;
  int slot = 0;
  ClusterNodeAddress target;
};

// The redirection an error reply names; nullopt for any other error or a malformed one.
std::optional<ClusterRedirect> ParseClusterRedirect(absl::string_view error);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_CLUSTER_SLOT_MAP_H_
