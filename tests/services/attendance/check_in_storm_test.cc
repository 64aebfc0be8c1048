// The check-in storm: in each of three organizations, 300 members check in with the event's code
// within seconds of its start, each twice at once (a double tap) through two different attendance
// replicas of three, against the real scheduling and attendance binaries on the Redis that
// FIELDWORK_TEST_REDIS names (tests/harness/redis_under_test.h): one redis-server by default, a
// Redis Cluster of 3 masters + 3 replicas with the organizations on different masters, or a
// Sentinel deployment. The middle replica keeps an event cache (--event-cache-ttl), so a double
// tap often meets one cached and one uncached replica. No check-in is lost and each is recorded once: every call succeeds, exactly
// one of each member's two answers is the first check-in, both answers carry the same kept time,
// and a fourth attendance process reads back 300 records per organization with exactly those
// times. Each run creates its own organizations, so nothing is flushed. Bounded: a fixed number of
// calls, each with a deadline and at most a few retries.
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/token_store.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/harness/redis_under_test.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

constexpr int kOrganizations = 3;
constexpr int kMembers = 300;  // per organization
constexpr int kReplicas = 3;
constexpr int kTapsPerMember = 2;
constexpr int kWorkers = 24;
constexpr int kMaxTries = 4;

std::string StormMemberId(int i) { return absl::StrFormat("s%03d", i); }
std::string StormMemberToken(const std::string& organization, int i) {
  return absl::StrFormat("storm-%s-member-%03d-token", organization, i);
}
std::string StormMemberSubject(const std::string& organization, int i) {
  return absl::StrCat("organizations/", organization, "/members/", StormMemberId(i));
}
std::string StormStaffToken(const std::string& organization) {
  return absl::StrCat("storm-", organization, "-staff-token");
}
std::string RecordName(const std::string& event, int i) {
  return absl::StrCat(event, "/attendance/", StormMemberId(i));
}

// A tokens file with a staff caller and the storm members of each organization (the scheduling
// fixture's file has only its fixed cast).
absl::StatusOr<std::string> WriteStormTokensFile(const std::vector<std::string>& organizations) {
  const std::string path = absl::StrCat(MakeTempDir("storm-tokens"), "/tokens.yaml");
  std::ofstream out(path);
  out << "tokens:\n";
  for (const std::string& organization : organizations) {
    out << "  - sha256: " << Sha256Hex(StormStaffToken(organization)) << "\n    subject: \""
        << StormStaffToken(organization) << "\"\n    role: staff\n    organization: \""
        << organization << "\"\n";
    for (int i = 0; i < kMembers; ++i) {
      out << "  - sha256: " << Sha256Hex(StormMemberToken(organization, i)) << "\n    subject: \""
          << StormMemberSubject(organization, i) << "\"\n    role: member\n    organization: \""
          << organization << "\"\n";
    }
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  if (chmod(path.c_str(), 0600) != 0) return absl::InternalError(absl::StrCat("chmod ", path));
  return path;
}

// The code the staff's screen shows: issued once, issued again when its step is over (the previous
// step's code stays valid for another step, so members never hold an expired one for long).
class CodeScreen {
 public:
  CodeScreen(Attendance* stub, std::string staff_token, std::string event)
      : stub_(stub), staff_token_(std::move(staff_token)), event_(std::move(event)) {}

  // The code on the screen, issued anew first if its step is over.
  absl::StatusOr<std::string> Show() {
    absl::MutexLock lock(&mutex_);
    if (!code_.empty() && absl::Now() < refresh_time_) return code_;
    return IssueLocked();
  }
  // Issues a new code if the screen still shows `stale` (a member found it refused).
  void Refresh(const std::string& stale) {
    absl::MutexLock lock(&mutex_);
    if (code_ == stale) IssueLocked().status().IgnoreError();
  }
  int issued() {
    absl::MutexLock lock(&mutex_);
    return issued_;
  }

 private:
  absl::StatusOr<std::string> IssueLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    att::IssueCheckInCodeRequest request;
    request.set_event(event_);
    att::IssueCheckInCodeResponse response;
    grpc::ClientContext context;
    PrepareContext(context, staff_token_, absl::Seconds(30));
    const grpc::Status status = stub_->IssueCheckInCode(&context, request, &response);
    if (!status.ok()) return absl::UnavailableError(Describe(status));
    code_ = response.code();
    refresh_time_ = FromTimestamp(response.refresh_time());
    ++issued_;
    return code_;
  }

  Attendance* const stub_;
  const std::string staff_token_;
  const std::string event_;
  absl::Mutex mutex_;
  std::string code_ ABSL_GUARDED_BY(mutex_);
  absl::Time refresh_time_ ABSL_GUARDED_BY(mutex_);
  int issued_ ABSL_GUARDED_BY(mutex_) = 0;
};

// One tap of one member: what the last try answered and how many tries it took.
struct Tap {
  att::CheckInRequest request;
  grpc::Status status;
  att::CheckInResponse response;
  int tries = 0;
};

// Where member `i`'s tap `tap` of organization `o` sits in the storm's queue: a member's two taps
// are neighbours, so two workers send them at the same moment, through different replicas, and the
// organizations take turns.
int TapIndex(int o, int i, int tap) { return (i * kOrganizations + o) * kTapsPerMember + tap; }

class CheckInStormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time redis_start = absl::Now();
    absl::StatusOr<std::unique_ptr<RedisUnderTest>> redis = RedisUnderTest::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_start_time_ = absl::Now() - redis_start;
    redis_ = *std::move(redis);
    absl::StatusOr<std::vector<std::string>> organizations =
        redis_->OrganizationsOverMasters("storm", kOrganizations);
    ASSERT_TRUE(organizations.ok()) << organizations.status();
    organizations_ = *std::move(organizations);
    // On the cluster, one organization per master (OrganizationsOverMasters chose them so).
    const absl::Status spread = redis_->CheckOrganizationsOnEveryMaster(organizations_);
    ASSERT_TRUE(spread.ok()) << spread;

    absl::StatusOr<std::unique_ptr<ServiceProcess>> scheduling =
        StartSchedulingReplica(redis_->url());
    ASSERT_TRUE(scheduling.ok()) << scheduling.status();
    scheduling_process_ = *std::move(scheduling);
    scheduling_ = v1::SchedulingService::NewStub(scheduling_process_->channel());
    for (const std::string& organization : organizations_) {
      ASSERT_NO_FATAL_FAILURE(CreateOrganizationWithMembers(organization));
    }

    const absl::StatusOr<std::string> tokens = WriteStormTokensFile(organizations_);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    // kReplicas replicas take the storm; one more process reads the records back.
    for (int i = 0; i <= kReplicas; ++i) {
      AttendanceReplicaOptions options;
      options.redis_url = redis_->url();
      options.scheduling_target = scheduling_process_->address();
      options.tokens_file = *tokens;
      if (i == 1) options.extra_flags.push_back("--event-cache-ttl=1s");
      absl::StatusOr<std::unique_ptr<ServiceProcess>> replica = StartAttendanceReplica(options);
      ASSERT_TRUE(replica.ok()) << replica.status();
      stubs_.push_back(att::AttendanceService::NewStub((*replica)->channel()));
      replicas_.push_back(*std::move(replica));
    }
  }

  void CreateOrganizationWithMembers(const std::string& organization) {
    grpc::Status status;
    {
      v1::CreateOrganizationRequest request;
      request.set_organization_id(organization);
      request.mutable_organization()->set_display_name(absl::StrCat("风暴政协 ", organization));
      v1::Organization created;
      grpc::ClientContext context;
      PrepareContext(context, kAdmin);
      status = scheduling_->CreateOrganization(&context, request, &created);
      ASSERT_TRUE(status.ok()) << "CreateOrganization " << organization << ": " << Describe(status);
    }
    auto roster = v1::RosterService::NewStub(scheduling_process_->channel());
    v1::ImportMembersRequest import;
    import.set_parent(absl::StrCat("organizations/", organization));
    for (int i = 0; i < kMembers; ++i) {
      v1::Member& member = *import.add_members();
      member.set_name(StormMemberSubject(organization, i));
      member.set_display_name(absl::StrCat("委员", i));
      member.set_role(v1::MEMBER_ROLE_MEMBER);
      member.set_status(v1::MEMBER_STATUS_ACTIVE);
    }
    v1::ImportMembersResponse imported;
    grpc::ClientContext context;
    PrepareContext(context, kAdmin, absl::Seconds(30));
    status = roster->ImportMembers(&context, import, &imported);
    ASSERT_TRUE(status.ok()) << "ImportMembers " << organization << ": " << Describe(status);
    ASSERT_EQ(imported.created_count(), kMembers);
  }

  grpc::Status Send(const att::CheckInRequest& request, const std::string& organization, int i,
                    int replica, att::CheckInResponse* response) {
    grpc::ClientContext context;
    PrepareContext(context, StormMemberToken(organization, i), absl::Seconds(30));
    return stubs_[replica]->CheckIn(&context, request, response);
  }

  // Checks member `i` of `organization` in through replica `replica` with the screen's code;
  // retries only what a member app would retry: UNAVAILABLE (the same request again) and a code
  // that turned stale meanwhile (a new scan: the screen's next code).
  Tap CheckInOnce(CodeScreen& screen, const std::string& organization, const std::string& event,
                  int i, int replica, const std::string& request_id) {
    Tap tap;
    tap.request.set_name(RecordName(event, i));
    tap.request.set_request_id(request_id);
    for (tap.tries = 1; tap.tries <= kMaxTries; ++tap.tries) {
      if (tap.request.code().empty()) {
        const absl::StatusOr<std::string> code = screen.Show();
        if (!code.ok()) {
          tap.status =
              grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(code.status().message()));
          continue;
        }
        tap.request.set_code(*code);
      }
      tap.response.Clear();
      tap.status = Send(tap.request, organization, i, replica, &tap.response);
      if (tap.status.error_code() == grpc::StatusCode::UNAVAILABLE) continue;
      if (ErrorReasonOf(tap.status) != "ERROR_REASON_CHECK_IN_CODE_INVALID") break;
      screen.Refresh(tap.request.code());
      tap.request.clear_code();
    }
    return tap;
  }

  // Declared first, so the services stop before Redis does.
  std::unique_ptr<RedisUnderTest> redis_;
  absl::Duration redis_start_time_;  // reported: the deployment's share of the test's time
  std::vector<std::string> organizations_;
  std::unique_ptr<ServiceProcess> scheduling_process_;
  std::unique_ptr<Scheduling> scheduling_;
  std::vector<std::unique_ptr<ServiceProcess>> replicas_;  // kReplicas, then the reader
  std::vector<std::unique_ptr<Attendance>> stubs_;
};

TEST_F(CheckInStormTest, ThreeHundredMembersPerOrganizationCheckingInAtOnceAreEachRecordedOnce) {
  const absl::Time start = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  std::vector<Invitee> everyone;
  for (int i = 0; i < kMembers; ++i) everyone.push_back({StormMemberId(i)});
  std::vector<std::string> events;
  std::vector<std::unique_ptr<CodeScreen>> screens;
  for (const std::string& organization : organizations_) {
    events.push_back(CreateEventOrDie(*scheduling_, kAdmin, organization, "plenary", start,
                                      start + absl::Hours(2), everyone));
    ASSERT_FALSE(HasFailure());
    screens.push_back(std::make_unique<CodeScreen>(stubs_[0].get(), StormStaffToken(organization),
                                                   events.back()));
    ASSERT_TRUE(screens.back()->Show().ok()) << organization;
  }

  std::vector<Tap> taps(kOrganizations * kMembers * kTapsPerMember);
  std::atomic<int> next{0};
  const absl::Time storm_start = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      for (int t = next.fetch_add(1); t < static_cast<int>(taps.size()); t = next.fetch_add(1)) {
        const int tap = t % kTapsPerMember;
        const int o = (t / kTapsPerMember) % kOrganizations;
        const int member = t / kTapsPerMember / kOrganizations;
        taps[t] =
            CheckInOnce(*screens[o], organizations_[o], events[o], member,
                        (member + tap) % kReplicas, absl::StrCat("tap-", o, "-", member, "-", tap));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const absl::Duration storm_time = absl::Now() - storm_start;

  int retried = 0;
  int codes_issued = 0;
  Attendance& reader = *stubs_[kReplicas];
  for (int o = 0; o < kOrganizations; ++o) {
    const std::string& organization = organizations_[o];
    SCOPED_TRACE(organization);
    for (int i = 0; i < kMembers; ++i) {
      const Tap& first = taps[TapIndex(o, i, 0)];
      const Tap& second = taps[TapIndex(o, i, 1)];
      retried += (first.tries > 1) + (second.tries > 1);
      ASSERT_TRUE(first.status.ok()) << StormMemberId(i) << ": " << Describe(first.status);
      ASSERT_TRUE(second.status.ok()) << StormMemberId(i) << ": " << Describe(second.status);
      EXPECT_NE(first.response.already_checked_in(), second.response.already_checked_in())
          << StormMemberId(i) << ": exactly one tap is the first check-in";
      EXPECT_EQ(first.response.record().check_in().SerializeAsString(),
                second.response.record().check_in().SerializeAsString())
          << StormMemberId(i) << ": both taps answer the kept check-in";
      EXPECT_FALSE(first.response.late()) << StormMemberId(i);
      EXPECT_EQ(first.response.record().check_in().method(), att::CHECK_IN_METHOD_CODE);
      EXPECT_EQ(first.response.record().check_in().recorded_by(),
                StormMemberSubject(organization, i));
    }

    // Read back through an attendance process that took no part in the storm.
    att::ListAttendanceRequest list;
    list.set_parent(events[o]);
    list.set_page_size(1000);
    const std::vector<att::AttendanceRecord> records =
        ListAllRecords(reader, StormStaffToken(organization), list);
    ASSERT_EQ(records.size(), static_cast<size_t>(kMembers));
    std::set<std::string> names;
    for (int i = 0; i < kMembers; ++i) {
      const att::AttendanceRecord& record = records[i];
      names.insert(record.name());
      EXPECT_EQ(record.name(), RecordName(events[o], i)) << "ordered by member";
      EXPECT_EQ(record.check_in().SerializeAsString(),
                taps[TapIndex(o, i, 0)].response.record().check_in().SerializeAsString())
          << record.name() << ": the stored check-in is the one both taps were answered";
      EXPECT_GE(FromTimestamp(record.check_in().time()), start);
    }
    EXPECT_EQ(names.size(), static_cast<size_t>(kMembers));

    // A tap retried with its request_id through the third replica gets its first answer again.
    for (int i = 0; i < kMembers; i += 30) {
      const Tap& tap = taps[TapIndex(o, i, 0)];
      att::CheckInResponse again;
      const grpc::Status status = Send(tap.request, organization, i, (i + 2) % kReplicas, &again);
      ASSERT_TRUE(status.ok()) << StormMemberId(i) << ": " << Describe(status);
      EXPECT_EQ(again.SerializeAsString(), tap.response.SerializeAsString()) << StormMemberId(i);
    }
    codes_issued += screens[o]->issued();
  }

  // On the cluster, every master now holds keys of the storm.
  const absl::Status keys = redis_->CheckEveryMasterHoldsKeys();
  EXPECT_TRUE(keys.ok()) << keys;

  std::cout << "[ storm    ] " << taps.size() << " check-ins (" << kOrganizations << " x "
            << kMembers << " members x " << kTapsPerMember << ") through " << kReplicas
            << " replicas on " << RedisUnderTest::RequestedKind() << " Redis (started in "
            << absl::FormatDuration(redis_start_time_) << "; organizations "
            << absl::StrJoin(organizations_, ", ") << ") in " << absl::FormatDuration(storm_time)
            << " (" << static_cast<int>(taps.size() / absl::ToDoubleSeconds(storm_time))
            << "/s); taps retried: " << retried << "; codes issued: " << codes_issued << std::endl;
}

}  // namespace
}  // namespace fieldwork::testing
