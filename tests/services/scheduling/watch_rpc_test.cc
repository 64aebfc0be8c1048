// WatchChanges against the real binary and Redis: changes in order, resuming from a cursor, an
// expired cursor, filters, a second replica serving the same feed, hold expiry and heartbeats.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {
namespace {

// One open WatchChanges stream.
class Watch {
 public:
  Watch(Scheduling& stub, const v1::WatchChangesRequest& request, absl::string_view token,
        absl::Duration timeout = absl::Seconds(30)) {
    PrepareContext(context_, token, timeout);
    reader_ = stub.WatchChanges(&context_, request);
  }
  ~Watch() {
    if (finished_) return;
    context_.TryCancel();
    reader_->Finish().IgnoreError();
  }

  // The next message; fails the test when the stream ended.
  v1::WatchChangesResponse Next() {
    v1::WatchChangesResponse message;
    if (!reader_->Read(&message)) {
      finished_ = true;
      ADD_FAILURE() << "stream ended: " << Describe(reader_->Finish());
    }
    return message;
  }
  // Changes until `count` arrived (messages may batch them).
  std::vector<v1::Change> Changes(size_t count) {
    std::vector<v1::Change> changes;
    v1::WatchChangesResponse message;
    while (changes.size() < count && reader_->Read(&message)) {
      for (const v1::Change& change : message.changes()) changes.push_back(change);
    }
    EXPECT_EQ(changes.size(), count);
    return changes;
  }
  // The status of a stream the server ended.
  grpc::Status Finish() {
    v1::WatchChangesResponse message;
    while (reader_->Read(&message)) {
    }
    finished_ = true;
    return reader_->Finish();
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader_;
  bool finished_ = false;
};

class WatchRpcTest : public CalendarFixture {
 protected:
  static v1::WatchChangesRequest FromNow() {
    v1::WatchChangesRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    return request;
  }
  static v1::WatchChangesRequest FromOldest() {
    v1::WatchChangesRequest request = FromNow();
    request.set_from_oldest(true);
    return request;
  }
  static v1::WatchChangesRequest After(const std::string& cursor) {
    v1::WatchChangesRequest request = FromNow();
    request.set_cursor(cursor);
    return request;
  }

  void Rename(const v1::Event& event, absl::string_view title) {
    v1::UpdateEventRequest request;
    request.mutable_event()->set_name(event.name());
    request.mutable_event()->set_title(std::string(title));
    request.mutable_update_mask()->add_paths("title");
    v1::UpdateEventResponse response;
    const grpc::Status status = Call(&Scheduling::UpdateEvent, kStaffA, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  void Cancel(const v1::Event& event) {
    v1::CancelEventRequest request;
    request.set_name(event.name());
    request.set_reason("天气原因");
    v1::Event response;
    const grpc::Status status = Call(&Scheduling::CancelEvent, kStaffA, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  // The cursors of the first `count` EVENT_CREATED changes of the feed.
  std::vector<std::string> CreationCursors(size_t count) {
    v1::WatchChangesRequest request = FromOldest();
    request.add_change_types(v1::CHANGE_TYPE_EVENT_CREATED);
    Watch watch(scheduling(), request, kStaffA);
    std::vector<std::string> cursors;
    for (const v1::Change& change : watch.Changes(count)) cursors.push_back(change.cursor());
    return cursors;
  }
};

TEST_F(WatchRpcTest, SeesCreateUpdateCancelInOrder) {
  const std::string m1 = CreateMember("m1");
  Watch watch(scheduling(), FromNow(), kStaffA);
  const v1::WatchChangesResponse opening = watch.Next();
  EXPECT_TRUE(opening.changes().empty());
  EXPECT_FALSE(opening.cursor().empty());

  const v1::Event event = CreateEvent("专题调研", Monday(9), Monday(11), {m1});
  Rename(event, "专题调研（改期）");
  Cancel(event);
  const std::vector<v1::Change> changes = watch.Changes(3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].change_type(), v1::CHANGE_TYPE_EVENT_CREATED);
  EXPECT_EQ(changes[1].change_type(), v1::CHANGE_TYPE_EVENT_UPDATED);
  EXPECT_EQ(changes[1].event().title(), "专题调研（改期）");
  EXPECT_EQ(changes[2].change_type(), v1::CHANGE_TYPE_EVENT_CANCELLED);
  EXPECT_EQ(changes[2].event().state(), v1::EVENT_STATE_CANCELLED);
  for (const v1::Change& change : changes) {
    EXPECT_EQ(change.resource(), event.name());
    EXPECT_EQ(change.actor(), kStaffA);
    EXPECT_TRUE(change.has_change_time());
  }
  EXPECT_NE(changes[0].cursor(), changes[1].cursor());
  EXPECT_NE(changes[1].cursor(), changes[2].cursor());
}

TEST_F(WatchRpcTest, ResumingFromACursorSeesOnlyLaterChanges) {
  const std::string m1 = CreateMember("m1");
  CreateEvent("第一次", Monday(9), Monday(10), {m1});
  CreateEvent("第二次", Monday(11), Monday(12), {m1});
  const v1::Event third = CreateEvent("第三次", Monday(14), Monday(15), {m1});
  const std::vector<std::string> cursors = CreationCursors(3);
  ASSERT_EQ(cursors.size(), 3u);

  Watch watch(scheduling(), After(cursors[1]), kStaffA);
  EXPECT_EQ(watch.Next().cursor(), cursors[1]);  // the opening message
  const std::vector<v1::Change> changes = watch.Changes(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource(), third.name());
  EXPECT_EQ(changes[0].cursor(), cursors[2]);
}

TEST_F(WatchRpcTest, CursorThatFellOffTheFeedIsOutOfRange) {
  const std::string m1 = CreateMember("m1");
  CreateEvent("第一次", Monday(9), Monday(10), {m1});
  CreateEvent("第二次", Monday(11), Monday(12), {m1});
  CreateEvent("第三次", Monday(14), Monday(15), {m1});
  const std::vector<std::string> cursors = CreationCursors(3);
  ASSERT_EQ(cursors.size(), 3u);
  // Keep only the two newest changes, as MAXLEN trimming does to a long backlog.
  ASSERT_TRUE(
      redis().Command({"XTRIM", absl::StrCat("fw:{", kOrgA, "}:changes"), "MAXLEN", "2"}).ok());

  Watch expired(scheduling(), After(cursors[0]), kStaffA);
  const grpc::Status status = expired.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_CURSOR_EXPIRED");

  // A retained cursor still resumes.
  Watch kept(scheduling(), After(cursors[1]), kStaffA);
  kept.Next();
  const std::vector<v1::Change> changes = kept.Changes(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].cursor(), cursors[2]);
}

TEST_F(WatchRpcTest, CursorBeyondTheFeedIsOutOfRange) {
  Watch watch(scheduling(), After("99999999999999-0"), kStaffA);
  EXPECT_EQ(watch.Finish().error_code(), grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(WatchRpcTest, ASecondReplicaServesTheSameFeed) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> replica = StartSchedulingReplica(redis().url());
  ASSERT_TRUE(replica.ok()) << replica.status();
  const std::unique_ptr<Scheduling> second = v1::SchedulingService::NewStub((*replica)->channel());
  const std::string m1 = CreateMember("m1");
  Watch watch(*second, FromNow(), kStaffA);
  watch.Next();
  const v1::Event event = CreateEvent("跨副本", Monday(9), Monday(10), {m1});  // via replica 1
  const std::vector<v1::Change> changes = watch.Changes(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource(), event.name());

  // A cursor from one replica resumes on the other.
  Watch resumed(scheduling(), After(changes[0].cursor()), kStaffA);
  resumed.Next();
  Cancel(event);
  const std::vector<v1::Change> later = resumed.Changes(1);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].change_type(), v1::CHANGE_TYPE_EVENT_CANCELLED);
}

TEST_F(WatchRpcTest, FiltersByChangeTypeAndMember) {
  const std::string m1 = CreateMember("m1");
  const std::string m2 = CreateMember("m2");
  v1::WatchChangesRequest only_m1 = FromOldest();
  only_m1.set_member(m1);
  only_m1.add_change_types(v1::CHANGE_TYPE_EVENT_CREATED);
  only_m1.add_change_types(v1::CHANGE_TYPE_EVENT_CANCELLED);
  CreateEvent("他人活动", Monday(9), Monday(10), {m2});
  const v1::Event mine = CreateEvent("本人活动", Monday(11), Monday(12), {m1});
  Rename(mine, "本人活动（更新）");
  Cancel(mine);
  Watch watch(scheduling(), only_m1, kMemberA1);  // a member may watch itself
  const std::vector<v1::Change> changes = watch.Changes(2);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].change_type(), v1::CHANGE_TYPE_EVENT_CREATED);
  EXPECT_EQ(changes[0].resource(), mine.name());
  EXPECT_EQ(changes[1].change_type(), v1::CHANGE_TYPE_EVENT_CANCELLED);
}

TEST_F(WatchRpcTest, RefusesBadRequests) {
  CreateMember("m1");
  const auto status_of = [&](const v1::WatchChangesRequest& request, absl::string_view token) {
    Watch watch(scheduling(), request, token);
    return watch.Finish();
  };
  v1::WatchChangesRequest request = After("not-a-cursor");
  EXPECT_EQ(ViolationFields(status_of(request, kStaffA)), std::vector<std::string>{"cursor"});
  request = FromNow();
  request.add_change_types(v1::CHANGE_TYPE_UNSPECIFIED);
  EXPECT_EQ(ViolationFields(status_of(request, kStaffA)),
            std::vector<std::string>{"change_types[0]"});
  request = FromNow();
  request.set_member("organizations/jiaoqu/members/m1");
  EXPECT_EQ(ViolationFields(status_of(request, kStaffA)), std::vector<std::string>{"member"});
  request = FromNow();
  request.set_parent("organizations/jiaoqu");
  EXPECT_EQ(status_of(request, kStaffA).error_code(), grpc::StatusCode::NOT_FOUND);
  // A member watches only itself.
  EXPECT_EQ(status_of(FromNow(), kMemberA1).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  request = FromNow();
  request.set_member(MemberName("m2"));
  EXPECT_EQ(status_of(request, kMemberA1).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WatchRpcTest, HeartbeatCarriesTheFeedPosition) {
  const std::string m1 = CreateMember("m1");
  CreateEvent("心跳", Monday(9), Monday(10), {m1});
  const std::string newest = Watch(scheduling(), FromNow(), kStaffA).Next().cursor();
  v1::WatchChangesRequest request = FromOldest();
  request.add_change_types(v1::CHANGE_TYPE_HOLD_CREATED);  // filters out everything so far
  Watch watch(scheduling(), request, kStaffA, absl::Seconds(40));
  EXPECT_EQ(watch.Next().cursor(), "0-0");                  // the opening message
  const v1::WatchChangesResponse heartbeat = watch.Next();  // after 15 s without matches
  EXPECT_TRUE(heartbeat.changes().empty());
  EXPECT_EQ(heartbeat.cursor(), newest);
}

TEST_F(WatchRpcTest, LapsedHoldAppearsAsHoldExpired) {
  const std::string m1 = CreateMember("m1");
  const v1::Hold hold = CreateHold(Monday(9), Monday(10), {m1}, absl::Minutes(1));
  v1::WatchChangesRequest request = FromOldest();
  request.add_change_types(v1::CHANGE_TYPE_HOLD_EXPIRED);
  Watch watch(scheduling(), request, kStaffA, absl::Seconds(120));
  watch.Next();
  const std::vector<v1::Change> changes = watch.Changes(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource(), hold.name());
  EXPECT_EQ(changes[0].hold().state(), v1::HOLD_STATE_EXPIRED);
  EXPECT_EQ(changes[0].actor(), "system");
}

}  // namespace
}  // namespace fieldwork::testing
