// The audit streams, and the only code that knows their keys: one Redis Stream per organization
// per service, `fw:{org}:audit:<service>` (inside the organization's hash tag, so one batch stays
// in one Cluster slot), each entry one field "e" holding a serialized AuditEntry, trimmed with
// XADD MAXLEN ~ to about `max_entries`.
#ifndef FIELDWORK_COMMON_AUDIT_AUDIT_STORE_H_
#define FIELDWORK_COMMON_AUDIT_AUDIT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/interval.h"
#include "common/audit/audit_entry.h"
#include "common/redis/redis_client.h"
#include "fieldwork/common/v1/audit.pb.h"

namespace fieldwork {

// An entry as read back, named after its stream id.
struct StoredAuditEntry {
  std::string id;  // the stream id, e.g. "1767225600000-0"
  fieldwork::common::v1::AuditEntry entry;
};

class AuditStore {
 public:
  // Entries are stamped by the writing service's clock and their stream ids by Redis's, a moment
  // later (the recorder's batching); reads widen a time window by this much on the id side.
  static constexpr absl::Duration kIdClockSlack = absl::Minutes(1);

  // `service` names the stream ("scheduling"); `redis` outlives the store.
  AuditStore(RedisClient* redis, std::string service, int max_entries)
      : redis_(redis), service_(std::move(service)), max_entries_(max_entries) {}

  const std::string& service() const { return service_; }

  // `organization`'s stream key.
  std::string Key(absl::string_view organization) const;

  // Appends `entries` (all of `organization`) in one pipelined round trip. An entry that may not
  // create its stream is dropped by Redis when the stream does not exist yet.
  absl::Status Append(absl::string_view organization, const std::vector<PendingAuditEntry>& entries,
                      absl::Time deadline) const;

  // At most `count` entries of `organization`, newest first: those older than the entry `before_id`
  // ("" for the newest), and whose stream ids could lie in `window` (see kIdClockSlack).
  absl::StatusOr<std::vector<StoredAuditEntry>> ReadNewestFirst(absl::string_view organization,
                                                                absl::string_view before_id,
                                                                const Interval& window, int count,
                                                                absl::Time deadline) const;

  // True for a stream id "<ms>-<seq>".
  static bool IsStreamId(absl::string_view id);

 private:
  RedisClient* const redis_;
  const std::string service_;
  const int max_entries_;
};

// The AuditEntry resource name of stream entry `id` written by `service`:
// "organizations/{organization}/auditEntries/{service}-{id}".
std::string AuditEntryName(absl::string_view organization, absl::string_view service,
                           absl::string_view id);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_AUDIT_AUDIT_STORE_H_
