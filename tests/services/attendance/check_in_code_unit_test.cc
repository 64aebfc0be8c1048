// Unit tests of the rotating check-in codes: format, determinism, rotation, and which steps are
// accepted.
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "services/attendance/check_in_code.h"

namespace fieldwork::attendance {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
constexpr char kEvent[] = "organizations/tongguan/events/e1";

absl::Time StartOfStep(int64_t step) { return CodeStepStart(step); }

TEST(CheckInCodeTest, IsSixDigits) {
  for (int64_t step = 0; step < 200; ++step) {
    const std::string code = CheckInCode(kSecret, kEvent, step);
    ASSERT_EQ(code.size(), 6u);
    for (char c : code) ASSERT_TRUE(absl::ascii_isdigit(c)) << code;
  }
}

TEST(CheckInCodeTest, DependsOnSecretEventAndStep) {
  const std::string code = CheckInCode(kSecret, kEvent, 1000);
  EXPECT_EQ(code, CheckInCode(kSecret, kEvent, 1000));
  EXPECT_NE(code, CheckInCode("another secret", kEvent, 1000));
  EXPECT_NE(code, CheckInCode(kSecret, "organizations/tongguan/events/e2", 1000));
  EXPECT_NE(code, CheckInCode(kSecret, kEvent, 1001));
}

TEST(CheckInCodeTest, StepsAreThirtySecondsLong) {
  const absl::Time start = StartOfStep(57000000);
  EXPECT_EQ(CodeStepOf(start), 57000000);
  EXPECT_EQ(CodeStepOf(start + absl::Seconds(29)), 57000000);
  EXPECT_EQ(CodeStepOf(start + absl::Seconds(30)), 57000001);
  EXPECT_EQ(CodeStepOf(absl::FromUnixSeconds(-1)), -1);
}

TEST(CheckInCodeTest, AcceptsTheCurrentAndThePreviousStep) {
  const int64_t step = 57000000;
  const absl::Time now = StartOfStep(step) + absl::Seconds(5);
  EXPECT_TRUE(AcceptsCheckInCode(kSecret, kEvent, CheckInCode(kSecret, kEvent, step), now));
  EXPECT_TRUE(AcceptsCheckInCode(kSecret, kEvent, CheckInCode(kSecret, kEvent, step - 1), now));
}

TEST(CheckInCodeTest, RefusesACodeFromTwoStepsAgo) {
  const int64_t step = 57000000;
  const std::string old_code = CheckInCode(kSecret, kEvent, step - 2);
  // Guard against the one-in-a-million chance that two steps share a code.
  ASSERT_NE(old_code, CheckInCode(kSecret, kEvent, step));
  ASSERT_NE(old_code, CheckInCode(kSecret, kEvent, step - 1));
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, old_code, StartOfStep(step)));
}

TEST(CheckInCodeTest, RefusesTheNextStepsCodeAndMalformedCodes) {
  const int64_t step = 57000000;
  const absl::Time now = StartOfStep(step);
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, CheckInCode(kSecret, kEvent, step + 1), now));
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, "", now));
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, "12345", now));
  const std::string current = CheckInCode(kSecret, kEvent, step);
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, current + "0", now));
}

TEST(CheckInCodeTest, ACodeOfAnotherEventIsRefused) {
  const int64_t step = 57000000;
  const std::string other = CheckInCode(kSecret, "organizations/tongguan/events/e2", step);
  ASSERT_NE(other, CheckInCode(kSecret, kEvent, step));
  ASSERT_NE(other, CheckInCode(kSecret, kEvent, step - 1));
  EXPECT_FALSE(AcceptsCheckInCode(kSecret, kEvent, other, StartOfStep(step)));
}

}  // namespace
}  // namespace fieldwork::attendance
