// BatchCheckIn (a paper sign-in sheet typed in afterwards) over gRPC against the real attendance
// and scheduling binaries and a real Redis: good and bad rows mixed (every valid row applied, every
// bad row reported with its own error), duplicates, rows for members already checked in,
// whole-request refusals, roles, and retries with the same request_id.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

class BatchCheckInRpcTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateMembers({"m1", "m2", "m3", "m4", "m5", "m6"});
    const absl::Time now = Now();
    start_ = now - absl::Hours(4);
    end_ = now - absl::Hours(2);
    event_ = CreateEventOrDie("trip", start_, end_,
                              {{"m1", v1::PARTICIPANT_ROLE_LEAD}, {"m2"}, {"m4"}, {"m5"}, {"m6"}});
  }

  static att::BatchCheckInRow Row(const std::string& member, absl::Time check_in) {
    att::BatchCheckInRow row;
    row.set_member(member);
    *row.mutable_check_in_time() = ToTimestamp(check_in);
    return row;
  }

  att::BatchCheckInRequest Sheet(const std::vector<att::BatchCheckInRow>& rows,
                                 const std::string& request_id = "") const {
    att::BatchCheckInRequest request;
    request.set_event(event_);
    for (const att::BatchCheckInRow& row : rows) *request.add_rows() = row;
    request.set_request_id(request_id);
    return request;
  }

  grpc::Status BatchCheckIn(const att::BatchCheckInRequest& request,
                            att::BatchCheckInResponse* response,
                            absl::string_view token = kStaffA) {
    return Call(&Attendance::BatchCheckIn, token, request, response);
  }

  absl::Time start_;
  absl::Time end_;
  std::string event_;
};

TEST_F(BatchCheckInRpcTest, AppliesEveryValidRowAndReportsEachBadRow) {
  att::BatchCheckInRow with_check_out = Row(MemberName("m2"), start_ + absl::Minutes(20));
  *with_check_out.mutable_check_out_time() = ToTimestamp(end_ - absl::Minutes(30));
  att::BatchCheckInRow no_time;
  no_time.set_member(MemberName("m5"));
  att::BatchCheckInRow backwards = Row(MemberName("m6"), start_ + absl::Minutes(5));
  *backwards.mutable_check_out_time() = ToTimestamp(start_);

  const att::BatchCheckInRequest request = Sheet({
      Row(MemberName("m1"), start_ + absl::Minutes(1)),  // 0: applied
      with_check_out,                                    // 1: applied, late, left early
      Row(MemberName("m3"), start_),                     // 2: not a participant
      Row("members/m4", start_),                         // 3: malformed member
      Row(MemberName("m1"), start_ + absl::Minutes(2)),  // 4: m1 twice
      Row(MemberName("m4"), start_ - absl::Hours(2)),    // 5: before the window
      no_time,                                           // 6: no check_in_time
      backwards,                                         // 7: check-out before check-in
      Row("organizations/jiaoqu/members/m1", start_),    // 8: another organization
  });
  att::BatchCheckInResponse response;
  const grpc::Status status = BatchCheckIn(request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.applied_count(), 2);
  EXPECT_EQ(response.failed_count(), 7);
  ASSERT_EQ(response.results_size(), 9);

  struct Expected {
    grpc::StatusCode code;
    std::string reason;               // "" → not checked
    std::vector<std::string> fields;  // empty → not checked
    std::string name;
  };
  const std::vector<Expected> expected = {
      {grpc::StatusCode::OK, "", {}, RecordName(event_, "m1")},
      {grpc::StatusCode::OK, "", {}, RecordName(event_, "m2")},
      {grpc::StatusCode::FAILED_PRECONDITION,
       "ERROR_REASON_NOT_A_PARTICIPANT",
       {},
       RecordName(event_, "m3")},
      {grpc::StatusCode::INVALID_ARGUMENT, "", {"member"}, ""},
      {grpc::StatusCode::INVALID_ARGUMENT, "", {}, RecordName(event_, "m1")},
      {grpc::StatusCode::FAILED_PRECONDITION,
       "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW",
       {},
       RecordName(event_, "m4")},
      {grpc::StatusCode::INVALID_ARGUMENT, "", {"check_in_time"}, RecordName(event_, "m5")},
      {grpc::StatusCode::FAILED_PRECONDITION,
       "ERROR_REASON_OUTSIDE_CHECK_IN_WINDOW",
       {},
       RecordName(event_, "m6")},
      {grpc::StatusCode::INVALID_ARGUMENT, "", {"member"}, ""},
  };
  for (int i = 0; i < response.results_size(); ++i) {
    const att::BatchCheckInResult& result = response.results(i);
    const grpc::Status row_status = ToGrpcStatus(result.status());
    EXPECT_EQ(result.row(), i);
    EXPECT_EQ(row_status.error_code(), expected[i].code)
        << "row " << i << ": " << Describe(row_status);
    if (!expected[i].reason.empty()) {
      EXPECT_EQ(ErrorReasonOf(row_status), expected[i].reason) << "row " << i;
    }
    if (!expected[i].fields.empty()) {
      EXPECT_EQ(ViolationFields(row_status), expected[i].fields) << "row " << i;
    }
    // The record name of a row whose member is from another organization is not asserted.
    if (i != 8) {
      EXPECT_EQ(result.name(), expected[i].name) << "row " << i;
    }
    EXPECT_FALSE(result.already_checked_in()) << "row " << i;
  }

  const att::AttendanceRecord m1 = GetRecordOrDie(RecordName(event_, "m1"));
  EXPECT_EQ(FromTimestamp(m1.check_in().time()), start_ + absl::Minutes(1));
  EXPECT_EQ(m1.check_in().method(), att::CHECK_IN_METHOD_BATCH);
  EXPECT_EQ(m1.check_in().recorded_by(), kStaffA);
  EXPECT_GT(FromTimestamp(m1.check_in().record_time()), end_);
  const att::AttendanceRecord m2 = GetRecordOrDie(RecordName(event_, "m2"));
  EXPECT_EQ(FromTimestamp(m2.check_in().time()), start_ + absl::Minutes(20));
  EXPECT_EQ(FromTimestamp(m2.check_out().time()), end_ - absl::Minutes(30));
  for (const char* untouched : {"m4", "m5", "m6"}) {
    const att::AttendanceRecord record = GetRecordOrDie(RecordName(event_, untouched));
    EXPECT_FALSE(record.has_check_in()) << untouched;
    EXPECT_FALSE(record.has_check_out()) << untouched;
  }
}

TEST_F(BatchCheckInRpcTest, RowForAMemberAlreadyCheckedInKeepsTheFirstTime) {
  StaffCheckInOrDie(event_, "m1", start_ - absl::Minutes(5));
  att::BatchCheckInResponse response;
  const grpc::Status status = BatchCheckIn(
      Sheet({Row(MemberName("m1"), start_ + absl::Minutes(30)), Row(MemberName("m2"), start_)}),
      &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.applied_count(), 2);
  EXPECT_EQ(response.failed_count(), 0);
  ASSERT_EQ(response.results_size(), 2);
  EXPECT_TRUE(response.results(0).already_checked_in());
  EXPECT_FALSE(response.results(1).already_checked_in());
  const att::AttendanceRecord m1 = GetRecordOrDie(RecordName(event_, "m1"));
  EXPECT_EQ(FromTimestamp(m1.check_in().time()), start_ - absl::Minutes(5));
  EXPECT_EQ(m1.check_in().method(), att::CHECK_IN_METHOD_STAFF);
}

TEST_F(BatchCheckInRpcTest, RejectsEmptyAndOversizedSheets) {
  att::BatchCheckInResponse response;
  const grpc::Status empty = BatchCheckIn(Sheet({}), &response);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(empty);
  EXPECT_EQ(ViolationFields(empty), std::vector<std::string>{"rows"});

  std::vector<att::BatchCheckInRow> rows;
  for (int i = 0; i < 1001; ++i) rows.push_back(Row(MemberName(absl::StrCat("x", i)), start_));
  rows[0] = Row(MemberName("m1"), start_);
  const grpc::Status oversized = BatchCheckIn(Sheet(rows), &response);
  EXPECT_EQ(oversized.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(oversized);
  EXPECT_EQ(ViolationFields(oversized), std::vector<std::string>{"rows"});
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(BatchCheckInRpcTest, WholeSheetIsRefusedForBadUnknownOrCancelledEvents) {
  att::BatchCheckInRequest request = Sheet({Row(MemberName("m1"), start_)});
  att::BatchCheckInResponse response;
  request.set_event("organizations/tongguan/events");
  const grpc::Status malformed = BatchCheckIn(request, &response);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(malformed);
  EXPECT_EQ(ViolationFields(malformed), std::vector<std::string>{"event"});

  request.set_event(EventName("nope"));
  EXPECT_EQ(BatchCheckIn(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  CancelEventOrDie(event_);
  const grpc::Status cancelled = BatchCheckIn(Sheet({Row(MemberName("m1"), start_)}), &response);
  EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(cancelled);
  EXPECT_EQ(ErrorReasonOf(cancelled), "ERROR_REASON_EVENT_CANCELLED");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
}

TEST_F(BatchCheckInRpcTest, OnlyStaffAndAdminsOfTheOrganizationMayBatchCheckIn) {
  const att::BatchCheckInRequest request = Sheet({Row(MemberName("m1"), start_)});
  att::BatchCheckInResponse response;
  for (const char* token : {kMemberA1, kService}) {
    EXPECT_EQ(BatchCheckIn(request, &response, token).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_EQ(BatchCheckIn(request, &response, kStaffB).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m1")).has_check_in());
  const grpc::Status admin = BatchCheckIn(request, &response, kOrgAdminA);
  ASSERT_TRUE(admin.ok()) << Describe(admin);
  EXPECT_EQ(response.applied_count(), 1);
}

TEST_F(BatchCheckInRpcTest, RetriedSheetReturnsTheFirstAnswerAndAppliesOnce) {
  const att::BatchCheckInRequest request =
      Sheet({Row(MemberName("m1"), start_), Row(MemberName("m3"), start_)}, "sheet-1");
  att::BatchCheckInResponse first;
  ASSERT_TRUE(BatchCheckIn(request, &first).ok());
  ASSERT_EQ(first.applied_count(), 1);
  att::BatchCheckInResponse retried;
  const grpc::Status status = BatchCheckIn(request, &retried);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  EXPECT_FALSE(retried.results(0).already_checked_in());

  const grpc::Status reused =
      BatchCheckIn(Sheet({Row(MemberName("m2"), start_)}, "sheet-1"), &retried);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(reused);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
  EXPECT_FALSE(GetRecordOrDie(RecordName(event_, "m2")).has_check_in());
}

}  // namespace
}  // namespace fieldwork::testing
