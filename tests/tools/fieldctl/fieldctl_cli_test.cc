// Runs the real fieldctl binary against a real redis-server, fieldwork-scheduling,
// fieldwork-attendance and fieldwork-reporting (the reporting RPC fixture), each run with its own
// XDG_CONFIG_HOME, and checks what it prints on standard output and error and how it exits: every
// output format, the exit code of each error class, config contexts, roster CSV import, CJK
// alignment, events, holds, busy blocks, slots, watch, apply, check-in and check-out, codes,
// leave, finalization, corrections, reports and CSV export.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/harness/child_process.h"
#include "tests/services/reporting/reporting_fixture.h"

#ifndef FIELDCTL_BINARY
#error "FIELDCTL_BINARY must name the fieldctl executable"
#endif

extern char** environ;

namespace fieldwork::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// Scheduling, attendance and reporting (Redis flushed, kOrgA created), and a fieldctl context
// pointing at all three.
class FieldctlCliTest : public ReportingFixture {
 protected:
  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure()) return;
    dir_ = MakeTempDir("fieldctl-cli");
    // The context every run uses unless a test changes it.
    const CliRun set =
        Fieldctl({"config", "set-context", "test", "--server", service().address(),
                  "--attendance-server", attendance_service().address(), "--reporting-server",
                  reporting_service().address(), "--org", kOrgA, "--token", kStaffA});
    ASSERT_EQ(set.exit_code, 0) << set.err;
  }

  // Runs fieldctl with `args`, XDG_CONFIG_HOME in this test's directory, no FIELDWORK_* variables
  // but `env`, standard input from /dev/null.
  CliRun Fieldctl(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    const std::string out_path = absl::StrCat(dir_, "/stdout");
    const std::string err_path = absl::StrCat(dir_, "/stderr");
    std::vector<std::string> argv = {FIELDCTL_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> environment = {absl::StrCat("XDG_CONFIG_HOME=", dir_),
                                            "HOME=/nonexistent", "LANG=C.UTF-8"};
    environment.insert(environment.end(), env.begin(), env.end());
    std::vector<char*> argv_c;
    for (std::string& arg : argv) argv_c.push_back(arg.data());
    argv_c.push_back(nullptr);
    std::vector<char*> env_c;
    for (std::string& entry : environment) env_c.push_back(entry.data());
    env_c.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = 0;
    CliRun run;
    const int spawned =
        posix_spawn(&pid, argv_c[0], &actions, nullptr, argv_c.data(), env_c.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      ADD_FAILURE() << "cannot start " << FIELDCTL_BINARY;
      return run;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = ReadFile(out_path);
    run.err = ReadFile(err_path);
    return run;
  }

  std::string Path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }

  void CreateMembers() {
    const CliRun unit =
        Fieldctl({"create", "unit", "jingji", "--display-name", "经济界", "--kind", "sector"});
    ASSERT_EQ(unit.exit_code, 0) << unit.err;
    for (const auto& [id, name] :
         {std::pair("m1", "王建国"), std::pair("m2", "Li"), std::pair("m3", "欧阳明")}) {
      const CliRun run = Fieldctl({"create", "member", id, "--display-name", name, "--role",
                                   "member", "--units", "jingji"});
      ASSERT_EQ(run.exit_code, 0) << run.err;
    }
  }

  // Whole minutes, so tables show times without seconds.
  static absl::Time MinutesFromNow(int minutes) {
    return absl::FromUnixSeconds(absl::ToUnixSeconds(Now()) / 60 * 60) + absl::Minutes(minutes);
  }
  // `time` as fieldctl types and prints it: "2026-12-03 09:00" in kOrgA's zone (Asia/Shanghai).
  static std::string Local(absl::Time time) {
    absl::TimeZone zone;
    absl::LoadTimeZone("Asia/Shanghai", &zone);
    return absl::FormatTime("%Y-%m-%d %H:%M", time, zone);
  }

  // The roster (CreateMembers) and the event "past", three to two hours ago: m1 LEAD checked in
  // at the start and out at the end, m2 REQUIRED on approved leave, m3 OPTIONAL with nothing
  // recorded; all through fieldctl, finalized when `finalize`.
  void ArrangeEndedEvent(bool finalize = true) {
    CreateMembers();
    past_start_ = MinutesFromNow(-180);
    past_end_ = past_start_ + absl::Hours(1);
    CreateEventOrDie("past", past_start_, past_end_,
                     {{"m1", v1::PARTICIPANT_ROLE_LEAD},
                      {"m2", v1::PARTICIPANT_ROLE_REQUIRED},
                      {"m3", v1::PARTICIPANT_ROLE_OPTIONAL}});
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"check-in", "past", "m1", "--at", Local(past_start_)},
          std::vector<std::string>{"check-out", "past", "m1", "--at", Local(past_end_)},
          std::vector<std::string>{"create", "leave", "past", "m2", "--reason", "住院",
                                   "--approve"}}) {
      const CliRun run = Fieldctl(args);
      ASSERT_EQ(run.exit_code, 0) << args[0] << ": " << run.err;
    }
    if (!finalize) return;
    const CliRun finalized = Fieldctl({"finalize", "past"});
    ASSERT_EQ(finalized.exit_code, 0) << finalized.err;
  }
  // The report year of "past" (its year in the organization's zone).
  std::string PastYear() const { return Local(past_start_).substr(0, 4); }

  absl::Time past_start_;
  absl::Time past_end_;
  std::string dir_;
};

TEST_F(FieldctlCliTest, GetsMembersInEveryFormat) {
  CreateMembers();
  const CliRun table = Fieldctl({"get", "members"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')),
            "ID   DISPLAY NAME   ROLE     STATUS   UNITS    PHONE   AFFILIATION   TERM");
  EXPECT_THAT(table.out, HasSubstr("m1   王建国         MEMBER   ACTIVE   jingji"));

  const CliRun json = Fieldctl({"get", "member", "m1", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"name\": \"organizations/tongguan/members/m1\""));
  EXPECT_THAT(json.out, HasSubstr("\"displayName\": \"王建国\""));

  const CliRun yaml = Fieldctl({"list", "members", "-o", "yaml"});
  ASSERT_EQ(yaml.exit_code, 0) << yaml.err;
  EXPECT_THAT(yaml.out, HasSubstr("members:\n  - name: organizations/tongguan/members/m1\n"));
  EXPECT_THAT(yaml.out, HasSubstr("displayName: 欧阳明"));

  const CliRun csv = Fieldctl({"get", "members", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "ID,DISPLAY NAME,ROLE,STATUS,UNITS,PHONE,AFFILIATION,TERM\r\n"
            "m1,王建国,MEMBER,ACTIVE,jingji,,,\r\n"
            "m2,Li,MEMBER,ACTIVE,jingji,,,\r\n"
            "m3,欧阳明,MEMBER,ACTIVE,jingji,,,\r\n");
}

TEST_F(FieldctlCliTest, AlignsChineseColumnsByDisplayWidth) {
  CreateMembers();
  const CliRun run = Fieldctl({"get", "members", "m1", "m2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  // "ROLE" starts in the same terminal column on every line: 王建国 is 6 cells, "Li" 2.
  EXPECT_THAT(lines[1], HasSubstr("m1   王建国         MEMBER"));
  EXPECT_THAT(lines[2], HasSubstr("m2   Li             MEMBER"));
}

TEST_F(FieldctlCliTest, UpdatesAndDeletesRosterResources) {
  CreateMembers();
  const CliRun update = Fieldctl({"update", "member", "m2", "--phone", "138-0000", "-o", "json"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_THAT(update.out, HasSubstr("\"phone\": \"138-0000\""));
  const CliRun venue = Fieldctl({"create", "venue", "park", "--display-name", "高新技术产业园",
                                 "--kind", "industrial-park", "--exclusive", "true"});
  ASSERT_EQ(venue.exit_code, 0) << venue.err;
  EXPECT_THAT(venue.out, HasSubstr("park   高新技术产业园   INDUSTRIAL_PARK   0          yes"));
  const CliRun deleted = Fieldctl({"delete", "venue", "park"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "venue park deleted\n");
  EXPECT_EQ(Fieldctl({"get", "venue", "park"}).exit_code, 3);
}

TEST_F(FieldctlCliTest, InvalidArgumentNamesTheFieldAndExits2) {
  const CliRun run = Fieldctl({"create", "member", "m9", "--role", "member"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("error: invalid argument: member.display_name"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
  const CliRun bad_enum = Fieldctl({"create", "member", "m9", "--role", "boss"});
  EXPECT_EQ(bad_enum.exit_code, 2);
  EXPECT_THAT(bad_enum.err, HasSubstr("--role: \"boss\" is not one of member, "));
}

TEST_F(FieldctlCliTest, NotFoundExits3) {
  const CliRun run = Fieldctl({"get", "member", "nobody"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("error: not found"));
}

TEST_F(FieldctlCliTest, BookingConflictListsMemberEventAndTimesAndExits4) {
  CreateMembers();
  const std::vector<std::string> trip = {"create",
                                         "event",
                                         "trip",
                                         "--kind",
                                         "research-trip",
                                         "--title",
                                         "营商环境专题调研",
                                         "--start",
                                         "2026-12-03 09:00",
                                         "--end",
                                         "2026-12-03 12:00",
                                         "--participants",
                                         "m1:lead,m2",
                                         "--state",
                                         "scheduled"};
  const CliRun created = Fieldctl(trip);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("trip   营商环境专题调研   RESEARCH_TRIP   SCHEDULED   "
                                     "2026-12-03 09:00   2026-12-03 12:00"));
  const CliRun draft =
      Fieldctl({"create", "event", "insp", "--kind", "inspection", "--title", "集中视察", "--start",
                "2026-12-03T03:00:00Z", "--end", "2026-12-03T05:00:00Z", "--participants", "m1"});
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  const CliRun clash = Fieldctl({"schedule", "event", "insp"});
  EXPECT_EQ(clash.exit_code, 4);
  EXPECT_THAT(clash.err, HasSubstr("members/m1 is booked by events/trip at 2026-12-03 "
                                   "09:00–12:00"));
  const CliRun cancelled = Fieldctl({"cancel", "event", "trip", "--reason", "天气原因"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_THAT(cancelled.out, HasSubstr("CANCELLED"));
  const CliRun scheduled = Fieldctl({"schedule", "event", "insp", "-o", "yaml"});
  ASSERT_EQ(scheduled.exit_code, 0) << scheduled.err;
  EXPECT_THAT(scheduled.out, HasSubstr("state: EVENT_STATE_SCHEDULED"));
  const CliRun again = Fieldctl(trip);
  EXPECT_EQ(again.exit_code, 4);  // ALREADY_EXISTS
}

TEST_F(FieldctlCliTest, UnavailableServerExits5WithOneLine) {
  const CliRun run = Fieldctl(
      {"get", "members", "--timeout", "2", "--server", absl::StrCat("127.0.0.1:", PickFreePort())});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("error: unavailable: cannot reach the scheduling server at "
                                 "127.0.0.1:"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

TEST_F(FieldctlCliTest, PermissionAndAuthenticationErrorsExit6) {
  EXPECT_EQ(Fieldctl({"create", "unit", "u9", "--display-name", "x", "--kind", "sector", "--token",
                      kMemberA1})
                .exit_code,
            6);
  const CliRun bad_token = Fieldctl({"get", "members", "--token", "not-a-token"});
  EXPECT_EQ(bad_token.exit_code, 6);
  EXPECT_THAT(bad_token.err, HasSubstr("error: unauthenticated"));
}

TEST_F(FieldctlCliTest, UsageErrorsExit1AndHelpShowsAnExample) {
  EXPECT_EQ(Fieldctl({"get"}).exit_code, 1);
  EXPECT_EQ(Fieldctl({"frobnicate"}).exit_code, 1);
  EXPECT_EQ(Fieldctl({"get", "members", "--no-such-flag"}).exit_code, 1);
  const CliRun help = Fieldctl({"find", "slots", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Example:\n  fieldctl find slots --required"));
  const CliRun top = Fieldctl({"--help"});
  EXPECT_THAT(top.out, HasSubstr("4  conflict"));
}

TEST_F(FieldctlCliTest, ContextsEnvironmentAndFlagsCombine) {
  CreateMembers();
  const CliRun other =
      Fieldctl({"config", "set-context", "elsewhere", "--server",
                absl::StrCat("127.0.0.1:", PickFreePort()), "--org", kOrgA, "--token", kStaffA});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(other.out, "context elsewhere created\n");
  const CliRun view = Fieldctl({"config", "view"});
  EXPECT_THAT(view.out, HasSubstr("current-context: test"));
  EXPECT_THAT(view.out, HasSubstr("token: \"REDACTED\""));
  ASSERT_EQ(Fieldctl({"config", "use-context", "elsewhere"}).exit_code, 0);
  EXPECT_EQ(Fieldctl({"get", "members", "--timeout", "2"}).exit_code, 5);
  EXPECT_EQ(Fieldctl({"get", "members", "--context", "test"}).exit_code, 0);
  EXPECT_EQ(Fieldctl({"get", "members"}, {absl::StrCat("FIELDWORK_SERVER=", service().address())})
                .exit_code,
            0);
  EXPECT_EQ(Fieldctl({"get", "members", "--server", service().address()}).exit_code, 0);
  EXPECT_EQ(Fieldctl({"config", "use-context", "missing"}).exit_code, 3);
  EXPECT_EQ(Fieldctl({"get", "members", "--context", "test"}, {"FIELDWORK_ORG=jiaoqu"}).exit_code,
            3);
  const std::string token_file = Path("token");
  WriteFile(token_file, absl::StrCat(kStaffA, "\n"));
  ASSERT_EQ(Fieldctl({"config", "set-context", "test", "--token", "", "--token-file", token_file,
                      "--use"})
                .exit_code,
            0);
  EXPECT_EQ(Fieldctl({"get", "members"}).exit_code, 0);
}

TEST_F(FieldctlCliTest, ImportWithABadRowNamesItAndImportsNothing) {
  CreateMembers();
  WriteFile(Path("bad.csv"),
            "id,display_name,role,units\nm10,张三,member,jingji\nm11,,member,jingji\n"
            "m12,李四,member,nosuchunit\n");
  const CliRun bad = Fieldctl({"import", "members", Path("bad.csv")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("nothing imported: line 3 (display_name): "));
  EXPECT_THAT(bad.err, HasSubstr("line 4 (units"));
  EXPECT_EQ(Fieldctl({"get", "member", "m10"}).exit_code, 3);

  WriteFile(Path("local.csv"), "id,display_name,role\nm10,张三,boss\n");
  const CliRun local = Fieldctl({"import", "members", Path("local.csv")});
  EXPECT_EQ(local.exit_code, 2);
  EXPECT_THAT(local.err, HasSubstr("line 2 (role): \"boss\" is not one of"));

  const CliRun exported = Fieldctl({"get", "members", "-o", "csv"});
  WriteFile(Path("roundtrip.csv"), absl::StrCat(exported.out, "m10,张三,MEMBER,,jingji,,,\r\n"));
  const CliRun good = Fieldctl({"import", "members", Path("roundtrip.csv")});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_THAT(good.out, HasSubstr("1         0         3           no"));
  EXPECT_EQ(Fieldctl({"get", "member", "m10"}).exit_code, 0);
}

TEST_F(FieldctlCliTest, FindsSlotsAndBooksHoldsAndBusyBlocks) {
  CreateMembers();
  const CliRun busy = Fieldctl({"create", "busy-block", "m1", "trip", "--start", "2026-12-01 00:00",
                                "--end", "2026-12-02 00:00", "--reason", "出差"});
  ASSERT_EQ(busy.exit_code, 0) << busy.err;
  EXPECT_THAT(busy.out, HasSubstr("members/m1/busyBlocks/trip   2026-12-01 00:00"));
  const CliRun slots =
      Fieldctl({"find", "slots", "--required", "m1,m2", "--duration", "2h", "--from",
                "2026-12-01 08:00", "--to", "2026-12-03 00:00", "--max-results", "1", "-o", "csv"});
  ASSERT_EQ(slots.exit_code, 0) << slots.err;
  EXPECT_EQ(slots.out,
            "START,END,AVAILABLE,SHARE,BUSY OPTIONAL\r\n"
            "2026-12-02 08:30,2026-12-02 10:30,2/2,100%,\r\n");
  const CliRun hold = Fieldctl({"create", "hold", "h1", "--members", "m2", "--start",
                                "2026-12-02 08:30", "--end", "2026-12-02 10:30"});
  ASSERT_EQ(hold.exit_code, 0) << hold.err;
  EXPECT_THAT(hold.out, HasSubstr("h1   ACTIVE   2026-12-02 08:30"));
  const CliRun confirmed = Fieldctl(
      {"confirm", "hold", "h1", "--kind", "visit", "--title", "走访", "--event-id", "visit1"});
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  EXPECT_THAT(confirmed.out, HasSubstr("visit1   走访"));
  EXPECT_EQ(Fieldctl({"delete", "busy-block", "m1/trip"}).exit_code, 0);
  const CliRun blocks = Fieldctl({"get", "busy-blocks"});
  EXPECT_EQ(blocks.out, "No resources found.\n");
}

TEST_F(FieldctlCliTest, WatchPrintsChangesFromTheOldest) {
  CreateMembers();
  const CliRun run = Fieldctl(
      {"watch", "--from-oldest", "--type", "member-created", "--max-changes", "2", "-o", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("\"changeType\":\"CHANGE_TYPE_MEMBER_CREATED\""));
  EXPECT_THAT(lines[0], HasSubstr("\"resource\":\"organizations/tongguan/members/m1\""));
}

TEST_F(FieldctlCliTest, AppliesYamlCreatingThenUpdating) {
  WriteFile(Path("bad.yaml"), "kind: Unit\nname: tiaoyan\ndisplayName: 调研组\ncolour: x\n");
  const CliRun bad = Fieldctl({"apply", "-f", Path("bad.yaml")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("resource 1 (Unit)"));
  WriteFile(Path("roster.yaml"),
            "kind: Member\nname: m20\ndisplayName: 赵六\nrole: MEMBER_ROLE_MEMBER\n"
            "phone: 13800000000\n---\nkind: Member\nname: m21\ndisplayName: 钱七\n"
            "role: MEMBER_ROLE_CHAIR\n");
  const CliRun created = Fieldctl({"apply", "-f", Path("roster.yaml")});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "member m20 created\nmember m21 created\n");
  const CliRun updated = Fieldctl({"apply", "-f", Path("roster.yaml")});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(updated.out, "member m20 configured\nmember m21 configured\n");
  const CliRun json = Fieldctl({"get", "member", "m20", "-o", "json"});
  EXPECT_THAT(json.out, HasSubstr("\"phone\": \"13800000000\""));
}

TEST_F(FieldctlCliTest, ApplyResetsTheFieldsTheFileNamesToFalseAndZeroAndKeepsTheOthers) {
  WriteFile(Path("venue.yaml"),
            "resource: Venue\nname: hall\ndisplayName: 会议厅\nkind: VENUE_KIND_TOWN\n"
            "address: 长江路 1 号\ncapacity: 80\nexclusive: true\n");
  const CliRun created = Fieldctl({"apply", "-f", Path("venue.yaml")});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const CliRun before = Fieldctl({"get", "venue", "hall", "-o", "json"});
  ASSERT_THAT(before.out, HasSubstr("\"exclusive\": true"));
  ASSERT_THAT(before.out, HasSubstr("\"capacity\": 80"));

  WriteFile(Path("venue.yaml"), "resource: Venue\nname: hall\ncapacity: 0\nexclusive: false\n");
  const CliRun updated = Fieldctl({"apply", "-f", Path("venue.yaml")});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_EQ(updated.out, "venue hall configured\n");
  const CliRun after = Fieldctl({"get", "venue", "hall", "-o", "json"});
  EXPECT_THAT(after.out, Not(HasSubstr("\"exclusive\"")));
  EXPECT_THAT(after.out, Not(HasSubstr("\"capacity\"")));
  EXPECT_THAT(after.out, HasSubstr("\"displayName\": \"会议厅\""));
  EXPECT_THAT(after.out, HasSubstr("\"address\": \"长江路 1 号\""));
  EXPECT_THAT(after.out, HasSubstr("\"kind\": \"VENUE_KIND_TOWN\""));
}

TEST_F(FieldctlCliTest, ShowsOrganizationsInTheirTimeZone) {
  const CliRun run = Fieldctl({"get", "org", kOrgA});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("tongguan   铜官区政协     Asia/Shanghai   30m"));
  const CliRun updated =
      Fieldctl({"update", "org", "--travel-buffer", "45m", "--token", kOrgAdminA});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr("45m"));
}

TEST_F(FieldctlCliTest, StaffChecksInAndOutInTableAndJson) {
  CreateMembers();
  const absl::Time start = MinutesFromNow(-30);
  CreateEventOrDie("live", start, MinutesFromNow(120),
                   {{"m1", v1::PARTICIPANT_ROLE_LEAD}, {"m2", v1::PARTICIPANT_ROLE_REQUIRED}});
  const CliRun table = Fieldctl({"check-in", "live", "m1", "--at", Local(start)});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')),
            "EVENT   MEMBER   ROLE   RSVP   LEAVE   CHECK-IN           CHECK-OUT   OUTCOME");
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex(absl::StrCat("\nlive +m1 +LEAD +", Local(start), "\n$")));
  EXPECT_EQ(table.err, "");

  const CliRun json = Fieldctl({"check-in", "live", "m2", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out,
              HasSubstr("\"name\": \"organizations/tongguan/events/live/attendance/m2\""));
  EXPECT_THAT(json.out, HasSubstr("\"method\": \"CHECK_IN_METHOD_STAFF\""));
  EXPECT_THAT(json.out, HasSubstr("\"recordedBy\": \"staff-a-token\""));
  EXPECT_EQ(json.err, "note: m2 checked in late\n");

  const CliRun again = Fieldctl({"check-in", "live", "m1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err, "note: m1 was already checked in; the first check-in stands\n");
  EXPECT_THAT(again.out, HasSubstr(Local(start)));

  const CliRun both = Fieldctl({"check-out", "live", "m1", "m2", "-o", "csv"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(both.err, "note: m1 left early\nnote: m2 left early\n");
  const std::vector<std::string> rows = absl::StrSplit(both.out, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 3u) << both.out;
  EXPECT_THAT(rows[1], ::testing::StartsWith(absl::StrCat("live,m1,LEAD,,,", Local(start), ",")));
  EXPECT_THAT(rows[2], ::testing::StartsWith("live,m2,REQUIRED,,,"));
}

TEST_F(FieldctlCliTest, CheckInErrorsExitByClass) {
  CreateMembers();
  CreateEventOrDie("live", MinutesFromNow(-5), MinutesFromNow(120),
                   {{"m1", v1::PARTICIPANT_ROLE_LEAD}});
  // m1 is checked in and shown; m3, no participant, stops the command with exit 4.
  const CliRun stranger = Fieldctl({"check-in", "live", "m1", "m3"});
  EXPECT_EQ(stranger.exit_code, 4) << stranger.err;
  EXPECT_THAT(stranger.out, ::testing::ContainsRegex("\nlive +m1 +LEAD +[0-9]"));
  EXPECT_THAT(stranger.err, HasSubstr("error: refused: member organizations/tongguan/members/m3 "
                                      "is not a participant"));
  EXPECT_EQ(std::count(stranger.err.begin(), stranger.err.end(), '\n'), 1);
  const CliRun unknown = Fieldctl({"check-in", "nosuchevent", "m1"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  const CliRun bad_time = Fieldctl({"check-in", "live", "m1", "--at", "tomorrow"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.err;
  const CliRun member = Fieldctl({"check-in", "live", "m1", "--token", kMemberA2});
  EXPECT_EQ(member.exit_code, 6) << member.err;
  EXPECT_EQ(Fieldctl({"check-in", "live"}).exit_code, 1);
  const CliRun unreachable =
      Fieldctl({"check-in", "live", "m1", "--timeout", "2"},
               {absl::StrCat("FIELDWORK_ATTENDANCE_SERVER=127.0.0.1:", PickFreePort())});
  EXPECT_EQ(unreachable.exit_code, 5) << unreachable.err;
  EXPECT_THAT(unreachable.err, HasSubstr("cannot reach the attendance server"));
}

TEST_F(FieldctlCliTest, PrintsTheCheckInCodeOnceWhenPiped) {
  CreateMembers();
  CreateEventOrDie("live", MinutesFromNow(-5), MinutesFromNow(120),
                   {{"m1", v1::PARTICIPANT_ROLE_LEAD}});
  const CliRun run = Fieldctl({"code", "live"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_THAT(lines[0], ::testing::StartsWith("CODE     VALID UNTIL"));
  EXPECT_THAT(lines[1], ::testing::MatchesRegex("[0-9]{6}   .*"));
  const std::string code = lines[1].substr(0, 6);
  const CliRun json = Fieldctl({"code", "live", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, ::testing::ContainsRegex("\"code\": \"[0-9]{6}\""));
  EXPECT_EQ(Fieldctl({"code", "nosuchevent"}).exit_code, 3);
}

TEST_F(FieldctlCliTest, RequestsApprovesAndRejectsLeave) {
  CreateMembers();
  CreateEventOrDie("future", MinutesFromNow(24 * 60), MinutesFromNow(26 * 60),
                   {{"m1", v1::PARTICIPANT_ROLE_REQUIRED}, {"m2", v1::PARTICIPANT_ROLE_REQUIRED}});
  const CliRun requested =
      Fieldctl({"create", "leave", "future", "m1", "m2", "--reason", "出差在外"});
  ASSERT_EQ(requested.exit_code, 0) << requested.err;
  EXPECT_THAT(requested.out, HasSubstr("future   m1       REQUIRED          PENDING"));
  EXPECT_THAT(requested.out, HasSubstr("future   m2       REQUIRED          PENDING"));
  const CliRun approved = Fieldctl({"approve", "leave", "future", "m1", "--comment", "同意"});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_THAT(approved.out, HasSubstr("future   m1       REQUIRED          APPROVED"));
  const CliRun rejected =
      Fieldctl({"reject", "leave", "future", "m2", "--comment", "会议重要", "-o", "json"});
  ASSERT_EQ(rejected.exit_code, 0) << rejected.err;
  EXPECT_THAT(rejected.out, HasSubstr("\"state\": \"LEAVE_STATE_REJECTED\""));
  EXPECT_THAT(rejected.out, HasSubstr("\"decisionComment\": \"会议重要\""));
  EXPECT_EQ(Fieldctl({"approve", "leave", "future", "m2"}).exit_code, 4) << "already decided";
  EXPECT_EQ(Fieldctl({"create", "leave", "future", "m3", "--reason", "x"}).exit_code, 4);
}

TEST_F(FieldctlCliTest, FinalizesAnEndedEventOnceAndRefusesARunningOne) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent(false));
  const CliRun finalized = Fieldctl({"finalize", "past"});
  ASSERT_EQ(finalized.exit_code, 0) << finalized.err;
  EXPECT_THAT(finalized.out, ::testing::ContainsRegex("past +m1 +LEAD .* PRESENT\n"));
  EXPECT_THAT(finalized.out, ::testing::ContainsRegex("past +m2 +REQUIRED +APPROVED .* EXCUSED\n"));
  EXPECT_THAT(finalized.out, ::testing::ContainsRegex("past +m3 +OPTIONAL .* NOT_ATTENDED\n"));
  const CliRun again = Fieldctl({"finalize", "past"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("already finalized"));
  EXPECT_EQ(Fieldctl({"check-in", "past", "m3", "--at", Local(past_start_)}).exit_code, 4);
  CreateEventOrDie("live", MinutesFromNow(-5), MinutesFromNow(120),
                   {{"m1", v1::PARTICIPANT_ROLE_LEAD}});
  EXPECT_EQ(Fieldctl({"finalize", "live"}).exit_code, 4);
  EXPECT_EQ(Fieldctl({"finalize", "nosuchevent"}).exit_code, 3);
}

TEST_F(FieldctlCliTest, ListsAttendanceOfAnEventInEveryFormat) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun csv = Fieldctl({"list", "attendance", "past", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, absl::StrCat("EVENT,MEMBER,ROLE,RSVP,LEAVE,CHECK-IN,CHECK-OUT,OUTCOME\r\n"
                                  "past,m1,LEAD,,,",
                                  Local(past_start_), ",", Local(past_end_),
                                  ",PRESENT\r\n"
                                  "past,m2,REQUIRED,,APPROVED,,,EXCUSED\r\n"
                                  "past,m3,OPTIONAL,,,,,NOT_ATTENDED\r\n"));
  const CliRun table = Fieldctl({"get", "attendance", "past"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex(absl::StrCat("\npast +m1 +LEAD +", Local(past_start_), "   ",
                                                    Local(past_end_), "   PRESENT\n")));
  const CliRun json = Fieldctl({"list", "attendance", "past", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"outcome\": \"ATTENDANCE_OUTCOME_NOT_ATTENDED\""));
  EXPECT_THAT(json.out, HasSubstr("\"finalized\": true"));
  const CliRun yaml = Fieldctl({"list", "attendance", "past", "-o", "yaml"});
  ASSERT_EQ(yaml.exit_code, 0) << yaml.err;
  EXPECT_THAT(yaml.out,
              HasSubstr("records:\n  - name: organizations/tongguan/events/past/attendance/m1\n"));
  const CliRun one = Fieldctl({"get", "attendance", "past", "m2", "-o", "yaml"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("reason: 住院"));
  EXPECT_EQ(Fieldctl({"list", "attendance", "nosuchevent"}).exit_code, 3);
}

TEST_F(FieldctlCliTest, CorrectsAFinalizedOutcomeWithAReason) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun corrected = Fieldctl({"update", "attendance", "past", "m3", "--outcome", "absent",
                                     "--reason", "核实未请假", "-o", "json"});
  ASSERT_EQ(corrected.exit_code, 0) << corrected.err;
  EXPECT_THAT(corrected.out, HasSubstr("\"outcome\": \"ATTENDANCE_OUTCOME_ABSENT\""));
  EXPECT_THAT(corrected.out, HasSubstr("\"previousOutcome\": \"ATTENDANCE_OUTCOME_NOT_ATTENDED\""));
  EXPECT_THAT(corrected.out, HasSubstr("\"reason\": \"核实未请假\""));
  const CliRun table = Fieldctl({"get", "attendance", "past", "m3"});
  EXPECT_THAT(table.out, ::testing::ContainsRegex("past +m3 +OPTIONAL +ABSENT\n"));
  EXPECT_EQ(Fieldctl({"update", "attendance", "past", "m3", "--outcome", "absent"}).exit_code, 1);
  const CliRun bad =
      Fieldctl({"update", "attendance", "past", "m3", "--outcome", "asleep", "--reason", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--outcome: \"asleep\" is not one of"));
}

TEST_F(FieldctlCliTest, ReportsAMemberInTableAndJson) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun table = Fieldctl({"report", "member", "m1", "--year", PastYear()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const std::vector<std::string> lines = absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  EXPECT_THAT(lines[0], ::testing::StartsWith("王建国  score "));
  ASSERT_EQ(lines.size(), 4u) << table.out;
  EXPECT_THAT(lines[1], ::testing::StartsWith("KIND         EVENTS   INVITED   PRESENT"));
  EXPECT_THAT(lines[3], ::testing::ContainsRegex("^TOTAL +1 +1 +1 +0 +0 +0 +0 +0 +0 +100% +1 "));
  EXPECT_THAT(lines[2],
              ::testing::ContainsRegex("^INSPECTION +1 +1 +1 +0 +0 +0 +0 +0 +0 +100% +1 "));
  const CliRun json = Fieldctl({"report", "member", "m1", "--year", PastYear(), "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"displayName\": \"王建国\""));
  EXPECT_THAT(json.out, HasSubstr("\"event\": \"organizations/tongguan/events/past\""));
  EXPECT_THAT(json.out, HasSubstr("\"outcome\": \"ATTENDANCE_OUTCOME_PRESENT\""));
  const CliRun excused = Fieldctl({"report", "member", "m2", "--year", PastYear(), "-o", "csv"});
  ASSERT_EQ(excused.exit_code, 0) << excused.err;
  EXPECT_THAT(excused.out, ::testing::StartsWith("KIND,EVENTS,INVITED,PRESENT,LATE,LEFT EARLY,"
                                                 "EXCUSED,ABSENT,NOT ATTENDED,PENDING,RATE,HOURS,"
                                                 "POINTS\r\nINSPECTION,1,1,0,0,0,1,0,0,0,,0,"));
  EXPECT_EQ(Fieldctl({"report", "member", "nobody", "--year", PastYear()}).exit_code, 3);
  EXPECT_EQ(Fieldctl({"report", "member", "m1"}).exit_code, 2);
  EXPECT_EQ(
      Fieldctl({"report", "member", "m1", "--year", PastYear(), "--token", kMemberA2}).exit_code,
      6);
}

TEST_F(FieldctlCliTest, ReportsAnEventSheet) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun csv = Fieldctl({"report", "event", "past", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, absl::StrCat("MEMBER,DISPLAY NAME,ROLE,OUTCOME,PROVISIONAL,RSVP,CHECK-IN,"
                                  "CHECK-OUT,LEAVE,LEAVE REASON\r\n"
                                  "m1,王建国,LEAD,PRESENT,,,",
                                  Local(past_start_), ",", Local(past_end_),
                                  ",,\r\n"
                                  "m2,Li,REQUIRED,EXCUSED,,,,,APPROVED,住院\r\n"
                                  "m3,欧阳明,OPTIONAL,NOT_ATTENDED,,,,,,\r\n"));
  const CliRun table = Fieldctl({"report", "event", "past"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("m2       Li             REQUIRED   EXCUSED"));
  EXPECT_EQ(Fieldctl({"report", "event", "nosuchevent"}).exit_code, 3);
  // Before finalization the outcomes are marked provisional.
  CreateEventOrDie("live", MinutesFromNow(-5), MinutesFromNow(120),
                   {{"m1", v1::PARTICIPANT_ROLE_LEAD}});
  ASSERT_EQ(Fieldctl({"check-in", "live", "m1"}).exit_code, 0);
  const CliRun live = Fieldctl({"report", "event", "live", "-o", "csv"});
  ASSERT_EQ(live.exit_code, 0) << live.err;
  EXPECT_THAT(live.out, HasSubstr("\r\nm1,王建国,LEAD,PRESENT,yes,,"));
}

TEST_F(FieldctlCliTest, ReportsTheOrganizationAndAUnit) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun org = Fieldctl({"report", "org", "--year", PastYear(), "-o", "csv"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  // m3, optional and absent, is NOT ATTENDED and not counted as invited.
  EXPECT_THAT(org.out, HasSubstr("\r\nINSPECTION,1,2,1,0,0,1,0,1,0,100%,1,"));
  EXPECT_THAT(org.out, HasSubstr("\r\nTOTAL,1,2,1,0,0,1,0,1,0,100%,1,"));
  const CliRun org_json = Fieldctl({"report", "org", "--year", PastYear(), "-o", "json"});
  ASSERT_EQ(org_json.exit_code, 0) << org_json.err;
  EXPECT_THAT(org_json.out, HasSubstr("\"eventCount\": 1"));
  const CliRun unit = Fieldctl({"report", "unit", "jingji", "--year", PastYear()});
  ASSERT_EQ(unit.exit_code, 0) << unit.err;
  const std::vector<std::string> lines = absl::StrSplit(unit.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << unit.out;
  EXPECT_THAT(lines[0], ::testing::StartsWith("MEMBER   DISPLAY NAME   ROLE     SCORE"));
  EXPECT_THAT(lines[1], ::testing::StartsWith("m1       王建国         MEMBER"));
  EXPECT_THAT(lines[3], ::testing::StartsWith("m3       欧阳明         MEMBER"));
  const CliRun range =
      Fieldctl({"report", "unit", "jingji", "--from", Local(past_start_).substr(0, 10), "--to",
                Local(past_start_).substr(0, 10), "-o", "csv"});
  ASSERT_EQ(range.exit_code, 0) << range.err;
  EXPECT_THAT(range.out, ::testing::ContainsRegex("\r\nm2,Li,MEMBER,[^,]*,[^,]*,1,0,0,0,1,0,0,0,"));
  EXPECT_EQ(Fieldctl({"report", "unit", "nosuchunit", "--year", PastYear()}).exit_code, 3);
  EXPECT_EQ(Fieldctl({"report", "unit", "jingji", "--year", PastYear(), "--from", "2026-01-01"})
                .exit_code,
            1);
}

TEST_F(FieldctlCliTest, ExportsMemberEventsAsCsvWithOrWithoutBom) {
  ASSERT_NO_FATAL_FAILURE(ArrangeEndedEvent());
  const CliRun bom = Fieldctl({"export", "member-events", "m1", "--year", PastYear(), "-o", "csv"});
  ASSERT_EQ(bom.exit_code, 0) << bom.err;
  EXPECT_THAT(bom.out, ::testing::StartsWith("\xEF\xBB\xBF"));
  absl::StatusOr<std::vector<std::vector<std::string>>> rows = ParseCsvWithPython(bom.out);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u) << bom.out;
  EXPECT_THAT((*rows)[0], ::testing::ElementsAre("event", "title", "kind", "start_time", "end_time",
                                                 "role", "outcome", "points", "hours"));
  EXPECT_THAT((*rows)[1], ::testing::Contains("organizations/tongguan/events/past"));
  EXPECT_THAT((*rows)[1], ::testing::Contains("PRESENT"));
  const CliRun plain = Fieldctl({"export", "member-events", "m1", "--year", PastYear(), "-o", "csv",
                                 "--no-bom", "--file", Path("m1.csv")});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, "");
  const std::string file = ReadFile(Path("m1.csv"));
  EXPECT_EQ(file, bom.out.substr(3));
  EXPECT_THAT(plain.err, HasSubstr(absl::StrCat("wrote ", file.size(), " bytes to ")));
  EXPECT_EQ(
      Fieldctl({"export", "member-events", "m1", "--year", PastYear(), "-o", "json"}).exit_code, 2);
  EXPECT_EQ(
      Fieldctl({"export", "member-events", "nobody", "--year", PastYear(), "-o", "csv"}).exit_code,
      3);
  EXPECT_EQ(Fieldctl({"export", "no-such-table", "m1", "--year", PastYear()}).exit_code, 2);
  const CliRun no_subject = Fieldctl({"export", "member-events", "--year", PastYear()});
  EXPECT_EQ(no_subject.exit_code, 2);
  EXPECT_EQ(no_subject.err, "error: invalid argument: SUBJECT: member-events needs a member id\n");
  EXPECT_EQ(Fieldctl({"export", "attention-list", "m1", "--year", PastYear()}).exit_code, 2);
  const CliRun organization = Fieldctl({"export", "organization-kinds", "--year", PastYear()});
  ASSERT_EQ(organization.exit_code, 0) << organization.err;
  EXPECT_THAT(organization.out, HasSubstr("\r\nINSPECTION,1,2,1,0,0,1,0,1,0,"));
}

TEST_F(FieldctlCliTest, ListsTheAuditTrailOfAllThreeServicesNewestFirst) {
  ASSERT_EQ(Fieldctl({"create", "member", "aud1", "--display-name", "审计", "--role", "member"})
                .exit_code,
            0);
  ASSERT_EQ(
      Fieldctl({"export", "member-events", "aud1", "--year", "2026", "--file", Path("aud1.csv")})
          .exit_code,
      0);
  // Entries are written a moment after each call, by each service on its own schedule: poll
  // until both are there.
  const std::vector<std::string> list = {"audit",      "list",         "--token", kOrgAdminA,
                                         "--resource", "members/aud1", "-o",      "json"};
  const auto both_listed = [](const CliRun& run) {
    return absl::StrContains(run.out, "ExportReport") && absl::StrContains(run.out, "CreateMember");
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  CliRun json = Fieldctl(list);
  while (json.exit_code == 0 && !both_listed(json) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
    json = Fieldctl(list);
  }
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const size_t exported = json.out.find("ReportingService/ExportReport");
  const size_t created = json.out.find("RosterService/CreateMember");
  ASSERT_NE(exported, std::string::npos) << json.out;
  ASSERT_NE(created, std::string::npos) << json.out;
  EXPECT_LT(exported, created) << "newest first across services";

  const CliRun csv = Fieldctl({"audit", "list", "--token", kOrgAdminA, "--resource", "members/aud1",
                               "--method", "CreateMember", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::vector<std::string> lines = absl::StrSplit(csv.out, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << csv.out;
  EXPECT_EQ(lines[0], "TIME,SERVICE,METHOD,CALLER,RESOURCE,CODE,REASON,REPLAYED");
  EXPECT_THAT(lines[1], HasSubstr(",scheduling,CreateMember,staff-a-token,members/aud1,OK,,"));

  const CliRun table =
      Fieldctl({"audit", "list", "--token", kOrgAdminA, "--resource", "members/aud1"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("ExportReport"));
  EXPECT_THAT(table.out, ::testing::StartsWith("TIME"));

  EXPECT_EQ(Fieldctl({"audit", "list"}).exit_code, 6) << "staff may not read the trail";
  EXPECT_EQ(Fieldctl({"audit", "list", "--token", kOrgAdminA, "--method", "NoSuchRpc"}).exit_code,
            2);
}

}  // namespace
}  // namespace fieldwork::testing
