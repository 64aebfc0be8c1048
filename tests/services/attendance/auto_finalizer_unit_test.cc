// The automatic finalization sweep's window: it covers every event that can be due and leaves
// out the ones that started within the last hour (events in progress).
#include "gtest/gtest.h"
#include "services/attendance/auto_finalizer.h"

namespace fieldwork::attendance {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

// Scheduling's ListEvents time filter: events overlapping the range.
bool Listed(const Interval& event) {
  return Overlaps(event, SweepWindow(kNow), absl::ZeroDuration());
}

TEST(SweepWindowTest, CoversEveryEventThatCanBeDue) {
  // Ended exactly an hour ago (the shortest auto_finalize_after), after a long day.
  EXPECT_TRUE(Listed({kNow - absl::Hours(9), kNow - absl::Hours(1)}));
  // Ended 30 days ago (the longest), started a day before.
  EXPECT_TRUE(Listed({kNow - absl::Hours(24 * 31), kNow - absl::Hours(24 * 30)}));
}

TEST(SweepWindowTest, LeavesOutEventsThatStartedWithinTheLastHour) {
  EXPECT_FALSE(Listed({kNow - absl::Minutes(10), kNow + absl::Hours(3)}));
  EXPECT_FALSE(Listed({kNow - absl::Minutes(59), kNow - absl::Minutes(1)}));
  EXPECT_FALSE(Listed({kNow + absl::Hours(1), kNow + absl::Hours(2)}));
}

}  // namespace
}  // namespace fieldwork::attendance
