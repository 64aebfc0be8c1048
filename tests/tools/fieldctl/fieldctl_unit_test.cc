// Unit tests of fieldctl's pure logic: display width, tables, CSV, times, exit codes, config
// contexts, output conversions, error lines, roster CSV, command-line names, report periods and
// subjects, and report tables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/errors.h"
#include "fieldwork/common/v1/audit.pb.h"
#include "fieldwork/scheduling/v1/event_kind.pb.h"
#include "fieldwork/scheduling/v1/venue.pb.h"
#include "tools/fieldctl/audit_listing.h"
#include "tools/fieldctl/config_file.h"
#include "tools/fieldctl/csv.h"
#include "tools/fieldctl/display_width.h"
#include "tools/fieldctl/error_text.h"
#include "tools/fieldctl/exit_codes.h"
#include "tools/fieldctl/member_csv.h"
#include "tools/fieldctl/output_format.h"
#include "tools/fieldctl/report_args.h"
#include "tools/fieldctl/report_tables.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/table.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

namespace v1 = ::fieldwork::scheduling::v1;

TEST(DisplayWidthTest, CountsAsciiAsOneCell) { EXPECT_EQ(DisplayWidth("abc 12"), 6u); }

TEST(DisplayWidthTest, CountsChineseAndFullwidthAsTwoCells) {
  EXPECT_EQ(DisplayWidth("王建国"), 6u);
  EXPECT_EQ(DisplayWidth("经济界A"), 7u);
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4u);  // fullwidth Latin
  EXPECT_EQ(DisplayWidth("，。"), 4u);  // CJK punctuation
  EXPECT_EQ(DisplayWidth("한국"), 4u);  // Hangul
  EXPECT_EQ(DisplayWidth("𠀀"), 2u);    // CJK extension B, four UTF-8 bytes
}

TEST(DisplayWidthTest, CountsCombiningMarksAsZero) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(CodePointWidth(0x200B), 0);      // zero-width space
}

TEST(DisplayWidthTest, CountsInvalidBytesAsOneCellEach) { EXPECT_EQ(DisplayWidth("\xFF\xFE"), 2u); }

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  const Table table{{"ID", "NAME", "ROLE"}, {{"m1", "王建国", "MEMBER"}, {"m22", "Li", "CHAIR"}}};
  EXPECT_EQ(RenderTable(table),
            "ID    NAME     ROLE\n"
            "m1    王建国   MEMBER\n"
            "m22   Li       CHAIR\n");
}

TEST(TableTest, KeepsCellsOnOneLine) {
  const Table table{{"A", "B"}, {{"x\ny", "z"}}};
  EXPECT_EQ(RenderTable(table), "A     B\nx y   z\n");
}

TEST(TableTest, SaysWhenThereAreNoRows) {
  EXPECT_EQ(RenderTable(Table{{"A"}, {}}), "No resources found.\n");
}

TEST(CsvTest, QuotesFieldsThatNeedIt) {
  EXPECT_EQ(FormatCsvRecord({"a", "b,c", "say \"hi\"", "x\ny", "王"}),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",王\r\n");
}

TEST(CsvTest, ParsesQuotedFieldsBomAndLineEnds) {
  const auto records =
      ParseCsv("\xEF\xBB\xBFid,name\r\nm1,\"王, 建国\"\n\nm2,\"a \"\"b\"\"\nc\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0], (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ((*records)[1], (std::vector<std::string>{"m1", "王, 建国"}));
  EXPECT_EQ((*records)[2], (std::vector<std::string>{"m2", "a \"b\"\nc"}));
}

TEST(CsvTest, NamesTheLineOfAnUnclosedQuote) {
  const auto records = ParseCsv("id\nm1\n\"m2\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().message(), "line 3: quoted field is never closed");
}

TEST(CsvTest, RoundTripsATable) {
  const Table table{{"A", "B"}, {{"1,2", "\""}}};
  const auto records = ParseCsv(FormatCsv(table));
  ASSERT_TRUE(records.ok());
  EXPECT_EQ((*records)[1], table.rows[0]);
}

class TimeInputTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai_)); }
  absl::TimeZone shanghai_;
};

TEST_F(TimeInputTest, ReadsCivilTimeInTheOrganizationZone) {
  const auto time = ParseTimeInput("2026-12-03 09:00", shanghai_);
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_full, *time, absl::UTCTimeZone()),
            "2026-12-03T01:00:00+00:00");
  EXPECT_EQ(*ParseTimeInput("2026-12-03T09:00:30", shanghai_), *time + absl::Seconds(30));
  EXPECT_EQ(*ParseTimeInput("2026-12-03", shanghai_), *time - absl::Hours(9));
}

TEST_F(TimeInputTest, ReadsRfc3339WithItsOwnOffset) {
  const auto time = ParseTimeInput("2026-12-03T09:00:00Z", shanghai_);
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(FormatTimeIn(*time, shanghai_), "2026-12-03 17:00");
}

TEST_F(TimeInputTest, RefusesOtherTextShowingTheAcceptedForms) {
  const auto time = ParseTimeInput("next tuesday", shanghai_);
  ASSERT_FALSE(time.ok());
  EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(time.status().message().find("2026-12-03 09:00"), absl::string_view::npos);
}

TEST_F(TimeInputTest, FormatsRangesWithinAndAcrossDays) {
  const absl::Time start = *ParseTimeInput("2026-12-03 09:00", shanghai_);
  EXPECT_EQ(FormatTimeRangeIn(start, start + absl::Hours(2), shanghai_), "2026-12-03 09:00–11:00");
  EXPECT_EQ(FormatTimeRangeIn(start, start + absl::Hours(24), shanghai_),
            "2026-12-03 09:00 – 2026-12-04 09:00");
  EXPECT_EQ(FormatTimeIn(absl::UnixEpoch(), shanghai_), "");
}

TEST(DurationInputTest, ReadsGoDurationsAndRefusesNonPositive) {
  EXPECT_EQ(*ParseDurationInput("2h30m"), absl::Minutes(150));
  EXPECT_FALSE(ParseDurationInput("0s").ok());
  EXPECT_FALSE(ParseDurationInput("soon").ok());
}

TEST(ExitCodesTest, MapsEveryErrorClass) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), kExitOk);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("")), kExitInvalidArgument);
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("")), kExitNotFound);
  EXPECT_EQ(ExitCodeFor(absl::FailedPreconditionError("")), kExitConflict);
  EXPECT_EQ(ExitCodeFor(absl::AbortedError("")), kExitConflict);
  EXPECT_EQ(ExitCodeFor(absl::AlreadyExistsError("")), kExitConflict);
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError("")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(absl::DeadlineExceededError("")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(absl::PermissionDeniedError("")), kExitPermission);
  EXPECT_EQ(ExitCodeFor(absl::UnauthenticatedError("")), kExitPermission);
  EXPECT_EQ(ExitCodeFor(absl::InternalError("")), kExitOther);
}

GetEnv FakeEnv(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    const auto found = shared->find(name);
    return found == shared->end() ? nullptr : found->second.c_str();
  };
}

constexpr char kConfig[] = R"(current-context: local
contexts:
  - name: local
    server: 127.0.0.1:50051             # scheduling
    attendance-server: 127.0.0.1:50052
    reporting-server: 127.0.0.1:50053
    organization: demo                   # organization id
    token: ""                            # or token-file: /path
    token-file: "/tmp/token"
    ca-file: ""
    cert-file: ""
    key-file: ""
  - name: prod
    server: fieldwork.example:443
    organization: tongguan
    token: secret
)";

TEST(ConfigFileTest, ReadsTheDocumentedFormat) {
  const auto config = ParseConfigFile(kConfig);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->current_context, "local");
  ASSERT_EQ(config->contexts.size(), 2u);
  EXPECT_EQ(config->contexts[0].attendance_server, "127.0.0.1:50052");
  EXPECT_EQ(config->contexts[0].token_file, "/tmp/token");
  EXPECT_EQ(config->contexts[1].reporting_server, "");
}

TEST(ConfigFileTest, WritesWhatItReads) {
  const auto config = ParseConfigFile(kConfig);
  ASSERT_TRUE(config.ok());
  const auto again = ParseConfigFile(FormatConfigFile(*config));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(FormatConfigFile(*again), FormatConfigFile(*config));
  EXPECT_EQ(again->contexts[1].token, "secret");
}

TEST(ConfigFileTest, NamesWhatIsMalformed) {
  EXPECT_EQ(ParseConfigFile("contexts:\n  - server: x\n").status().message(),
            "contexts[0].name is missing");
  EXPECT_FALSE(ParseConfigFile("contexts: 3\n").ok());
}

TEST(ConfigFileTest, PathFollowsXdgThenHome) {
  EXPECT_EQ(ConfigFilePath(FakeEnv({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}})),
            "/x/fieldwork/config.yaml");
  EXPECT_EQ(ConfigFilePath(FakeEnv({{"HOME", "/h"}})), "/h/.config/fieldwork/config.yaml");
}

TEST(ResolveConnectionTest, FlagsBeatEnvironmentBeatsContext) {
  const ConfigFile config = *ParseConfigFile(kConfig);
  const auto from_context = ResolveConnection(config, {}, FakeEnv({}));
  ASSERT_TRUE(from_context.ok());
  EXPECT_EQ(from_context->server, "127.0.0.1:50051");
  EXPECT_EQ(from_context->organization, "demo");
  EXPECT_EQ(from_context->token_file, "/tmp/token");

  const auto from_env = ResolveConnection(config, {},
                                          FakeEnv({{"FIELDWORK_SERVER", "env:1"},
                                                   {"FIELDWORK_ORG", "envorg"},
                                                   {"FIELDWORK_TOKEN", "envtoken"},
                                                   {"FIELDWORK_ATTENDANCE_SERVER", "a:2"}}));
  EXPECT_EQ(from_env->server, "env:1");
  EXPECT_EQ(from_env->attendance_server, "a:2");
  EXPECT_EQ(from_env->reporting_server, "127.0.0.1:50053");
  EXPECT_EQ(from_env->organization, "envorg");
  EXPECT_EQ(from_env->token, "envtoken");
  EXPECT_EQ(from_env->token_file, "");

  ConnectionFlags flags;
  flags.context = "prod";
  flags.organization = "organizations/other";
  const auto from_flags = ResolveConnection(config, flags, FakeEnv({{"FIELDWORK_ORG", "envorg"}}));
  EXPECT_EQ(from_flags->server, "fieldwork.example:443");
  EXPECT_EQ(from_flags->attendance_server, "fieldwork.example:443");
  EXPECT_EQ(from_flags->organization, "other");
  EXPECT_EQ(from_flags->token, "secret");
}

TEST(ResolveConnectionTest, UnknownContextIsNotFound) {
  ConnectionFlags flags;
  flags.context = "nope";
  EXPECT_EQ(ResolveConnection(ConfigFile(), flags, FakeEnv({})).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(OutputFormatTest, ParsesTheFourFormats) {
  EXPECT_EQ(*ParseOutputFormat("yaml"), OutputFormat::kYaml);
  EXPECT_FALSE(ParseOutputFormat("xml").ok());
}

TEST(OutputFormatTest, PrintsMessagesAsJsonAndYaml) {
  v1::Member member;
  member.set_name("organizations/o/members/m1");
  member.set_display_name("王建国");
  member.set_phone("13800000000");
  member.set_role(v1::MEMBER_ROLE_MEMBER);
  EXPECT_EQ(
      MessageToJson(member, false),
      R"({"name":"organizations/o/members/m1","displayName":"王建国","role":"MEMBER_ROLE_MEMBER","phone":"13800000000"})");
  EXPECT_EQ(*JsonToYaml(MessageToJson(member)),
            "name: organizations/o/members/m1\ndisplayName: 王建国\nrole: MEMBER_ROLE_MEMBER\n"
            "phone: \"13800000000\"\n");
}

TEST(OutputFormatTest, ReadsYamlDocumentsIntoMessages) {
  const auto documents = ReadInputDocuments(
      "kind: Member\nname: m1\ndisplayName: 王建国\nrole: member-role-member\nphone: 13800000000\n"
      "---\n- kind: Unit\n  name: u1\n");
  ASSERT_TRUE(documents.ok()) << documents.status();
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ((*documents)[0].kind, "Member");
  EXPECT_EQ((*documents)[1].kind, "Unit");
  v1::Member member;
  ASSERT_TRUE(
      JsonToMessage(R"({"name":"m1","phone":"13800000000","role":"MEMBER_ROLE_CHAIR"})", &member)
          .ok());
  EXPECT_EQ(member.role(), v1::MEMBER_ROLE_CHAIR);
  v1::Venue venue;
  const auto venue_documents = ReadInputDocuments("kind: Venue\ncapacity: 40\nexclusive: true\n");
  ASSERT_TRUE(JsonToMessage((*venue_documents)[0].json, &venue).ok());
  EXPECT_EQ(venue.capacity(), 40);
  EXPECT_TRUE(venue.exclusive());
}

TEST(OutputFormatTest, AResourceKeyNamesTheTypeAndLeavesKindToTheResource) {
  const auto documents = ReadInputDocuments(
      "resource: Venue\nname: hall\nkind: VENUE_KIND_TOWN\n---\nkind: Unit\nname: u1\n");
  ASSERT_TRUE(documents.ok()) << documents.status();
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ((*documents)[0].kind, "Venue");
  v1::Venue venue;
  ASSERT_TRUE(JsonToMessage((*documents)[0].json, &venue).ok());
  EXPECT_EQ(venue.kind(), v1::VENUE_KIND_TOWN);
  EXPECT_EQ((*documents)[1].kind, "Unit");
  EXPECT_EQ((*documents)[1].json.find("kind"), std::string::npos);
}

TEST(OutputFormatTest, NamedFieldsAreTheKeysGivenWhateverTheirValues) {
  const auto named =
      NamedFields(R"({"name":"hall","capacity":0,"exclusive":false,"display_name":""})",
                  *v1::Venue::descriptor());
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(*named, (std::vector<std::string>{"capacity", "display_name", "exclusive"}));
  const auto camel = NamedFields(R"({"displayName":"会议厅"})", *v1::Venue::descriptor());
  ASSERT_TRUE(camel.ok()) << camel.status();
  EXPECT_EQ(*camel, (std::vector<std::string>{"display_name"}));
}

TEST(OutputFormatTest, RefusesDocumentsWithoutKind) {
  EXPECT_EQ(ReadInputDocuments("name: m1\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadInputDocuments("a: [\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadInputDocuments("resource: [Venue]\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ErrorLineTest, NamesEveryInvalidField) {
  FieldErrors errors;
  errors.Add("member.display_name", "must not be empty");
  errors.Add("member.role", "is required");
  EXPECT_EQ(ErrorLine(errors.ToStatus(), absl::UTCTimeZone()),
            "error: invalid argument: member.display_name: must not be empty; member.role: is "
            "required");
}

TEST(ErrorLineTest, ListsConflictsWithMemberEventAndTimes) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  common::v1::Conflicts conflicts;
  auto* conflict = conflicts.add_conflicts();
  conflict->set_calendar("organizations/o/members/m1");
  conflict->set_booked_by("organizations/o/events/trip");
  *conflict->mutable_start_time() = ToProtoTime(*ParseTimeInput("2026-12-03 09:00", shanghai));
  *conflict->mutable_end_time() = ToProtoTime(*ParseTimeInput("2026-12-03 12:00", shanghai));
  conflict->set_reason("member busy");
  EXPECT_EQ(ErrorLine(ConflictError("booking conflict", conflicts), shanghai),
            "error: refused: booking conflict: members/m1 is booked by events/trip at "
            "2026-12-03 09:00–12:00 (member busy)");
}

TEST(ErrorLineTest, KeepsOtherMessagesOnOneLine) {
  EXPECT_EQ(ErrorLine(absl::NotFoundError("no such\nmember"), absl::UTCTimeZone()),
            "error: not found: no such member");
}

TEST(ResourceArgsTest, ExpandsIdsAndChecksNames) {
  EXPECT_EQ(*ResourceNameArg(ResourceKind::kMember, "o", "m7"), "organizations/o/members/m7");
  EXPECT_EQ(*ResourceNameArg(ResourceKind::kEvent, "o", "organizations/x/events/e1"),
            "organizations/x/events/e1");
  EXPECT_FALSE(ResourceNameArg(ResourceKind::kMember, "o", "Bad Id").ok());
  EXPECT_FALSE(ResourceNameArg(ResourceKind::kUnit, "o", "organizations/o/members/m1").ok());
  EXPECT_EQ(*BusyBlockNameArg("o", "m7/trip"), "organizations/o/members/m7/busyBlocks/trip");
  EXPECT_EQ(IdOf("organizations/o/members/m7"), "m7");
  EXPECT_EQ(ShortName("organizations/o/members/m7"), "members/m7");
}

TEST(ResourceArgsTest, ReadsAndShowsShortEnumNames) {
  EXPECT_EQ(*ParseEnumArg<v1::EventKind>("research-trip"), v1::EVENT_KIND_RESEARCH_TRIP);
  EXPECT_EQ(*ParseEnumArg<v1::EventKind>("EVENT_KIND_INSPECTION"), v1::EVENT_KIND_INSPECTION);
  EXPECT_FALSE(ParseEnumArg<v1::EventKind>("unspecified").ok());
  EXPECT_EQ(EnumLabel(v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER), "STANDING_COMMITTEE_MEMBER");
  EXPECT_EQ(EnumLabel(v1::MEMBER_ROLE_UNSPECIFIED), "");
  EXPECT_EQ(EnumChoices<v1::MemberStatus>(), "active, inactive");
}

TEST(MemberCsvTest, ReadsRowsInAnyColumnOrder) {
  const auto rows = ParseMemberCsv(
      "Display Name,ID,role,units,phone\n王建国,m1,member,jingji;tiaoyan,138\n李四,m2,chair,,\n",
      "o");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->members.size(), 2u);
  EXPECT_EQ(rows->members[0].name(), "organizations/o/members/m1");
  EXPECT_EQ(rows->members[0].display_name(), "王建国");
  EXPECT_EQ(rows->members[0].units_size(), 2);
  EXPECT_EQ(rows->members[1].role(), v1::MEMBER_ROLE_CHAIR);
  EXPECT_EQ(rows->lines, (std::vector<int>{2, 3}));
}

TEST(MemberCsvTest, NamesLineAndColumnOfABadCell) {
  const auto rows = ParseMemberCsv("id,display_name,role\nm1,A,member\nm2,B,boss\n", "o");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message().substr(0, 26), "line 3 (role): \"boss\" is n");
}

TEST(MemberCsvTest, RefusesUnknownAndMissingColumns) {
  EXPECT_NE(ParseMemberCsv("id,display_name,role,age\n", "o").status().message().find("age"),
            absl::string_view::npos);
  EXPECT_NE(ParseMemberCsv("id,role\nm1,member\n", "o").status().message().find("display_name"),
            absl::string_view::npos);
}

TEST(MemberCsvTest, MapsServerViolationsToFileLines) {
  EXPECT_EQ(DescribeRowViolation("members[1].display_name", "must not be empty", {2, 5}),
            "line 5 (display_name): must not be empty");
  EXPECT_EQ(DescribeRowViolation("members[0].units[2]", "unknown unit", {2}),
            "line 2 (units): unknown unit");
  EXPECT_EQ(DescribeRowViolation("parent", "bad", {2}), "parent: bad");
}

namespace rv1 = ::fieldwork::reporting::v1;

TEST(ReportArgsTest, TakesAYearOrAnInclusiveDateRange) {
  absl::StatusOr<rv1::ReportPeriod> year = ReportPeriodArg({2026, "", ""});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->year(), 2026);
  absl::StatusOr<rv1::ReportPeriod> range = ReportPeriodArg({0, "2026-01-01", "2026-06-30"});
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->date_range().last_date().month(), 6);
  EXPECT_EQ(range->date_range().last_date().day(), 30);
  EXPECT_EQ(ReportPeriodArg({0, "2026-01-01", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ReportPeriodArg({0, "2026-01-01", "June"}).status().message()),
              ::testing::HasSubstr("\"June\" is not a date"));
}

TEST(ReportArgsTest, NamesTheSubjectEachTableNeeds) {
  EXPECT_EQ(*ReportSubjectArg(rv1::REPORT_TABLE_MEMBER_EVENTS, "tongguan", "m1"),
            "organizations/tongguan/members/m1");
  EXPECT_EQ(*ReportSubjectArg(rv1::REPORT_TABLE_UNIT_MEMBERS, "tongguan", "jingji"),
            "organizations/tongguan/units/jingji");
  EXPECT_EQ(*ReportSubjectArg(rv1::REPORT_TABLE_EVENT_SHEET, "tongguan", "trip1"),
            "organizations/tongguan/events/trip1");
  EXPECT_EQ(*ReportSubjectArg(rv1::REPORT_TABLE_ATTENTION_LIST, "tongguan", ""),
            "organizations/tongguan");
}

TEST(ReportArgsTest, RefusesAMissingOrUnexpectedSubjectNamingIt) {
  const absl::Status missing =
      ReportSubjectArg(rv1::REPORT_TABLE_MEMBER_EVENTS, "tongguan", "").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(), "SUBJECT: member-events needs a member id");
  const absl::Status extra =
      ReportSubjectArg(rv1::REPORT_TABLE_ORGANIZATION_KINDS, "tongguan", "m1").status();
  EXPECT_EQ(extra.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(extra.message()),
              ::testing::HasSubstr("SUBJECT: the organization's tables take none"));
  EXPECT_THAT(std::string(ReportSubjectArg(rv1::REPORT_TABLE_UNIT_MEMBERS, "tongguan", "Bad Id")
                              .status()
                              .message()),
              ::testing::StartsWith("SUBJECT: "));
}

TEST(ReportTablesTest, KindsEndWithATotalRowAndCountNotAttended) {
  Items<rv1::KindStats> kinds;
  rv1::KindStats& inspection = *kinds.Add();
  inspection.set_kind(v1::EVENT_KIND_INSPECTION);
  inspection.set_event_count(2);
  inspection.mutable_stats()->set_not_attended(1);
  rv1::KindStats& meeting = *kinds.Add();
  meeting.set_kind(v1::EVENT_KIND_MEETING);
  meeting.set_event_count(1);
  rv1::AttendanceStats totals;
  totals.set_invited(3);
  totals.set_not_attended(1);
  totals.set_attendance_rate(0.5);
  const Table table = KindsTable(kinds, totals);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_THAT(table.headers, ::testing::Contains("NOT ATTENDED"));
  const size_t not_attended =
      std::find(table.headers.begin(), table.headers.end(), "NOT ATTENDED") - table.headers.begin();
  EXPECT_EQ(table.rows[0][not_attended], "1");
  EXPECT_EQ(table.rows[2][0], "TOTAL");
  EXPECT_EQ(table.rows[2][1], "3");
  EXPECT_EQ(table.rows[2][2], "3");
  EXPECT_EQ(table.rows[2][not_attended], "1");
  EXPECT_THAT(table.rows[2], ::testing::Contains("50%"));
}

TEST(ReportTablesTest, EventSheetMarksProvisionalOutcomes) {
  Items<rv1::EventSheetLine> lines;
  rv1::EventSheetLine& line = *lines.Add();
  line.set_member("organizations/tongguan/members/m1");
  line.set_outcome(common::v1::ATTENDANCE_OUTCOME_PRESENT);
  line.set_provisional(true);
  lines.Add()->set_member("organizations/tongguan/members/m2");
  const Table table = EventSheetTable(lines, absl::UTCTimeZone());
  ASSERT_EQ(table.headers[4], "PROVISIONAL");
  EXPECT_EQ(table.rows[0][3], "PRESENT");
  EXPECT_EQ(table.rows[0][4], "yes");
  EXPECT_EQ(table.rows[1][4], "");
}

namespace cv1 = ::fieldwork::common::v1;

cv1::AuditEntry AuditEntryAt(int64_t seconds, const std::string& name) {
  cv1::AuditEntry entry;
  entry.mutable_time()->set_seconds(seconds);
  entry.set_name(name);
  return entry;
}

std::vector<std::string> AuditNames(const std::vector<cv1::AuditEntry>& entries) {
  std::vector<std::string> names;
  for (const cv1::AuditEntry& entry : entries) names.push_back(entry.name());
  return names;
}

TEST(AuditListingTest, MergesTrailsNewestFirstOnceEachUpToTheLimit) {
  const std::vector<std::vector<cv1::AuditEntry>> trails = {
      {AuditEntryAt(30, "s-3"), AuditEntryAt(10, "s-1")},
      {AuditEntryAt(20, "a-2"), AuditEntryAt(10, "a-1")},
      {AuditEntryAt(30, "s-3")}};  // the scheduling server asked twice
  EXPECT_EQ(AuditNames(MergeAuditTrails(trails, 0)),
            (std::vector<std::string>{"s-3", "a-2", "s-1", "a-1"}));
  EXPECT_EQ(AuditNames(MergeAuditTrails(trails, 2)), (std::vector<std::string>{"s-3", "a-2"}));
}

TEST(AuditListingTest, CompletesMethodAndResourceFlags) {
  EXPECT_EQ(AuditMethodArg("CancelEvent").value_or(""),
            "/fieldwork.scheduling.v1.SchedulingService/CancelEvent");
  EXPECT_EQ(AuditMethodArg("CreateMember").value_or(""),
            "/fieldwork.scheduling.v1.RosterService/CreateMember");
  EXPECT_EQ(AuditMethodArg("ExportReport").value_or(""),
            "/fieldwork.reporting.v1.ReportingService/ExportReport");
  EXPECT_EQ(AuditMethodArg("/x.Y/Z").value_or(""), "/x.Y/Z");
  EXPECT_EQ(AuditMethodArg("").value_or("?"), "");
  EXPECT_EQ(AuditMethodArg("NoSuchRpc").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AuditResourceArg("o1", "events/e1"), "organizations/o1/events/e1");
  EXPECT_EQ(AuditResourceArg("o1", "organizations/o2"), "organizations/o2");
  EXPECT_EQ(AuditResourceArg("o1", ""), "");
}

TEST(AuditListingTest, TableShowsWhoDidWhatAndHowItEnded) {
  cv1::AuditEntry entry = AuditEntryAt(1767225600, "organizations/o1/auditEntries/s-1");
  entry.set_service("scheduling");
  entry.set_method("/fieldwork.scheduling.v1.SchedulingService/CancelEvent");
  entry.mutable_caller()->set_subject("attendance");
  entry.mutable_original_caller()->set_subject("staff-li");
  entry.set_resource("organizations/o1/events/e1");
  entry.set_status_code(10);
  entry.set_error_reason("ERROR_REASON_STALE_ETAG");
  entry.set_replayed(true);
  google::protobuf::RepeatedPtrField<cv1::AuditEntry> items;
  *items.Add() = entry;
  const Table table = AuditTable(items, absl::UTCTimeZone());
  EXPECT_THAT(table.headers, ::testing::ElementsAre("TIME", "SERVICE", "METHOD", "CALLER",
                                                    "RESOURCE", "CODE", "REASON", "REPLAYED"));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0], ::testing::ElementsAre("2026-01-01 00:00", "scheduling", "CancelEvent",
                                                    "attendance for staff-li", "events/e1",
                                                    "ABORTED", "ERROR_REASON_STALE_ETAG", "yes"));
}

}  // namespace
}  // namespace fieldwork::fieldctl
