// The check-in storm: 300 members check in with the event's code within seconds of its start,
// each twice at once (a double tap) through two different attendance replicas of three, against
// the real scheduling and attendance binaries and one real Redis. No check-in is lost and each is
// recorded once: every call succeeds, exactly one of each member's two answers is the first
// check-in, both answers carry the same kept time, and a fourth attendance process reads back 300
// records with exactly those times. Bounded: a fixed number of calls, each with a deadline and at
// most a few retries.
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/token_store.h"
#include "gtest/gtest.h"
#include "tests/harness/child_process.h"
#include "tests/services/attendance/attendance_fixture.h"

namespace fieldwork::testing {
namespace {

constexpr int kMembers = 300;
constexpr int kReplicas = 3;
constexpr int kTapsPerMember = 2;
constexpr int kWorkers = 24;
constexpr int kMaxTries = 4;

std::string StormMemberId(int i) { return absl::StrFormat("s%03d", i); }
std::string StormMemberToken(int i) { return absl::StrFormat("storm-member-%03d-token", i); }
std::string StormMemberSubject(int i) {
  return absl::StrCat("organizations/", kOrgA, "/members/", StormMemberId(i));
}

// A tokens file with kStaffA and the 300 storm members (the scheduling fixture's file has only
// its fixed cast).
absl::StatusOr<std::string> WriteStormTokensFile() {
  const std::string path = absl::StrCat(MakeTempDir("storm-tokens"), "/tokens.yaml");
  std::ofstream out(path);
  out << "tokens:\n"
      << "  - sha256: " << Sha256Hex(kStaffA) << "\n    subject: \"" << kStaffA
      << "\"\n    role: staff\n    organization: \"" << kOrgA << "\"\n";
  for (int i = 0; i < kMembers; ++i) {
    out << "  - sha256: " << Sha256Hex(StormMemberToken(i)) << "\n    subject: \""
        << StormMemberSubject(i) << "\"\n    role: member\n    organization: \"" << kOrgA << "\"\n";
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
  CodeScreen(Attendance* stub, std::string event) : stub_(stub), event_(std::move(event)) {}

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
    PrepareContext(context, kStaffA, absl::Seconds(30));
    const grpc::Status status = stub_->IssueCheckInCode(&context, request, &response);
    if (!status.ok()) return absl::UnavailableError(Describe(status));
    code_ = response.code();
    refresh_time_ = FromTimestamp(response.refresh_time());
    ++issued_;
    return code_;
  }

  Attendance* const stub_;
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

class CheckInStormTest : public AttendanceFixture {
 protected:
  void SetUp() override {
    AttendanceFixture::SetUp();
    if (HasFatalFailure()) return;
    v1::ImportMembersRequest import;
    import.set_parent(absl::StrCat("organizations/", kOrgA));
    for (int i = 0; i < kMembers; ++i) {
      v1::Member& member = *import.add_members();
      member.set_name(MemberName(StormMemberId(i)));
      member.set_display_name(absl::StrCat("委员", i));
      member.set_role(v1::MEMBER_ROLE_MEMBER);
      member.set_status(v1::MEMBER_STATUS_ACTIVE);
    }
    v1::ImportMembersResponse imported;
    const grpc::Status status = Call(&Roster::ImportMembers, kStaffA, import, &imported);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ASSERT_EQ(imported.created_count(), kMembers);

    static const absl::StatusOr<std::string>* const tokens =
        new absl::StatusOr<std::string>(WriteStormTokensFile());
    ASSERT_TRUE(tokens->ok()) << tokens->status();
    for (int i = 0; i < kReplicas; ++i) {
      AttendanceReplicaOptions options;
      options.redis_url = redis().url();
      options.scheduling_target = service().address();
      options.tokens_file = **tokens;
      absl::StatusOr<std::unique_ptr<ServiceProcess>> replica = StartAttendanceReplica(options);
      ASSERT_TRUE(replica.ok()) << replica.status();
      stubs_.push_back(att::AttendanceService::NewStub((*replica)->channel()));
      replicas_.push_back(*std::move(replica));
    }
  }

  grpc::Status Send(const att::CheckInRequest& request, int i, int replica,
                    att::CheckInResponse* response) {
    grpc::ClientContext context;
    PrepareContext(context, StormMemberToken(i), absl::Seconds(30));
    return stubs_[replica]->CheckIn(&context, request, response);
  }

  // Checks member `i` in through replica `replica` with the screen's code; retries only what a
  // member app would retry: UNAVAILABLE (the same request again) and a code that turned stale
  // meanwhile (a new scan: the screen's next code).
  Tap CheckInOnce(CodeScreen& screen, const std::string& event, int i, int replica,
                  const std::string& request_id) {
    Tap tap;
    tap.request.set_name(RecordName(event, StormMemberId(i)));
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
      tap.status = Send(tap.request, i, replica, &tap.response);
      if (tap.status.error_code() == grpc::StatusCode::UNAVAILABLE) continue;
      if (ErrorReasonOf(tap.status) != "ERROR_REASON_CHECK_IN_CODE_INVALID") break;
      screen.Refresh(tap.request.code());
      tap.request.clear_code();
    }
    return tap;
  }

  std::vector<std::unique_ptr<ServiceProcess>> replicas_;
  std::vector<std::unique_ptr<Attendance>> stubs_;
};

TEST_F(CheckInStormTest, ThreeHundredMembersCheckingInAtOnceAreEachRecordedOnce) {
  const absl::Time start = Now();
  std::vector<Invitee> everyone;
  for (int i = 0; i < kMembers; ++i) everyone.push_back({StormMemberId(i)});
  const std::string event = CreateEventOrDie("plenary", start, start + absl::Hours(2), everyone);
  ASSERT_FALSE(HasFailure());
  CodeScreen screen(stubs_[0].get(), event);
  ASSERT_TRUE(screen.Show().ok());

  // Taps 2i and 2i+1 are member i's double tap: neighbours in the queue, so two workers send them
  // at the same moment, through different replicas.
  std::vector<Tap> taps(kMembers * kTapsPerMember);
  std::atomic<int> next{0};
  const absl::Time storm_start = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      for (int t = next.fetch_add(1); t < static_cast<int>(taps.size()); t = next.fetch_add(1)) {
        const int member = t / kTapsPerMember;
        const int tap = t % kTapsPerMember;
        taps[t] = CheckInOnce(screen, event, member, (member + tap) % kReplicas,
                              absl::StrCat("tap-", member, "-", tap));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const absl::Duration storm_time = absl::Now() - storm_start;

  int retried = 0;
  for (int i = 0; i < kMembers; ++i) {
    const Tap& first = taps[i * kTapsPerMember];
    const Tap& second = taps[i * kTapsPerMember + 1];
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
    EXPECT_EQ(first.response.record().check_in().recorded_by(), StormMemberSubject(i));
  }

  // Read back through the shared attendance, a process that took no part in the storm.
  att::ListAttendanceRequest list;
  list.set_parent(event);
  list.set_page_size(1000);
  const std::vector<att::AttendanceRecord> records = ListAllRecords(list);
  ASSERT_EQ(records.size(), static_cast<size_t>(kMembers));
  std::set<std::string> names;
  for (int i = 0; i < kMembers; ++i) {
    const att::AttendanceRecord& record = records[i];
    names.insert(record.name());
    EXPECT_EQ(record.name(), RecordName(event, StormMemberId(i))) << "ordered by member";
    EXPECT_EQ(record.check_in().SerializeAsString(),
              taps[i * kTapsPerMember].response.record().check_in().SerializeAsString())
        << record.name() << ": the stored check-in is the one both taps were answered";
    EXPECT_GE(FromTimestamp(record.check_in().time()), start);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kMembers));

  // A tap retried with its request_id through the third replica gets its first answer again.
  for (int i = 0; i < kMembers; i += 30) {
    const Tap& tap = taps[i * kTapsPerMember];
    att::CheckInResponse again;
    const grpc::Status status = Send(tap.request, i, (i + 2) % kReplicas, &again);
    ASSERT_TRUE(status.ok()) << StormMemberId(i) << ": " << Describe(status);
    EXPECT_EQ(again.SerializeAsString(), tap.response.SerializeAsString()) << StormMemberId(i);
  }

  std::cout << "[ storm    ] " << taps.size() << " check-ins through " << kReplicas
            << " replicas in " << absl::FormatDuration(storm_time) << " ("
            << static_cast<int>(taps.size() / absl::ToDoubleSeconds(storm_time))
            << "/s); taps retried: " << retried << "; codes issued: " << screen.issued()
            << std::endl;
}

}  // namespace
}  // namespace fieldwork::testing
