// Bad input to the reporting service, against the three real services: periods longer than five
// years, ending before they start, missing or out of range → INVALID_ARGUMENT naming the period
// field; malformed names → INVALID_ARGUMENT naming the field; unknown members, units, events and
// organizations → NOT_FOUND; export requests with the wrong table, subject or period refused.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/services/reporting/reporting_fixture.h"

namespace fieldwork::testing {
namespace {

class BadInputRpcTest : public ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    unit_ = CreateUnit("u1");
    member_ = CreateMember("m1", {unit_});
    organization_ = absl::StrCat("organizations/", kOrgA);
  }

  grpc::Status MemberReport(const std::string& member, const rep::ReportPeriod& period) {
    rep::GetMemberReportRequest request;
    request.set_member(member);
    *request.mutable_period() = period;
    rep::MemberReport report;
    return Call(&Reporting::GetMemberReport, kStaffA, request, &report);
  }
  grpc::Status UnitReport(const std::string& unit, const rep::ReportPeriod& period) {
    rep::GetUnitReportRequest request;
    request.set_unit(unit);
    *request.mutable_period() = period;
    rep::UnitReport report;
    return Call(&Reporting::GetUnitReport, kStaffA, request, &report);
  }
  grpc::Status Summary(const std::string& organization, const rep::ReportPeriod& period) {
    rep::GetOrganizationSummaryRequest request;
    request.set_organization(organization);
    *request.mutable_period() = period;
    rep::OrganizationSummary summary;
    return Call(&Reporting::GetOrganizationSummary, kStaffA, request, &summary);
  }
  grpc::Status Sheet(const std::string& event) {
    rep::GetEventSheetRequest request;
    request.set_event(event);
    rep::EventSheet sheet;
    return Call(&Reporting::GetEventSheet, kStaffA, request, &sheet);
  }
  grpc::Status ExportStatus(const rep::ExportReportRequest& request) {
    const ExportedReport exported = Export(kStaffA, request);
    if (!exported.status.ok()) {
      EXPECT_TRUE(exported.data.empty()) << "a refused export sent data: " << exported.data;
    }
    return exported.status;
  }

  // Every report that takes a period, asked with `period`.
  std::vector<std::pair<std::string, grpc::Status>> EveryPeriodReport(
      const rep::ReportPeriod& period) {
    rep::ExportReportRequest request;
    request.set_table(rep::REPORT_TABLE_UNIT_MEMBERS);
    request.set_subject(unit_);
    *request.mutable_period() = period;
    return {{"member report", MemberReport(member_, period)},
            {"unit report", UnitReport(unit_, period)},
            {"summary", Summary(organization_, period)},
            {"export", ExportStatus(request)}};
  }

  std::string unit_;
  std::string member_;
  std::string organization_;
};

// INVALID_ARGUMENT with a FieldViolations path equal to `field` or below it.
void ExpectInvalidField(const grpc::Status& status, absl::string_view field,
                        absl::string_view what) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << what << ": " << Describe(status);
  const std::vector<std::string> fields = ViolationFields(status);
  const bool named = std::any_of(fields.begin(), fields.end(), [field](const std::string& path) {
    return path == field || absl::StartsWith(path, absl::StrCat(field, "."));
  });
  EXPECT_TRUE(named) << what << ": no violation on " << field << " in ["
                     << absl::StrJoin(fields, ", ") << "]";
}

// NOT_FOUND whose message names what was asked for (the field or the name).
void ExpectNotFound(const grpc::Status& status, absl::string_view field, absl::string_view what) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << what << ": " << Describe(status);
  EXPECT_TRUE(absl::StrContains(status.error_message(), field)) << what << ": " << Describe(status);
}

TEST_F(BadInputRpcTest, PeriodLongerThanFiveYearsIsInvalidNamingThePeriod) {
  // 2021-01-01 … 2026-01-01 is 5 × 365 + 1 (2024) + 1 = 1827 days: the longest accepted.
  for (const auto& [what, status] :
       EveryPeriodReport(Days(absl::CivilDay(2021, 1, 1), absl::CivilDay(2026, 1, 1)))) {
    EXPECT_TRUE(status.ok()) << what << " over 1827 days: " << Describe(status);
  }
  for (const auto& [what, status] :
       EveryPeriodReport(Days(absl::CivilDay(2021, 1, 1), absl::CivilDay(2026, 1, 2)))) {
    ExpectInvalidField(status, "period", absl::StrCat(what, " over 1828 days"));
  }
  for (const auto& [what, status] :
       EveryPeriodReport(Days(absl::CivilDay(2000, 1, 1), absl::CivilDay(2100, 12, 31)))) {
    ExpectInvalidField(status, "period", absl::StrCat(what, " over a century"));
  }
}

TEST_F(BadInputRpcTest, PeriodEndingBeforeItStartsIsInvalid) {
  for (const auto& [what, status] :
       EveryPeriodReport(Days(absl::CivilDay(2026, 6, 1), absl::CivilDay(2026, 5, 31)))) {
    ExpectInvalidField(status, "period", what);
  }
  // A single day is a valid period.
  for (const auto& [what, status] :
       EveryPeriodReport(Days(absl::CivilDay(2026, 6, 1), absl::CivilDay(2026, 6, 1)))) {
    EXPECT_TRUE(status.ok()) << what << ": " << Describe(status);
  }
}

TEST_F(BadInputRpcTest, MissingOrOutOfRangePeriodIsInvalid) {
  for (const auto& [what, status] : EveryPeriodReport(rep::ReportPeriod())) {
    ExpectInvalidField(status, "period", absl::StrCat(what, " without period"));
  }
  for (const int year : {1999, 2101}) {
    for (const auto& [what, status] : EveryPeriodReport(Year(year))) {
      ExpectInvalidField(status, "period.year", absl::StrCat(what, " year ", year));
    }
  }
  rep::ReportPeriod february30 = Days(absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 2, 28));
  february30.mutable_date_range()->mutable_last_date()->set_day(30);
  for (const auto& [what, status] : EveryPeriodReport(february30)) {
    ExpectInvalidField(status, "period.date_range", absl::StrCat(what, " until 2026-02-30"));
  }
}

TEST_F(BadInputRpcTest, UnknownSubjectsAreNotFound) {
  ExpectNotFound(MemberReport(MemberName("m99"), Year(2026)), "member", "unknown member");
  ExpectNotFound(UnitReport(UnitName("nope"), Year(2026)), "unit", "unknown unit");
  ExpectNotFound(Sheet(EventName("nope")), "event", "unknown event");
  ExpectNotFound(Summary("organizations/nowhere", Year(2026)), "organization",
                 "unknown organization");
  rep::ExportReportRequest request;
  request.set_table(rep::REPORT_TABLE_MEMBER_EVENTS);
  request.set_subject(MemberName("m99"));
  *request.mutable_period() = Year(2026);
  ExpectNotFound(ExportStatus(request), "member", "export of unknown member");
}

TEST_F(BadInputRpcTest, MalformedNamesAreInvalidNamingTheField) {
  ExpectInvalidField(MemberReport("bogus", Year(2026)), "member", "member bogus");
  ExpectInvalidField(MemberReport("", Year(2026)), "member", "member empty");
  ExpectInvalidField(UnitReport(member_, Year(2026)), "unit", "a member name as unit");
  ExpectInvalidField(Sheet(""), "event", "event empty");
  ExpectInvalidField(Sheet(absl::StrCat(organization_, "/events/Not_An_Id")), "event",
                     "event id with capitals");
  ExpectInvalidField(Summary("organizations/", Year(2026)), "organization",
                     "organization empty id");
}

TEST_F(BadInputRpcTest, ExportRequestsAreValidated) {
  rep::ExportReportRequest unspecified;
  unspecified.set_subject(organization_);
  *unspecified.mutable_period() = Year(2026);
  ExpectInvalidField(ExportStatus(unspecified), "table", "table unspecified");

  rep::ExportReportRequest sheet_with_period;
  sheet_with_period.set_table(rep::REPORT_TABLE_EVENT_SHEET);
  sheet_with_period.set_subject(EventName("e1"));
  *sheet_with_period.mutable_period() = Year(2026);
  ExpectInvalidField(ExportStatus(sheet_with_period), "period", "event sheet with a period");

  rep::ExportReportRequest without_period;
  without_period.set_table(rep::REPORT_TABLE_UNIT_MEMBERS);
  without_period.set_subject(unit_);
  ExpectInvalidField(ExportStatus(without_period), "period", "unit members without period");

  rep::ExportReportRequest wrong_subject;
  wrong_subject.set_table(rep::REPORT_TABLE_MEMBER_EVENTS);
  wrong_subject.set_subject(unit_);
  *wrong_subject.mutable_period() = Year(2026);
  ExpectInvalidField(ExportStatus(wrong_subject), "subject", "member table about a unit");

  rep::ExportReportRequest unknown_format = without_period;
  *unknown_format.mutable_period() = Year(2026);
  unknown_format.set_format(static_cast<rep::ExportFormat>(99));
  ExpectInvalidField(ExportStatus(unknown_format), "format", "format 99");

  rep::ExportReportRequest unknown_table = without_period;
  *unknown_table.mutable_period() = Year(2026);
  unknown_table.set_table(static_cast<rep::ReportTable>(99));
  ExpectInvalidField(ExportStatus(unknown_table), "table", "table 99");
}

}  // namespace
}  // namespace fieldwork::testing
