// The audit streams (common/audit/audit_store.h) and the batching recorder
// (common/audit/audit_recorder.h) against a private redis-server.
#include "common/audit/audit_store.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/field_checks.h"
#include "common/audit/audit_recorder.h"
#include "common/redis/pooled_redis_client.h"
#include "tests/common/redis/redis_test_fixture.h"

namespace fieldwork {
namespace {

namespace cv1 = ::fieldwork::common::v1;

constexpr Interval kAllTime{absl::InfinitePast(), absl::InfiniteFuture()};

PendingAuditEntry Pending(absl::string_view organization, absl::string_view request_id,
                          bool may_create_stream = true) {
  PendingAuditEntry pending;
  pending.organization = std::string(organization);
  pending.entry.set_request_id(std::string(request_id));
  *pending.entry.mutable_time() = ToTimestamp(absl::Now());
  pending.may_create_stream = may_create_stream;
  return pending;
}

std::vector<std::string> RequestIds(const std::vector<StoredAuditEntry>& entries) {
  std::vector<std::string> ids;
  for (const StoredAuditEntry& stored : entries) ids.push_back(stored.entry.request_id());
  return ids;
}

class AuditStoreTest : public SharedRedisTest {
 protected:
  std::vector<StoredAuditEntry> ReadAll(const AuditStore& store, absl::string_view organization,
                                        absl::string_view before = "") {
    absl::StatusOr<std::vector<StoredAuditEntry>> entries =
        store.ReadNewestFirst(organization, before, kAllTime, 1000, Soon());
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.value_or(std::vector<StoredAuditEntry>{});
  }
};

TEST_F(AuditStoreTest, KeepsOneStreamPerOrganizationAndServiceInsideTheHashTag) {
  const AuditStore store(&client(), "scheduling", 1000);
  EXPECT_EQ(store.Key("o1"), "fw:{o1}:audit:scheduling");
  ASSERT_TRUE(store.Append("o1", {Pending("o1", "a"), Pending("o1", "b")}, Soon()).ok());
  EXPECT_TRUE(Exists("fw:{o1}:audit:scheduling"));
  EXPECT_FALSE(Exists("fw:{o1}:audit:attendance"));
}

TEST_F(AuditStoreTest, ReadsNewestFirstAndResumesAfterAnId) {
  const AuditStore store(&client(), "scheduling", 1000);
  ASSERT_TRUE(
      store.Append("o1", {Pending("o1", "a"), Pending("o1", "b"), Pending("o1", "c")}, Soon())
          .ok());
  const std::vector<StoredAuditEntry> all = ReadAll(store, "o1");
  EXPECT_EQ(RequestIds(all), (std::vector<std::string>{"c", "b", "a"}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(AuditStore::IsStreamId(all[0].id));
  EXPECT_EQ(RequestIds(ReadAll(store, "o1", all[0].id)), (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(ReadAll(store, "o2").empty());
}

TEST_F(AuditStoreTest, AnEntryThatMayNotCreateItsStreamIsDroppedUntilTheStreamExists) {
  const AuditStore store(&client(), "scheduling", 1000);
  ASSERT_TRUE(store.Append("ghost", {Pending("ghost", "x", false)}, Soon()).ok());
  EXPECT_FALSE(Exists("fw:{ghost}:audit:scheduling"));
  ASSERT_TRUE(store.Append("o1", {Pending("o1", "a")}, Soon()).ok());
  ASSERT_TRUE(store.Append("o1", {Pending("o1", "b", false)}, Soon()).ok());
  EXPECT_EQ(RequestIds(ReadAll(store, "o1")), (std::vector<std::string>{"b", "a"}));
}

TEST_F(AuditStoreTest, TrimsToAboutTheCap) {
  const AuditStore store(&client(), "scheduling", 1000);
  std::vector<PendingAuditEntry> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back(Pending("o1", absl::StrCat(i)));
  ASSERT_TRUE(store.Append("o1", batch, Soon()).ok());
  const absl::StatusOr<std::string> length = redis().Command({"XLEN", "fw:{o1}:audit:scheduling"});
  ASSERT_TRUE(length.ok()) << length.status();
  int64_t entries = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*length, &entries));
  EXPECT_GE(entries, 1000);
  EXPECT_LT(entries, 1500) << "MAXLEN ~ trims whole nodes, so a little over the cap remains";
}

TEST_F(AuditStoreTest, RejectsWhatIsNotAStreamId) {
  EXPECT_TRUE(AuditStore::IsStreamId("1767225600000-0"));
  for (const char* id : {"", "1-", "-1", "1-2-3", "a-1", "1 -1", "+", "(1-0"}) {
    EXPECT_FALSE(AuditStore::IsStreamId(id)) << id;
  }
}

TEST_F(AuditStoreTest, TheRecorderWritesEachOrganizationsEntriesAndFlushesOnDestruction) {
  const AuditStore store(&client(), "scheduling", 1000);
  {
    AuditRecorderOptions options;
    options.flush_interval = absl::Hours(1);  // only the destructor flushes
    AuditRecorder recorder(&store, options);
    for (const char* organization : {"o1", "o2"}) {
      RpcCallInfo info;
      info.request_names = {absl::StrCat("organizations/", organization, "/events/e1")};
      info.method = "/fieldwork.scheduling.v1.SchedulingService/CancelEvent";
      info.organization = organization;
      info.scope = organization;
      info.subject = "staff";
      info.authenticated = true;
      const grpc::Status ok = grpc::Status::OK;
      recorder.OnCallFinished(FinishedCall{info, {}, ok, "", absl::Now()});
    }
    EXPECT_TRUE(ReadAll(store, "o1").empty()) << "nothing is written on the call's path";
  }
  for (const char* organization : {"o1", "o2"}) {
    const std::vector<StoredAuditEntry> entries = ReadAll(store, organization);
    ASSERT_EQ(entries.size(), 1u) << organization;
    EXPECT_EQ(entries[0].entry.resource(),
              absl::StrCat("organizations/", organization, "/events/e1"));
  }
}

TEST_F(AuditStoreTest, TheRecorderDropsWhatDoesNotFitItsQueue) {
  const AuditStore store(&client(), "scheduling", 1000);
  {
    AuditRecorderOptions options;
    options.flush_interval = absl::Hours(1);
    options.queue_capacity = 2;
    options.batch_size = 1000;
    AuditRecorder recorder(&store, options);
    RpcCallInfo info;
    info.method = "/fieldwork.scheduling.v1.SchedulingService/CancelEvent";
    info.organization = "o1";
    info.scope = "o1";
    info.authenticated = true;
    const grpc::Status ok = grpc::Status::OK;
    for (int i = 0; i < 5; ++i) {
      recorder.OnCallFinished(FinishedCall{info, {}, ok, "", absl::Now()});
    }
  }
  EXPECT_EQ(ReadAll(store, "o1").size(), 2u);
}

}  // namespace
}  // namespace fieldwork
