// Parsing CLUSTER SLOTS replies and MOVED / ASK redirections.
#include "common/redis/cluster_slot_map.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/hash_tag.h"

namespace fieldwork {
namespace {

absl::Status BadSlots(const RedisReply& reply, absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("unexpected CLUSTER SLOTS reply (", what, "): ", reply.DebugString()));
}

std::optional<ClusterNodeAddress> ParseHostPort(absl::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return std::nullopt;
  ClusterNodeAddress address;
  // A cluster bus port may follow as "host:port@busport".
  absl::string_view port = text.substr(colon + 1);
  port = port.substr(0, port.find('@'));
  if (!absl::SimpleAtoi(port, &address.port) || address.port < 1 || address.port > 65535) {
    return std::nullopt;
  }
  address.host = std::string(text.substr(0, colon));
  return address;
}

}  // namespace

std::string ClusterNodeAddress::ToString() const { return absl::StrCat(host, ":", port); }

absl::StatusOr<ClusterSlotMap> ClusterSlotMap::FromClusterSlots(const RedisReply& reply,
                                                                absl::string_view asked_host) {
  if (reply.type() != RedisReply::Type::kArray) return BadSlots(reply, "not an array");
  ClusterSlotMap map;
  map.master_of_slot_.assign(kClusterSlots, -1);
  for (const RedisReply& range : reply.elements()) {
    const std::vector<RedisReply>& fields = range.elements();
    if (fields.size() < 3 || fields[0].type() != RedisReply::Type::kInteger ||
        fields[1].type() != RedisReply::Type::kInteger ||
        fields[2].type() != RedisReply::Type::kArray || fields[2].elements().size() < 2 ||
        fields[2].elements()[1].type() != RedisReply::Type::kInteger) {
      return BadSlots(reply, "a range is not [start, end, [host, port, …], …]");
    }
    const int64_t start = fields[0].integer();
    const int64_t end = fields[1].integer();
    if (start < 0 || end >= kClusterSlots || start > end) {
      return BadSlots(reply, absl::StrCat("slot range ", start, "-", end));
    }
    ClusterNodeAddress master;
    master.host = fields[2].elements()[0].str();
    if (master.host.empty() || master.host == "?") master.host = std::string(asked_host);
    master.port = static_cast<int>(fields[2].elements()[1].integer());
    int index = -1;
    for (size_t i = 0; i < map.masters_.size(); ++i) {
      if (map.masters_[i] == master) index = static_cast<int>(i);
    }
    if (index < 0) {
      index = static_cast<int>(map.masters_.size());
      map.masters_.push_back(std::move(master));
    }
    for (int64_t slot = start; slot <= end; ++slot) map.master_of_slot_[slot] = index;
  }
  return map;
}

std::optional<ClusterNodeAddress> ClusterSlotMap::MasterOf(int slot) const {
  if (slot < 0 || slot >= static_cast<int>(master_of_slot_.size()) || master_of_slot_[slot] < 0) {
    return std::nullopt;
  }
  return masters_[master_of_slot_[slot]];
}

bool ClusterSlotMap::covers_all_slots() const {
  if (master_of_slot_.size() != kClusterSlots) return false;
  for (int index : master_of_slot_) {
    if (index < 0) return false;
  }
  return true;
}

std::optional<ClusterRedirect> ParseClusterRedirect(absl::string_view error) {
  const std::vector<absl::string_view> words = absl::StrSplit(error, ' ');
  if (words.size() != 3) return std::nullopt;
  ClusterRedirect redirect;
  if (words[0] == "MOVED") {
    redirect.kind = ClusterRedirect::Kind::kMoved;
  } else if (words[0] == "ASK") {
    redirect.kind = ClusterRedirect::Kind::kAsk;
  } else {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(words[1], &redirect.slot) || redirect.slot < 0 ||
      redirect.slot >= kClusterSlots) {
    return std::nullopt;
  }
  std::optional<ClusterNodeAddress> target = ParseHostPort(words[2]);
  if (!target) return std::nullopt;
  redirect.target = *std::move(target);
  return redirect;
}

}  // namespace fieldwork
