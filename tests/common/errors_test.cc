// Error details through absl::Status and across the gRPC edge (common/errors.h).
#include "common/errors.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace fieldwork {
namespace {

using ::fieldwork::common::v1::Conflicts;
using ::fieldwork::common::v1::ErrorStatus;
using ::fieldwork::common::v1::FieldViolations;

Conflicts OneConflict() {
  Conflicts conflicts;
  Conflicts::Conflict* conflict = conflicts.add_conflicts();
  conflict->set_calendar("organizations/o1/members/m7");
  conflict->set_booked_by("organizations/o1/events/e3");
  conflict->mutable_start_time()->set_seconds(1700000000);
  conflict->set_reason("member busy (travel buffer 30 min)");
  return conflicts;
}

TEST(ErrorsTest, InvalidFieldNamesTheField) {
  const absl::Status status = InvalidField("event.title", "must not be empty");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "event.title: must not be empty");
  const std::optional<FieldViolations> violations = GetFieldViolations(status);
  ASSERT_TRUE(violations.has_value());
  ASSERT_EQ(violations->violations_size(), 1);
  EXPECT_EQ(violations->violations(0).field(), "event.title");
  EXPECT_EQ(violations->violations(0).description(), "must not be empty");
}

TEST(ErrorsTest, FieldErrorsReportsEveryViolationInOneStatus) {
  FieldErrors errors;
  EXPECT_TRUE(errors.ToStatus().ok());
  errors.Add("event.title", "must not be empty");
  errors.Add("event.time_range.end_time", "must be after start_time");
  const absl::Status status = errors.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "event.time_range.end_time"));
  const std::optional<FieldViolations> violations = GetFieldViolations(status);
  ASSERT_TRUE(violations.has_value());
  ASSERT_EQ(violations->violations_size(), 2);
  EXPECT_EQ(violations->violations(1).field(), "event.time_range.end_time");
}

TEST(ErrorsTest, ConflictErrorCarriesConflicts) {
  const absl::Status status = ConflictError("member m7 is booked", OneConflict());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const std::optional<Conflicts> conflicts = GetConflicts(status);
  ASSERT_TRUE(conflicts.has_value());
  EXPECT_EQ(conflicts->conflicts(0).booked_by(), "organizations/o1/events/e3");
  EXPECT_FALSE(GetFieldViolations(status).has_value());
}

TEST(ErrorsTest, WithConflictsLeavesOkAlone) {
  EXPECT_TRUE(WithConflicts(absl::OkStatus(), OneConflict()).ok());
}

TEST(ErrorsTest, GrpcRoundTripKeepsCodeMessageAndDetails) {
  const absl::Status original =
      WithConflicts(absl::FailedPreconditionError("booking refused"), OneConflict());
  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(wire.error_message(), "booking refused");
  const absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(back.message(), "booking refused");
  const std::optional<Conflicts> conflicts = GetConflicts(back);
  ASSERT_TRUE(conflicts.has_value());
  EXPECT_EQ(conflicts->conflicts(0).reason(), "member busy (travel buffer 30 min)");
  EXPECT_EQ(conflicts->conflicts(0).start_time().seconds(), 1700000000);
}

TEST(ErrorsTest, DetailsAreAGoogleRpcStatusWithTypedAny) {
  const grpc::Status wire = ToGrpcStatus(InvalidField("page_size", "must be at most 1000"));
  ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), "page_size: must be at most 1000");
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/fieldwork.common.v1.FieldViolations");
  FieldViolations violations;
  ASSERT_TRUE(details.details(0).UnpackTo(&violations));
  EXPECT_EQ(violations.violations(0).field(), "page_size");
}

TEST(ErrorsTest, StatusWithoutDetailsSendsNoDetails) {
  const grpc::Status wire = ToGrpcStatus(absl::NotFoundError("organizations/o2 not found"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(wire.error_details().empty());
}

TEST(ErrorsTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(ErrorsTest, UnparseableDetailsKeepCodeAndMessage) {
  const absl::Status status =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::ABORTED, "stale etag", "\xff\xff\xff"));
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(status.message(), "stale etag");
  EXPECT_FALSE(GetFieldViolations(status).has_value());
}

}  // namespace
}  // namespace fieldwork
