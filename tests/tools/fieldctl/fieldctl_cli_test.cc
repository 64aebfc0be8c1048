// Runs the real fieldctl binary against a real redis-server and fieldwork-scheduling (the
// scheduling RPC fixture), each run with its own XDG_CONFIG_HOME, and checks what it prints on
// standard output and error and how it exits: every output format, the exit code of each error
// class, config contexts, roster CSV import, CJK alignment, events, holds, busy blocks, slots,
// watch and apply.
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
#include "tests/harness/child_process.h"
#include "tests/services/scheduling/scheduling_fixture.h"

#ifndef FIELDCTL_BINARY
#error "FIELDCTL_BINARY must name the fieldctl executable"
#endif

extern char** environ;

namespace fieldwork::testing {
namespace {

using ::testing::HasSubstr;

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

class FieldctlCliTest : public SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    dir_ = MakeTempDir("fieldctl-cli");
    CreateOrganizationOrDie(kOrgA);
    // The context every run uses unless a test changes it.
    const CliRun set = Fieldctl({"config", "set-context", "test", "--server", service().address(),
                                 "--org", kOrgA, "--token", kStaffA});
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

TEST_F(FieldctlCliTest, ShowsOrganizationsInTheirTimeZone) {
  const CliRun run = Fieldctl({"get", "org", kOrgA});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("tongguan   铜官区政协     Asia/Shanghai   30m"));
  const CliRun updated =
      Fieldctl({"update", "org", "--travel-buffer", "45m", "--token", kOrgAdminA});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr("45m"));
}

}  // namespace
}  // namespace fieldwork::testing
