// What the runner keeps of a call's messages (common/message_names.h), on real request and
// response messages.
#include "common/message_names.h"

#include <gtest/gtest.h>

#include "fieldwork/attendance/v1/attendance_service.pb.h"
#include "fieldwork/reporting/v1/reporting_service.pb.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"

namespace fieldwork {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;

using Names = std::vector<std::string>;

TEST(MessageNamesTest, NameAndParentComeFirstThenTheNamesOfMessageFields) {
  sv1::UpdateEventRequest update;
  update.mutable_event()->set_name("organizations/o1/events/e2");
  update.mutable_event()->set_title("organizations/o1/events/not-a-name-field");
  EXPECT_EQ(ResourceNamesOf(update), Names{"organizations/o1/events/e2"});

  sv1::CreateEventRequest create;
  create.set_parent("organizations/o1");
  create.mutable_event()->set_title("调研");
  EXPECT_EQ(ResourceNamesOf(create), Names{"organizations/o1"});

  sv1::CreateEventResponse created;
  created.mutable_event()->set_name("organizations/o1/events/e1");
  EXPECT_EQ(ResourceNamesOf(created), Names{"organizations/o1/events/e1"});

  fieldwork::attendance::v1::CheckInRequest check_in;
  check_in.set_name("organizations/o1/events/e1/attendance/m1");
  check_in.set_code("123456");
  EXPECT_EQ(ResourceNamesOf(check_in), Names{"organizations/o1/events/e1/attendance/m1"});

  fieldwork::reporting::v1::ExportReportRequest export_request;
  export_request.set_subject("organizations/o1/members/m1");
  EXPECT_EQ(ResourceNamesOf(export_request), Names{"organizations/o1/members/m1"});
}

TEST(MessageNamesTest, OverlongNamesAreNotKept) {
  sv1::CancelEventRequest request;
  request.set_name(std::string(kMaxKeptNameLength + 1, 'x'));
  EXPECT_TRUE(ResourceNamesOf(request).empty());
}

TEST(MessageNamesTest, RequestIdOnlyWhenItIsOne) {
  sv1::CancelEventRequest request;
  EXPECT_EQ(RequestIdOf(request), "");
  request.set_request_id("r-1");
  EXPECT_EQ(RequestIdOf(request), "r-1");
  request.set_request_id(std::string(65, 'r'));
  EXPECT_EQ(RequestIdOf(request), "");
  request.set_request_id("has space");
  EXPECT_EQ(RequestIdOf(request), "");
  EXPECT_EQ(RequestIdOf(sv1::GetEventRequest()), "");
}

}  // namespace
}  // namespace fieldwork
