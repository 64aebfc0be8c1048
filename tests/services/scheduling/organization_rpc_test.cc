// Organization RPCs against the real fieldwork-scheduling binary and a real Redis over gRPC:
// create with defaults, read, list with pages, update with masks and etags, retries with the same
// request_id, the field rules, roles and tenant isolation.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/services/scheduling/scheduling_fixture.h"

namespace fieldwork::testing {
namespace {

class OrganizationRpcTest : public SchedulingFixture {
 protected:
  grpc::Status Create(const v1::CreateOrganizationRequest& request, v1::Organization* out,
                      absl::string_view token = kAdmin) {
    return Call(&Scheduling::CreateOrganization, token, request, out);
  }

  grpc::Status Get(absl::string_view id, v1::Organization* out, absl::string_view token = kAdmin) {
    v1::GetOrganizationRequest request;
    request.set_name(absl::StrCat("organizations/", id));
    return Call(&Scheduling::GetOrganization, token, request, out);
  }

  grpc::Status Update(const v1::Organization& organization, const std::vector<std::string>& paths,
                      v1::Organization* out, absl::string_view token = kOrgAdminA,
                      absl::string_view request_id = "") {
    v1::UpdateOrganizationRequest request;
    *request.mutable_organization() = organization;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    request.set_request_id(std::string(request_id));
    return Call(&Scheduling::UpdateOrganization, token, request, out);
  }

  // The field paths a CreateOrganization of `organization` is refused for (and that nothing was
  // written).
  std::vector<std::string> CreateViolations(const v1::Organization& organization,
                                            absl::string_view id = kOrgA) {
    v1::CreateOrganizationRequest request;
    *request.mutable_organization() = organization;
    request.set_organization_id(std::string(id));
    v1::Organization created;
    const grpc::Status status = Create(request, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_FIELD_INVALID");
    v1::Organization read;
    EXPECT_EQ(Get(kOrgA, &read).error_code(), grpc::StatusCode::NOT_FOUND);
    return ViolationFields(status);
  }

  int64_t ChangeCount(absl::string_view id) {
    absl::StatusOr<std::string> length =
        redis().Command({"XLEN", absl::StrCat("fw:{", id, "}:changes")});
    EXPECT_TRUE(length.ok()) << length.status();
    return length.ok() ? std::stoll(*length) : -1;
  }
};

v1::Organization Valid() {
  v1::Organization organization;
  organization.set_display_name("铜官区政协");
  return organization;
}

fieldwork::common::v1::TimeOfDayRange Period(int start_hours, int end_hours) {
  fieldwork::common::v1::TimeOfDayRange period;
  period.mutable_start()->set_hours(start_hours);
  period.mutable_end()->set_hours(end_hours);
  return period;
}

TEST_F(OrganizationRpcTest, CreateFillsDocumentedDefaults) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  EXPECT_EQ(created.name(), "organizations/tongguan");
  EXPECT_EQ(created.display_name(), "铜官区政协");
  EXPECT_EQ(created.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(created.work_calendar().working_days_size(), 5);
  EXPECT_EQ(created.travel_buffer().seconds(), 1800);
  EXPECT_EQ(created.attendance_settings().grace().seconds(), 600);
  EXPECT_EQ(created.attendance_settings().auto_finalize_after().seconds(), 86400);
  EXPECT_EQ(created.reporting_settings().attention_absence_threshold(), 2);
  EXPECT_EQ(created.reporting_settings().annual_report_due_days(), 31);
  EXPECT_EQ(created.reporting_settings().scoring_table().version(), 1);
  EXPECT_EQ(created.reporting_settings().scoring_table().rules_size(), 48);
  EXPECT_EQ(created.reporting_settings().scoring_table().bands(0).label(), "优秀");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(created.created_by(), kAdmin);
  EXPECT_GT(created.create_time().seconds(), 0);

  v1::Organization read;
  const grpc::Status status = Get(kOrgA, &read);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
}

TEST_F(OrganizationRpcTest, CreateKeepsGivenSettings) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id("jiaoqu");
  *request.mutable_organization() = Valid();
  request.mutable_organization()->set_time_zone("Asia/Urumqi");
  request.mutable_organization()->mutable_travel_buffer()->set_seconds(0);
  v1::WorkingDay* saturday =
      request.mutable_organization()->mutable_work_calendar()->add_working_days();
  saturday->set_day(fieldwork::common::v1::DAY_OF_WEEK_SATURDAY);
  *saturday->add_periods() = Period(9, 12);
  v1::CalendarException* makeup =
      request.mutable_organization()->mutable_work_calendar()->add_exceptions();
  makeup->mutable_date()->set_year(2026);
  makeup->mutable_date()->set_month(10);
  makeup->mutable_date()->set_day(11);
  makeup->set_kind(v1::CALENDAR_EXCEPTION_KIND_MAKE_UP_WORKDAY);
  makeup->set_description("国庆调休上班");
  request.mutable_organization()->mutable_reporting_settings()->set_attention_absence_threshold(3);
  v1::Organization created;
  const grpc::Status status = Create(request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(created.time_zone(), "Asia/Urumqi");
  EXPECT_EQ(created.travel_buffer().seconds(), 0);
  ASSERT_EQ(created.work_calendar().working_days_size(), 1);
  EXPECT_EQ(created.work_calendar().exceptions(0).description(), "国庆调休上班");
  EXPECT_EQ(created.reporting_settings().attention_absence_threshold(), 3);
}

TEST_F(OrganizationRpcTest, CreateRefusesTakenId) {
  CreateOrganizationOrDie(kOrgA);
  v1::CreateOrganizationRequest request;
  request.set_organization_id(kOrgA);
  *request.mutable_organization() = Valid();
  v1::Organization created;
  const grpc::Status status = Create(request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << Describe(status);
  EXPECT_EQ(ErrorReasonOf(status), "ERROR_REASON_ALREADY_EXISTS");
}

TEST_F(OrganizationRpcTest, OnlyAdminCreates) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(kOrgA);
  *request.mutable_organization() = Valid();
  v1::Organization created;
  EXPECT_EQ(Create(request, &created, kOrgAdminA).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(request, &created, kStaffA).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(request, &created, "no-such-token").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::Organization read;
  EXPECT_EQ(Get(kOrgA, &read).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrganizationRpcTest, CreateRefusesBadIds) {
  for (const std::string id :
       {std::string(""), std::string("9lives"), std::string("Tongguan"), std::string("tong_guan"),
        std::string("tongguan-"), std::string(64, 'a')}) {
    EXPECT_EQ(CreateViolations(Valid(), id), (std::vector<std::string>{"organization_id"})) << id;
  }
}

TEST_F(OrganizationRpcTest, CreateRefusesEachBadField) {
  struct Case {
    std::string field;
    std::function<void(v1::Organization&)> spoil;
  };
  const std::vector<Case> cases = {
      {"organization.display_name", [](v1::Organization& o) { o.clear_display_name(); }},
      {"organization.display_name", [](v1::Organization& o) { o.set_display_name("   "); }},
      {"organization.display_name",
       [](v1::Organization& o) { o.set_display_name(std::string(101, 'x')); }},
      {"organization.time_zone", [](v1::Organization& o) { o.set_time_zone("Mars/Olympus"); }},
      {"organization.work_calendar.working_days[1].day",
       [](v1::Organization& o) {
         for (int i = 0; i < 2; ++i) {
           v1::WorkingDay* day = o.mutable_work_calendar()->add_working_days();
           day->set_day(fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
           *day->add_periods() = Period(9, 12);
         }
       }},
      {"organization.work_calendar.working_days[0].day",
       [](v1::Organization& o) {
         *o.mutable_work_calendar()->add_working_days()->add_periods() = Period(9, 12);
       }},
      {"organization.work_calendar.working_days[0].periods",
       [](v1::Organization& o) {
         o.mutable_work_calendar()->add_working_days()->set_day(
             fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
       }},
      {"organization.work_calendar.working_days[0].periods[0].end",
       [](v1::Organization& o) {
         v1::WorkingDay* day = o.mutable_work_calendar()->add_working_days();
         day->set_day(fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
         *day->add_periods() = Period(12, 9);
       }},
      {"organization.work_calendar.working_days[0].periods[0].start.minutes",
       [](v1::Organization& o) {
         v1::WorkingDay* day = o.mutable_work_calendar()->add_working_days();
         day->set_day(fieldwork::common::v1::DAY_OF_WEEK_MONDAY);
         *day->add_periods() = Period(9, 12);
         day->mutable_periods(0)->mutable_start()->set_minutes(60);
       }},
      {"organization.work_calendar.exceptions[0].kind",
       [](v1::Organization& o) {
         v1::CalendarException* e = o.mutable_work_calendar()->add_exceptions();
         e->mutable_date()->set_year(2026);
         e->mutable_date()->set_month(10);
         e->mutable_date()->set_day(1);
       }},
      {"organization.work_calendar.exceptions[0].date.year",
       [](v1::Organization& o) {
         v1::CalendarException* e = o.mutable_work_calendar()->add_exceptions();
         e->mutable_date()->set_year(1999);
         e->mutable_date()->set_month(10);
         e->mutable_date()->set_day(1);
         e->set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
       }},
      {"organization.work_calendar.exceptions[0].periods",
       [](v1::Organization& o) {
         v1::CalendarException* e = o.mutable_work_calendar()->add_exceptions();
         e->mutable_date()->set_year(2026);
         e->mutable_date()->set_month(10);
         e->mutable_date()->set_day(1);
         e->set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
         *e->add_periods() = Period(9, 12);
       }},
      {"organization.work_calendar.exceptions[0].description",
       [](v1::Organization& o) {
         v1::CalendarException* e = o.mutable_work_calendar()->add_exceptions();
         e->mutable_date()->set_year(2026);
         e->mutable_date()->set_month(10);
         e->mutable_date()->set_day(1);
         e->set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
         std::string long_text;
         for (int i = 0; i < 51; ++i) long_text += "节";
         e->set_description(long_text);
       }},
      {"organization.travel_buffer",
       [](v1::Organization& o) { o.mutable_travel_buffer()->set_seconds(-60); }},
      {"organization.travel_buffer",
       [](v1::Organization& o) { o.mutable_travel_buffer()->set_seconds(5 * 3600); }},
      {"organization.travel_buffer",
       [](v1::Organization& o) { o.mutable_travel_buffer()->set_seconds(90); }},
      {"organization.attendance_settings.grace",
       [](v1::Organization& o) {
         o.mutable_attendance_settings()->mutable_grace()->set_seconds(3 * 3600);
       }},
      {"organization.attendance_settings.auto_finalize_after",
       [](v1::Organization& o) {
         o.mutable_attendance_settings()->mutable_auto_finalize_after()->set_seconds(1800);
       }},
      {"organization.reporting_settings.attention_absence_threshold",
       [](v1::Organization& o) {
         o.mutable_reporting_settings()->set_attention_absence_threshold(101);
       }},
      {"organization.reporting_settings.annual_report_due_days",
       [](v1::Organization& o) {
         o.mutable_reporting_settings()->set_annual_report_due_days(366);
       }},
      {"organization.reporting_settings.scoring_table.base_score",
       [](v1::Organization& o) {
         o.mutable_reporting_settings()->mutable_scoring_table()->set_base_score(1000.5);
       }},
      {"organization.reporting_settings.scoring_table.rules[0].outcome",
       [](v1::Organization& o) {
         v1::ScoringRule* rule =
             o.mutable_reporting_settings()->mutable_scoring_table()->add_rules();
         rule->set_event_kind(v1::EVENT_KIND_VISIT);
         rule->set_points(1);
       }},
      {"organization.reporting_settings.scoring_table.rules[0].points",
       [](v1::Organization& o) {
         v1::ScoringRule* rule =
             o.mutable_reporting_settings()->mutable_scoring_table()->add_rules();
         rule->set_event_kind(v1::EVENT_KIND_VISIT);
         rule->set_outcome(fieldwork::common::v1::ATTENDANCE_OUTCOME_PRESENT);
         rule->set_points(101);
       }},
      {"organization.reporting_settings.scoring_table.bands[0].label",
       [](v1::Organization& o) {
         o.mutable_reporting_settings()->mutable_scoring_table()->add_bands()->set_min_score(90);
       }},
  };
  for (const Case& test : cases) {
    v1::Organization organization = Valid();
    test.spoil(organization);
    EXPECT_EQ(CreateViolations(organization), (std::vector<std::string>{test.field})) << test.field;
  }
}

TEST_F(OrganizationRpcTest, CreateRefusesBadRequestId) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(kOrgA);
  *request.mutable_organization() = Valid();
  request.set_request_id(std::string(65, 'r'));
  v1::Organization created;
  const grpc::Status status = Create(request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"request_id"}));
}

TEST_F(OrganizationRpcTest, CreateRetryWithSameRequestIdReplaysTheAnswer) {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(kOrgA);
  *request.mutable_organization() = Valid();
  request.set_request_id("6f1c2a4e-create");
  v1::Organization first;
  v1::Organization second;
  ASSERT_TRUE(Create(request, &first).ok());
  const grpc::Status again = Create(request, &second);
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());

  request.mutable_organization()->set_display_name("另一个");
  const grpc::Status reused = Create(request, &second);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(reused), (std::vector<std::string>{"request_id"}));
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
}

TEST_F(OrganizationRpcTest, GetFollowsRolesAndTenants) {
  CreateOrganizationOrDie(kOrgA);
  CreateOrganizationOrDie(kOrgB, "郊区政协");
  v1::Organization read;
  for (const char* token : {kAdmin, kService, kOrgAdminA, kStaffA, kMemberA1}) {
    EXPECT_TRUE(Get(kOrgA, &read, token).ok()) << token;
  }
  for (const char* token : {kStaffB, kOrgAdminB, kMemberB1}) {
    EXPECT_EQ(Get(kOrgA, &read, token).error_code(), grpc::StatusCode::NOT_FOUND) << token;
  }
  EXPECT_EQ(Get("nowhere", &read).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetOrganizationRequest malformed;
  malformed.set_name("organisations/tongguan");
  const grpc::Status status = Call(&Scheduling::GetOrganization, kAdmin, malformed, &read);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"name"}));
}

TEST_F(OrganizationRpcTest, ListPagesThroughOrganizationsById) {
  for (const char* id : {"e-org", "a-org", "d-org", "c-org", "b-org"}) CreateOrganizationOrDie(id);
  std::vector<std::string> names;
  v1::ListOrganizationsRequest request;
  request.set_page_size(2);
  int pages = 0;
  do {
    v1::ListOrganizationsResponse response;
    const grpc::Status status = Call(&Scheduling::ListOrganizations, kAdmin, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(response.total_size(), 5);
    EXPECT_LE(response.organizations_size(), 2);
    for (const auto& organization : response.organizations()) names.push_back(organization.name());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"organizations/a-org", "organizations/b-org",
                                             "organizations/c-org", "organizations/d-org",
                                             "organizations/e-org"}));
}

TEST_F(OrganizationRpcTest, ListShowsOtherRolesOnlyTheirOrganization) {
  CreateOrganizationOrDie(kOrgA);
  CreateOrganizationOrDie(kOrgB, "郊区政协");
  v1::ListOrganizationsResponse response;
  const grpc::Status status =
      Call(&Scheduling::ListOrganizations, kStaffB, v1::ListOrganizationsRequest(), &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(response.organizations_size(), 1);
  EXPECT_EQ(response.organizations(0).name(), "organizations/jiaoqu");
  EXPECT_EQ(response.total_size(), 1);
}

TEST_F(OrganizationRpcTest, ListRefusesBadPageSizeAndToken) {
  v1::ListOrganizationsResponse response;
  for (const int size : {-1, 501}) {
    v1::ListOrganizationsRequest request;
    request.set_page_size(size);
    const grpc::Status status = Call(&Scheduling::ListOrganizations, kAdmin, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << size;
    EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"page_size"}));
  }
  v1::ListOrganizationsRequest request;
  request.set_page_token("not a token");
  const grpc::Status status = Call(&Scheduling::ListOrganizations, kAdmin, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"page_token"}));
}

TEST_F(OrganizationRpcTest, UpdateChangesOnlyMaskedFields) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change;
  change.set_name(created.name());
  change.set_display_name("不该改");
  change.mutable_travel_buffer()->set_seconds(45 * 60);
  v1::Organization updated;
  const grpc::Status status = Update(change, {"travel_buffer"}, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(updated.travel_buffer().seconds(), 45 * 60);
  EXPECT_EQ(updated.display_name(), created.display_name());
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.updated_by(), kOrgAdminA);
  EXPECT_EQ(updated.reporting_settings().scoring_table().version(), 1);
  EXPECT_EQ(ChangeCount(kOrgA), 1);
  v1::Organization read;
  ASSERT_TRUE(Get(kOrgA, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), updated.SerializeAsString());
}

TEST_F(OrganizationRpcTest, UpdateRefusesStaleEtag) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change = created;
  change.set_display_name("铜官区政协（新）");
  v1::Organization updated;
  ASSERT_TRUE(Update(change, {"display_name"}, &updated).ok());
  change.set_display_name("过期的修改");
  const grpc::Status stale = Update(change, {"display_name"}, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << Describe(stale);
  EXPECT_EQ(ErrorReasonOf(stale), "ERROR_REASON_STALE_ETAG");
  v1::Organization read;
  ASSERT_TRUE(Get(kOrgA, &read).ok());
  EXPECT_EQ(read.display_name(), "铜官区政协（新）");
}

TEST_F(OrganizationRpcTest, ScoringTableVersionRisesOnlyWhenTheTableChanges) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change;
  change.set_name(created.name());
  v1::ScoringTable* table = change.mutable_reporting_settings()->mutable_scoring_table();
  table->set_base_score(50);
  v1::ScoreBand* band = table->add_bands();
  band->set_label("合格");
  band->set_min_score(0);
  v1::Organization updated;
  ASSERT_TRUE(Update(change, {"reporting_settings.scoring_table"}, &updated).ok());
  EXPECT_EQ(updated.reporting_settings().scoring_table().version(), 2);
  EXPECT_EQ(updated.reporting_settings().scoring_table().base_score(), 50);
  EXPECT_EQ(updated.reporting_settings().scoring_table().rules_size(), 0);

  change.mutable_reporting_settings()->set_attention_absence_threshold(4);
  ASSERT_TRUE(Update(change, {"reporting_settings.attention_absence_threshold"}, &updated).ok());
  EXPECT_EQ(updated.reporting_settings().attention_absence_threshold(), 4);
  EXPECT_EQ(updated.reporting_settings().scoring_table().version(), 2);

  change.mutable_reporting_settings()->clear_scoring_table();
  ASSERT_TRUE(Update(change, {"reporting_settings.scoring_table"}, &updated).ok());
  EXPECT_EQ(updated.reporting_settings().scoring_table().version(), 3);
  EXPECT_EQ(updated.reporting_settings().scoring_table().rules_size(), 48);
  EXPECT_EQ(updated.reporting_settings().scoring_table().base_score(), 60);
}

TEST_F(OrganizationRpcTest, UpdateRefusesBadMasksAndValues) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change;
  change.set_name(created.name());
  v1::Organization updated;
  for (const std::vector<std::string>& paths :
       std::vector<std::vector<std::string>>{{}, {"etag"}, {"create_time"}, {"no_such_field"}}) {
    const grpc::Status status = Update(change, paths, &updated);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"update_mask"}));
  }
  change.set_time_zone("Nowhere/Atlantis");
  const grpc::Status status = Update(change, {"time_zone"}, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(status), (std::vector<std::string>{"organization.time_zone"}));
  EXPECT_EQ(ChangeCount(kOrgA), 0);
}

TEST_F(OrganizationRpcTest, UpdateRetryWithSameRequestIdChangesNothingMore) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change;
  change.set_name(created.name());
  change.mutable_travel_buffer()->set_seconds(3600);
  v1::Organization first;
  v1::Organization second;
  ASSERT_TRUE(Update(change, {"travel_buffer"}, &first, kOrgAdminA, "req-1").ok());
  const grpc::Status again = Update(change, {"travel_buffer"}, &second, kOrgAdminA, "req-1");
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(ChangeCount(kOrgA), 1);

  change.mutable_travel_buffer()->set_seconds(1200);
  const grpc::Status reused = Update(change, {"travel_buffer"}, &second, kOrgAdminA, "req-1");
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorReasonOf(reused), "ERROR_REASON_REQUEST_ID_REUSED");
  v1::Organization read;
  ASSERT_TRUE(Get(kOrgA, &read).ok());
  EXPECT_EQ(read.travel_buffer().seconds(), 3600);
}

TEST_F(OrganizationRpcTest, UpdateFollowsRolesAndTenants) {
  const v1::Organization created = CreateOrganizationOrDie(kOrgA);
  v1::Organization change;
  change.set_name(created.name());
  change.set_display_name("改名");
  v1::Organization updated;
  EXPECT_EQ(Update(change, {"display_name"}, &updated, kStaffA).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Update(change, {"display_name"}, &updated, kMemberA1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Update(change, {"display_name"}, &updated, kOrgAdminB).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Update(change, {"display_name"}, &updated, kAdmin).ok());
}

TEST_F(OrganizationRpcTest, InvalidUtf8NeverReachesStorage) {
  // A C++ client cannot even serialize invalid UTF-8 into a string field, so send raw bytes.
  v1::CreateOrganizationRequest request;
  request.set_organization_id(kOrgA);
  request.mutable_organization()->set_display_name("@@");
  std::string bytes = request.SerializeAsString();
  bytes.replace(bytes.find("@@"), 2, "\xff\xfe");
  std::string response;
  const grpc::Status status =
      CallUnaryRaw(channel(), "/fieldwork.scheduling.v1.SchedulingService/CreateOrganization",
                   bytes, {{"authorization", absl::StrCat("Bearer ", kAdmin)}}, &response);
  EXPECT_FALSE(status.ok());
  v1::Organization read;
  EXPECT_EQ(Get(kOrgA, &read).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace fieldwork::testing
