// Organizations in Redis: the record (serialized Organization with its effective settings and
// etag) under fw:{org}:org, and the global id index that ListOrganizations pages through. The
// only code that builds Redis commands for organizations; GetOrganization is what the other
// scheduling areas call for the time zone, travel buffer and working hours.
#ifndef FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_STORE_H_
#define FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/request_record.h"
#include "common/redis/redis_client.h"
#include "fieldwork/scheduling/v1/change.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"

namespace fieldwork::scheduling {

class OrganizationStore {
 public:
  // An organization as read, with the exact bytes stored (what an update expects unchanged).
  struct Snapshot {
    ::fieldwork::scheduling::v1::Organization organization;
    std::string stored;
  };

  struct Page {
    std::vector<::fieldwork::scheduling::v1::Organization> organizations;
    bool more = false;  // organizations follow the last one of this page
    int total = 0;      // organizations in the index
  };

  explicit OrganizationStore(RedisClient* redis) : redis_(redis) {}

  // The organization with its effective settings (every default filled in); NOT_FOUND when it
  // does not exist.
  absl::StatusOr<::fieldwork::scheduling::v1::Organization> GetOrganization(
      absl::string_view organization, absl::Time deadline) const;
  absl::StatusOr<Snapshot> Read(absl::string_view organization, absl::Time deadline) const;
  // Read, as one command of a pipeline the caller shares with other reads: send ReadCommand,
  // then give its reply to ParseRead.
  static RedisCommand ReadCommand(absl::string_view organization);
  static absl::StatusOr<Snapshot> ParseRead(absl::string_view organization,
                                            const RedisReply& reply);
  // OK when the organization exists, NOT_FOUND when it does not.
  absl::Status CheckExists(absl::string_view organization, absl::Time deadline) const;

  // Stores the new `organization` (complete: name, settings, etag, times) with `record`'s answer
  // (`organization` itself). ALREADY_EXISTS (ERROR_REASON_ALREADY_EXISTS) when the id is taken.
  absl::Status Create(absl::string_view organization_id,
                      const ::fieldwork::scheduling::v1::Organization& organization,
                      const RequestRecord& record, absl::Time deadline) const;

  // Replaces `before` by `after` and appends `change` to the feed, with `record`'s answer
  // (`after`), in one atomic write. ABORTED (IsPreconditionFailed) when the record changed since
  // `before` was read.
  absl::Status Update(absl::string_view organization_id, const Snapshot& before,
                      const ::fieldwork::scheduling::v1::Organization& after,
                      const ::fieldwork::scheduling::v1::Change& change,
                      const RequestRecord& record, absl::Time deadline) const;

  // Up to `page_size` organizations with ids after `after_id` ("" for the first page), by id.
  absl::StatusOr<Page> List(absl::string_view after_id, int page_size, absl::Time deadline) const;

  // True when `status` is an Update that lost to a concurrent change of the organization.
  static bool ChangedMeanwhile(const absl::Status& status, absl::string_view organization_id);

 private:
  RedisClient* const redis_;
};

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_ORGANIZATION_STORE_H_
