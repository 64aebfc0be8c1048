// ExportCalendar against the real binary and Redis, the document checked by an independent parser
// (Debian's python3-icalendar): Chinese titles round-trip, UIDs are stable across exports,
// SEQUENCE rises after a time change, cancelled events say STATUS:CANCELLED, a member's calendar
// holds only its events, and bad requests are refused.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/calendar_fixture.h"

namespace fieldwork::testing {
namespace {

// Prints each VEVENT as "KEY=value" lines and a "--" line after it; escapes newlines as "\n".
constexpr char kParser[] = R"py(
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print('VTIMEZONES=%d' % len(cal.walk('VTIMEZONE')))
for ev in cal.walk('VEVENT'):
    for key in ('UID', 'SUMMARY', 'DESCRIPTION', 'LOCATION', 'SEQUENCE', 'STATUS'):
        print('%s=%s' % (key, str(ev.get(key, '')).replace('\n', '\\n')))
    print('DTSTART=' + ev.decoded('DTSTART').isoformat())
    print('TZID=' + str(ev['DTSTART'].params.get('TZID')))
    print('--')
)py";

using ParsedEvent = std::map<std::string, std::string>;

struct ParsedCalendar {
  int timezones = 0;
  std::vector<ParsedEvent> events;
};

class CalendarExportRpcTest : public CalendarFixture {
 protected:
  v1::ExportCalendarResponse ExportOrDie(absl::string_view member = "",
                                         absl::string_view token = kStaffA) {
    v1::ExportCalendarResponse response;
    const grpc::Status status =
        Call(&Scheduling::ExportCalendar, token, Request(member), &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }

  static v1::ExportCalendarRequest Request(absl::string_view member = "") {
    v1::ExportCalendarRequest request;
    request.set_parent(absl::StrCat("organizations/", kOrgA));
    request.set_member(std::string(member));
    *request.mutable_time_range() = Range(Monday(0, 0, -10), Monday(0, 0, 30));
    return request;
  }

  // `document` as python3-icalendar reads it.
  static ParsedCalendar Parse(const std::string& document) {
    const std::string dir = MakeTempDir("ical-export");
    const std::string path = dir + "/calendar.ics";
    std::ofstream(path, std::ios::binary) << document;
    absl::StatusOr<std::unique_ptr<ChildProcess>> parser = ChildProcess::Spawn(
        {"/usr/bin/python3", "-c", kParser, path}, dir + "/parser.log", {"PYTHONIOENCODING=utf-8"});
    ParsedCalendar parsed;
    if (!parser.ok()) {
      ADD_FAILURE() << parser.status();
      return parsed;
    }
    const absl::StatusOr<int> exit_code = (*parser)->Wait(absl::Seconds(60));
    const std::string output = (*parser)->ReadLog();
    EXPECT_TRUE(exit_code.ok() && *exit_code == 0) << "python3-icalendar failed:\n" << output;
    ParsedEvent event;
    for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
      if (line == "--") {
        parsed.events.push_back(std::move(event));
        event.clear();
        continue;
      }
      const std::vector<std::string> pair = absl::StrSplit(line, absl::MaxSplits('=', 1));
      if (pair.size() != 2) continue;
      if (pair[0] == "VTIMEZONES") {
        parsed.timezones = std::stoi(pair[1]);
      } else {
        event[pair[0]] = pair[1];
      }
    }
    return parsed;
  }

  static const ParsedEvent* Find(const ParsedCalendar& calendar, const std::string& uid) {
    for (const ParsedEvent& event : calendar.events) {
      if (event.at("UID") == uid) return &event;
    }
    ADD_FAILURE() << "no VEVENT with UID " << uid;
    return nullptr;
  }

  void Move(const v1::Event& event, absl::Time start, absl::Time end) {
    v1::UpdateEventRequest request;
    request.mutable_event()->set_name(event.name());
    *request.mutable_event()->mutable_time_range() = Range(start, end);
    request.mutable_update_mask()->add_paths("time_range");
    v1::UpdateEventResponse response;
    const grpc::Status status = Call(&Scheduling::UpdateEvent, kStaffA, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  void Cancel(const v1::Event& event) {
    v1::CancelEventRequest request;
    request.set_name(event.name());
    request.set_reason("天气原因，改期");
    v1::Event response;
    const grpc::Status status = Call(&Scheduling::CancelEvent, kStaffA, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  static std::string Uid(const v1::Event& event) {
    return absl::StrCat(std::string(absl::StripPrefix(
                            event.name(), absl::StrCat("organizations/", kOrgA, "/events/"))),
                        "@", kOrgA, ".fieldwork");
  }
};

TEST_F(CalendarExportRpcTest, ParsesWithPythonIcalendarAndRoundTripsChineseText) {
  const std::string m1 = CreateMember("m1");
  const std::string venue = CreateVenue("park", /*exclusive=*/false);
  const std::string title =
      "关于优化营商环境、促进民营经济高质量发展的专题调研；深入高新技术产业园开展集中视察";
  const v1::Event event = CreateEvent(title, Monday(9), Monday(12), {m1}, venue);
  const v1::ExportCalendarResponse response = ExportOrDie();
  EXPECT_EQ(response.content_type(), "text/calendar; charset=utf-8");
  EXPECT_EQ(response.filename(), "tongguan-2029-2030.ics");
  EXPECT_EQ(response.event_count(), 1);
  EXPECT_TRUE(absl::StartsWith(response.content(), "BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(absl::StrContains(response.content(), "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
  for (absl::string_view line : absl::StrSplit(response.content(), "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
  }

  const ParsedCalendar parsed = Parse(response.content());
  EXPECT_EQ(parsed.timezones, 1);
  ASSERT_EQ(parsed.events.size(), 1u);
  const ParsedEvent& vevent = parsed.events[0];
  EXPECT_EQ(vevent.at("UID"), Uid(event));
  EXPECT_EQ(vevent.at("SUMMARY"), title);
  EXPECT_EQ(vevent.at("LOCATION"), "会议室park");
  EXPECT_EQ(vevent.at("STATUS"), "CONFIRMED");
  EXPECT_EQ(vevent.at("DTSTART"), "2030-01-07T09:00:00+08:00");
  EXPECT_EQ(vevent.at("TZID"), "Asia/Shanghai");
}

TEST_F(CalendarExportRpcTest, UidStaysAndSequenceRisesWhenTheTimeChanges) {
  const std::string m1 = CreateMember("m1");
  const v1::Event event = CreateEvent("视察", Monday(9), Monday(10), {m1});
  const ParsedCalendar before = Parse(ExportOrDie().content());
  Move(event, Monday(14), Monday(15));
  const ParsedCalendar after = Parse(ExportOrDie().content());
  const ParsedEvent* old_version = Find(before, Uid(event));
  const ParsedEvent* new_version = Find(after, Uid(event));
  ASSERT_NE(old_version, nullptr);
  ASSERT_NE(new_version, nullptr);
  EXPECT_GT(std::stoi(new_version->at("SEQUENCE")), std::stoi(old_version->at("SEQUENCE")));
  EXPECT_EQ(new_version->at("DTSTART"), "2030-01-07T14:00:00+08:00");
}

TEST_F(CalendarExportRpcTest, CancelledEventSaysStatusCancelled) {
  const std::string m1 = CreateMember("m1");
  const v1::Event event = CreateEvent("走访", Monday(9), Monday(10), {m1});
  Cancel(event);
  const ParsedCalendar parsed = Parse(ExportOrDie().content());
  const ParsedEvent* cancelled = Find(parsed, Uid(event));
  ASSERT_NE(cancelled, nullptr);
  EXPECT_EQ(cancelled->at("STATUS"), "CANCELLED");
  EXPECT_TRUE(absl::StrContains(cancelled->at("DESCRIPTION"), "天气原因，改期"));
  EXPECT_GE(std::stoi(cancelled->at("SEQUENCE")), 1);
}

TEST_F(CalendarExportRpcTest, MemberCalendarHoldsOnlyItsEventsAndDraftsNever) {
  const std::string m1 = CreateMember("m1");
  const std::string m2 = CreateMember("m2");
  const v1::Event mine = CreateEvent("本人", Monday(9), Monday(10), {m1});
  CreateEvent("他人", Monday(11), Monday(12), {m2});
  v1::CreateEventRequest draft;
  draft.set_parent(absl::StrCat("organizations/", kOrgA));
  draft.mutable_event()->set_kind(v1::EVENT_KIND_VISIT);
  draft.mutable_event()->set_title("草稿");
  *draft.mutable_event()->mutable_time_range() = Range(Monday(14), Monday(15));
  v1::CreateEventResponse created;
  ASSERT_TRUE(Call(&Scheduling::CreateEvent, kStaffA, draft, &created).ok());

  const v1::ExportCalendarResponse own = ExportOrDie(m1, kMemberA1);
  EXPECT_EQ(own.event_count(), 1);
  EXPECT_EQ(own.filename(), "tongguan-m1-2029-2030.ics");
  const ParsedCalendar parsed = Parse(own.content());
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].at("UID"), Uid(mine));

  EXPECT_EQ(ExportOrDie().event_count(), 2);  // the organization's: both, without the draft
}

TEST_F(CalendarExportRpcTest, ZoneWithDaylightSavingTimeParsesWithLocalTimes) {
  v1::UpdateOrganizationRequest update;
  update.mutable_organization()->set_name(absl::StrCat("organizations/", kOrgA));
  update.mutable_organization()->set_time_zone("America/New_York");
  update.mutable_update_mask()->add_paths("time_zone");
  v1::Organization organization;
  const grpc::Status updated =
      Call(&Scheduling::UpdateOrganization, kOrgAdminA, update, &organization);
  ASSERT_TRUE(updated.ok()) << Describe(updated);
  const std::string m1 = CreateMember("m1");
  CreateEvent("跨时区", Monday(9), Monday(10), {m1});  // 09:00 in Shanghai
  const v1::ExportCalendarResponse response = ExportOrDie();
  EXPECT_TRUE(absl::StrContains(response.content(), "BEGIN:STANDARD\r\n"));
  const ParsedCalendar parsed = Parse(response.content());
  EXPECT_EQ(parsed.timezones, 1);
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].at("TZID"), "America/New_York");
  EXPECT_EQ(parsed.events[0].at("DTSTART"), "2030-01-06T20:00:00-05:00");
}

TEST_F(CalendarExportRpcTest, RefusesBadRequestsAndOtherCallers) {
  CreateMember("m1");
  v1::ExportCalendarResponse response;
  v1::ExportCalendarRequest request = Request();
  *request.mutable_time_range() = Range(Monday(0), Monday(0, 0, 401));
  EXPECT_EQ(ViolationFields(Call(&Scheduling::ExportCalendar, kStaffA, request, &response)),
            std::vector<std::string>{"time_range"});
  request = Request("members/m1");
  EXPECT_EQ(ViolationFields(Call(&Scheduling::ExportCalendar, kStaffA, request, &response)),
            std::vector<std::string>{"member"});
  request = Request(MemberName("nobody"));
  EXPECT_EQ(ViolationFields(Call(&Scheduling::ExportCalendar, kStaffA, request, &response)),
            std::vector<std::string>{"member"});
  request = Request();
  request.set_parent("organizations/jiaoqu");
  EXPECT_EQ(Call(&Scheduling::ExportCalendar, kStaffA, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(&Scheduling::ExportCalendar, kMemberA1, Request(MemberName("m2")), &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&Scheduling::ExportCalendar, kMemberA1, Request(), &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace fieldwork::testing
