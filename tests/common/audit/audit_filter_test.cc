// The ListAuditEntries filters (common/audit/audit_filter.h): checks and matching, without I/O.
#include "common/audit/audit_filter.h"

#include <gtest/gtest.h>

#include "common/api/field_checks.h"
#include "common/errors.h"

namespace fieldwork {
namespace {

namespace cv1 = ::fieldwork::common::v1;

constexpr char kCancel[] = "/fieldwork.scheduling.v1.SchedulingService/CancelEvent";

cv1::AuditEntry Entry(int64_t seconds) {
  cv1::AuditEntry entry;
  *entry.mutable_time() = ToTimestamp(absl::FromUnixSeconds(seconds));
  entry.set_method(kCancel);
  entry.mutable_caller()->set_subject("attendance");
  entry.mutable_original_caller()->set_subject("staff-li");
  entry.set_resource("organizations/o1/events/e1");
  return entry;
}

AuditQuery QueryOf(const cv1::ListAuditEntriesRequest& request) {
  absl::StatusOr<AuditQuery> query = ParseAuditQuery(request);
  EXPECT_TRUE(query.ok()) << query.status();
  return query.value_or(AuditQuery{});
}

std::vector<std::string> BadFields(const cv1::ListAuditEntriesRequest& request) {
  const absl::StatusOr<AuditQuery> query = ParseAuditQuery(request);
  std::vector<std::string> fields;
  if (query.ok()) return fields;
  EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  const auto violations = GetFieldViolations(query.status());
  if (!violations.has_value()) return fields;
  for (const auto& violation : violations->violations()) fields.push_back(violation.field());
  return fields;
}

TEST(AuditQueryTest, PageSizeDefaultsAndBounds) {
  cv1::ListAuditEntriesRequest request;
  request.set_parent("organizations/o1");
  EXPECT_EQ(QueryOf(request).page_size, 100);
  EXPECT_EQ(QueryOf(request).organization, "o1");
  request.set_page_size(1000);
  EXPECT_EQ(QueryOf(request).page_size, 1000);
  request.set_page_size(1001);
  EXPECT_EQ(BadFields(request), std::vector<std::string>{"page_size"});
  request.set_page_size(-1);
  EXPECT_EQ(BadFields(request), std::vector<std::string>{"page_size"});
}

TEST(AuditQueryTest, NamesEveryBadField) {
  cv1::ListAuditEntriesRequest request;
  request.set_parent("organization/o1");
  request.set_subject(std::string(201, 's'));
  request.set_method("CancelEvent");
  request.set_resource("events/e1");
  *request.mutable_time_range()->mutable_start_time() = ToTimestamp(absl::FromUnixSeconds(2e9));
  *request.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromUnixSeconds(1e9));
  EXPECT_EQ(BadFields(request), (std::vector<std::string>{"parent", "time_range.end_time",
                                                          "subject", "method", "resource"}));
}

TEST(AuditQueryTest, MatchesEachFilter) {
  cv1::ListAuditEntriesRequest request;
  request.set_parent("organizations/o1");
  const cv1::AuditEntry entry = Entry(1800000000);
  EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(request)));

  cv1::ListAuditEntriesRequest timed = request;
  *timed.mutable_time_range()->mutable_start_time() =
      ToTimestamp(absl::FromUnixSeconds(1800000000));
  EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(timed)));
  *timed.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromUnixSeconds(1800000000));
  timed.mutable_time_range()->mutable_start_time()->set_seconds(1700000000);
  EXPECT_FALSE(MatchesAuditQuery(entry, QueryOf(timed))) << "the end is exclusive";

  cv1::ListAuditEntriesRequest by_subject = request;
  by_subject.set_subject("staff-li");
  EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(by_subject))) << "the original caller counts";
  by_subject.set_subject("attendance");
  EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(by_subject)));
  by_subject.set_subject("staff-wang");
  EXPECT_FALSE(MatchesAuditQuery(entry, QueryOf(by_subject)));

  cv1::ListAuditEntriesRequest by_method = request;
  by_method.set_method(kCancel);
  EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(by_method)));
  by_method.set_method("/fieldwork.scheduling.v1.SchedulingService/CreateEvent");
  EXPECT_FALSE(MatchesAuditQuery(entry, QueryOf(by_method)));

  cv1::ListAuditEntriesRequest by_resource = request;
  for (const char* resource :
       {"organizations/o1", "organizations/o1/events", "organizations/o1/events/e1"}) {
    by_resource.set_resource(resource);
    EXPECT_TRUE(MatchesAuditQuery(entry, QueryOf(by_resource))) << resource;
  }
  for (const char* resource : {"organizations/o1/events/e", "organizations/o1/events/e1/x"}) {
    by_resource.set_resource(resource);
    EXPECT_FALSE(MatchesAuditQuery(entry, QueryOf(by_resource))) << resource;
  }

  cv1::ListAuditEntriesRequest failures = request;
  failures.set_failures_only(true);
  EXPECT_FALSE(MatchesAuditQuery(entry, QueryOf(failures)));
  cv1::AuditEntry failed = entry;
  failed.set_status_code(7);
  EXPECT_TRUE(MatchesAuditQuery(failed, QueryOf(failures)));
}

}  // namespace
}  // namespace fieldwork
