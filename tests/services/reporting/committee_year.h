// The small committee year every reporting test reads: kOrgA (铜官区政协, Asia/Shanghai, default
// scoring table, automatic finalization off) with seven members in a sector and a special
// committee, nine events booked through scheduling and attended through attendance, and the figures
// a committee office computes by hand from it. Tests compare reports and CSV exports against these
// figures, so the arithmetic is written once, here.
//
// Members (id, name, role, units):
//   m1 王建国 MEMBER                     经济界, 提案委员会   (token kMemberA1)
//   m2 李芳   STANDING_COMMITTEE_MEMBER  经济界              (token kMemberA2)
//   m3 张伟   MEMBER                     经济界, 提案委员会
//   m4 陈静   VICE_CHAIR                 提案委员会
//   m5 周敏   MEMBER, INACTIVE           经济界              no events
//   m6 孙丽   MEMBER                     经济界
//   m7 吴刚   MEMBER                     经济界              no events
//
// Events (local times, Asia/Shanghai) and what happened (L lead, R required, O optional):
//   e0 RESEARCH_TRIP 2025-12-31 09:00 – 2026-01-01 17:00 (32 h over 2 days → 16 h), 营商环境
//      m1 L checked in 08:55, out 17:00 → PRESENT; m2 R nothing → ABSENT. Belongs to 2025.
//   e1 RESEARCH_TRIP 2026-03-10 09:00–12:00 (3 h), 营商环境 + 民营经济, by 经济界
//      m1 L in 08:50 out 12:00 → PRESENT; m2 R in 09:20 (> 09:10) → LATE;
//      m3 R approved leave → EXCUSED; m4 O nothing → NOT_ATTENDED.
//   e2 INSPECTION 2026-04-14 09:00 – 04-16 17:00 (56 h over 3 days → 24 h), 生态环境;
//      paper sheet (BatchCheckIn): m1 R 08:45–16:55 → PRESENT; m4 L 09:05–17:00 → PRESENT;
//      m3 R 09:00 – 04-16 15:00 (< 16:50) → LEFT_EARLY; m2 R nothing → ABSENT.
//   e3 MEETING 2026-05-20 14:30–17:00 (2.5 h), 年度工作
//      m4 L in 14:20 out 17:00 → PRESENT; m1 O in 14:25 out 16:00 → LEFT_EARLY;
//      m2 R leave requested, then rejected → ABSENT.
//   e4 CONSULTATION 2026-06-18 09:00–11:30 (2.5 h), 营商环境; 提案委员会 invited as REQUIRED
//      (→ m1, m3, m4) and m2 O: m1 PRESENT, m3 PRESENT (staff check-ins), m4 approved leave →
//      EXCUSED, m2 → NOT_ATTENDED.
//   e5 VISIT 2026-12-10 09:00–12:00, 乡村振兴, m1 R + m2 R: CANCELLED (still ahead, so that
//      scheduling's sweep cannot complete it first).
//   e6 OVERSIGHT 2026-09-09 09:00–12:00 (3 h), 民营经济
//      m3 L in 09:00 → PRESENT; m1 R, m2 R nothing → ABSENT.
//   e7 STUDY 2026-10-15 14:00–16:00 (2 h), 理论学习; paper sheet: m2 13:55 → PRESENT,
//      m3 14:30 → LATE, m4 14:00 → PRESENT, m6 14:05 → PRESENT; m1 R nothing → ABSENT.
//   e8 TRAINING 2026-11-20 09:00–17:00 (8 h), 履职能力; NOT finalized: m1 R checked in 08:50
//      (provisionally PRESENT), m2 R approved leave (provisionally EXCUSED), m3 O nothing.
//
// Every event but e5 and e8 is finalized. Default scoring table: PRESENT RESEARCH_TRIP/INSPECTION
// +3, CONSULTATION/OVERSIGHT/VISIT +2, STUDY/TRAINING/MEETING +1; LATE and LEFT_EARLY one less;
// ABSENT −5; others 0; base 60; bands 优秀 ≥ 90, 良好 ≥ 80, 称职 ≥ 60, 基本称职 ≥ −1000.
#ifndef FIELDWORK_TESTS_SERVICES_REPORTING_COMMITTEE_YEAR_H_
#define FIELDWORK_TESTS_SERVICES_REPORTING_COMMITTEE_YEAR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fieldwork/reporting/v1/report.pb.h"
#include "tests/services/reporting/reporting_fixture.h"

namespace fieldwork::testing {

// Member ids of kOrgA.
inline constexpr char kWang[] = "m1";   // 王建国
inline constexpr char kLi[] = "m2";     // 李芳
inline constexpr char kZhang[] = "m3";  // 张伟
inline constexpr char kChen[] = "m4";   // 陈静
inline constexpr char kZhou[] = "m5";   // 周敏 (inactive)
inline constexpr char kSun[] = "m6";    // 孙丽
inline constexpr char kWu[] = "m7";     // 吴刚

// Unit ids of kOrgA.
inline constexpr char kSector[] = "jingji";   // 经济界, SECTOR
inline constexpr char kCommittee[] = "tian";  // 提案委员会, COMMITTEE

// Event ids of kOrgA.
inline constexpr char kNewYearTrip[] = "e0";
inline constexpr char kTrip[] = "e1";
inline constexpr char kInspection[] = "e2";
inline constexpr char kMeeting[] = "e3";
inline constexpr char kConsultation[] = "e4";
inline constexpr char kCancelledVisit[] = "e5";
inline constexpr char kOversight[] = "e6";
inline constexpr char kStudy[] = "e7";
inline constexpr char kTraining[] = "e8";

// Leave reasons as recorded (the rejected one holds a comma and quotes, for CSV quoting).
inline constexpr char kTripLeaveReason[] = "赴外地出差";
inline constexpr char kMeetingLeaveReason[] = "单位有事, 需\"请假\"";
inline constexpr char kConsultationLeaveReason[] = "外出开会";
inline constexpr char kTrainingLeaveReason[] = "身体不适";

// Attendance figures as AttendanceStats carries them, written by hand.
struct Figures {
  int invited;
  int present;
  int late;
  int left_early;
  int excused;
  int absent;
  int not_attended;
  int attended;
  int pending;
  std::optional<double> attendance_rate;
  double hours;
  double points;
};

// Expects `actual` to carry `expected` (rates within 1e-9; hours and points exactly, as they are
// rounded to 2 decimals); `what` names the figures in failure messages.
void ExpectFigures(const rep::AttendanceStats& actual, const Figures& expected,
                   absl::string_view what);

// Hand-computed figures of 2026 (e0 belongs to 2025, e5 is cancelled, e8 is pending).
//
// m1 王建国: e1 PRESENT +3 (3 h), e2 PRESENT +3 (24 h), e3 LEFT_EARLY 0 (2.5 h), e4 PRESENT +2
// (2.5 h), e6 ABSENT −5, e7 ABSENT −5, e8 pending. invited 6 = 3 present + 1 left early + 2 absent;
// attended 4; rate 4 / (6 − 0) = 0.666…; hours 3 + 24 + 2.5 + 2.5 = 32; points 3 + 3 + 0 + 2 − 5 −
// 5 = −2; score 60 − 2 = 58 → 基本称职.
inline const Figures kWang2026 = {6, 3, 0, 1, 0, 2, 0, 4, 1, 4.0 / 6.0, 32, -2};
// m2 李芳: e1 LATE +2 (3 h), e2 ABSENT −5, e3 ABSENT −5, e4 NOT_ATTENDED, e6 ABSENT −5, e7 PRESENT
// +1 (2 h), e8 pending. invited 5 = 1 present + 1 late + 3 absent; attended 2; rate 2 / 5 = 0.4;
// hours 3 + 2 = 5; points 2 − 15 + 1 = −12; score 48 → 基本称职.
inline const Figures kLi2026 = {5, 1, 1, 0, 0, 3, 1, 2, 1, 0.4, 5, -12};
// m3 张伟: e1 EXCUSED 0, e2 LEFT_EARLY +2 (24 h), e4 PRESENT +2 (2.5 h), e6 PRESENT +2 (3 h), e7
// LATE 0 (2 h), e8 pending. invited 5; attended 4; rate 4 / (5 − 1) = 1; hours 24 + 2.5 + 3 + 2 =
// 31.5; points 2 + 2 + 2 + 0 = 6; score 66 → 称职.
inline const Figures kZhang2026 = {5, 2, 1, 1, 1, 0, 0, 4, 1, 1.0, 31.5, 6};
// m4 陈静: e1 NOT_ATTENDED, e2 PRESENT +3 (24 h), e3 PRESENT +1 (2.5 h), e4 EXCUSED 0, e7 PRESENT
// +1 (2 h). invited 4; attended 3; rate 3 / (4 − 1) = 1; hours 28.5; points 5; score 65 → 称职.
inline const Figures kChen2026 = {4, 3, 0, 0, 1, 0, 1, 3, 0, 1.0, 28.5, 5};
// m6 孙丽: e7 PRESENT +1 (2 h). score 61 → 称职.
inline const Figures kSun2026 = {1, 1, 0, 0, 0, 0, 0, 1, 0, 1.0, 2, 1};
// m5 周敏 and m7 吴刚: nothing; rate unset (0 − 0 invited); score 60 → 称职.
inline const Figures kNoEvents = {0, 0, 0, 0, 0, 0, 0, 0, 0, std::nullopt, 0, 0};

// 经济界 (m1, m2, m3, m5, m6, m7) summed: invited 6 + 5 + 5 + 1 = 17, present 3 + 1 + 2 + 1 = 7,
// late 1 + 1 = 2, left early 1 + 1 = 2, excused 1, absent 2 + 3 = 5, not attended 1, attended 11,
// pending 3; rate 11 / (17 − 1) = 0.6875; hours 32 + 5 + 31.5 + 2 = 70.5; points −2 − 12 + 6 + 1 =
// −7.
inline const Figures kSector2026 = {17, 7, 2, 2, 1, 5, 1, 11, 3, 0.6875, 70.5, -7};
// 提案委员会 (m1, m3, m4): invited 6 + 5 + 4 = 15, present 3 + 2 + 3 = 8, late 1, left early 2,
// excused 1 + 1 = 2, absent 2, not attended 1, attended 11, pending 2; rate 11 / (15 − 2) = 11/13;
// hours 32 + 31.5 + 28.5 = 92; points −2 + 6 + 5 = 9.
inline const Figures kCommittee2026 = {15, 8, 1, 2, 2, 2, 1, 11, 2, 11.0 / 13.0, 92, 9};
// The whole organization (m1 + m2 + m3 + m4 + m6): invited 6 + 5 + 5 + 4 + 1 = 21, present 3 + 1 +
// 2
// + 3 + 1 = 10, late 2, left early 2, excused 2, absent 5, not attended 2, attended 14, pending 3;
// rate 14 / (21 − 2) = 14/19; hours 32 + 5 + 31.5 + 28.5 + 2 = 99; points −2 − 12 + 6 + 5 + 1 = −2.
inline const Figures kOrganization2026 = {21, 10, 2, 2, 2, 5, 2, 14, 3, 14.0 / 19.0, 99, -2};

class CommitteeYearFixture : public ReportingFixture {
 protected:
  // Reporting fixture, then the year above, booked and attended through the real services.
  void SetUp() override;

  // Civil time hh:mm of y-m-d in Asia/Shanghai.
  static absl::Time At(int year, int month, int day, int hour, int minute = 0);

  // Resource names of kOrgA.
  static std::string Member(absl::string_view member_id) { return MemberName(member_id); }
  static std::string Unit(absl::string_view unit_id) { return UnitName(unit_id); }
  static std::string Event(absl::string_view event_id) { return EventName(event_id); }
  static std::string OrganizationA() { return absl::StrCat("organizations/", kOrgA); }

  // The scoring table version kOrgA reports currently use, read from scheduling.
  int64_t ScoringTableVersion();

  // Builders of the year, for tests that add to it; each fails the test when the call fails.
  struct EventSpec {
    absl::string_view id;
    v1::EventKind kind;
    absl::string_view title;
    std::vector<std::string> topics;
    absl::Time start;
    absl::Time end;
    std::vector<Invitee> invitees;
    std::string invited_unit;  // unit id invited as a whole (REQUIRED), "" none
  };
  struct SheetRow {
    std::string member_id;
    absl::Time check_in;
    std::optional<absl::Time> check_out;
  };
  // A SCHEDULED event booked as staff.
  void BookEvent(const EventSpec& spec);
  // Staff check-in (and check-out) at the given times.
  void CheckIn(absl::string_view event_id, absl::string_view member_id, absl::Time in,
               std::optional<absl::Time> out = std::nullopt);
  // A paper sign-in sheet (BatchCheckIn); every row must apply.
  void PaperSheet(absl::string_view event_id, const std::vector<SheetRow>& rows);
  // Leave recorded by staff and approved at once; leave requested, then rejected.
  void ApprovedLeave(absl::string_view event_id, absl::string_view member_id,
                     absl::string_view reason);
  void RejectedLeave(absl::string_view event_id, absl::string_view member_id,
                     absl::string_view reason);
  // FinalizeEvent as staff.
  void Finalize(absl::string_view event_id);

 private:
  void BookYear();
  void AddUnit(absl::string_view id, absl::string_view display_name, v1::UnitKind kind);
  void AddMember(absl::string_view id, absl::string_view display_name, v1::MemberRole role,
                 const std::vector<std::string>& unit_ids, bool active = true);
};

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_SERVICES_REPORTING_COMMITTEE_YEAR_H_
