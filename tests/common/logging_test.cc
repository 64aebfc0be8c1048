// JSON log lines (common/logging.h).
#include "common/logging.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace fieldwork {
namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  EXPECT_EQ(JsonQuote("铜官区政协"), "\"铜官区政协\"");
}

TEST(LogFieldTest, RendersNumbersAndBooleansUnquoted) {
  EXPECT_EQ(LogField("port", 50051).json(), "\"port\":50051");
  EXPECT_EQ(LogField("latency_ms", 1.23456).json(), "\"latency_ms\":1.235");
  EXPECT_EQ(LogField("ready", true).json(), "\"ready\":true");
  EXPECT_EQ(LogField("method", std::string("/a.B/C")).json(), "\"method\":\"/a.B/C\"");
}

TEST(LogEventTest, WritesOneJsonObjectPerLine) {
  ASSERT_TRUE(InitLogging("scheduling", "info").ok());
  ::testing::internal::CaptureStderr();
  LogEvent(LogLevel::kInfo, "listen", {{"address", "127.0.0.1:1"}, {"port", 1}});
  LogEvent(LogLevel::kDebug, "hidden");
  const std::string output = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(absl::StartsWith(output, "{\"ts\":\"")) << output;
  EXPECT_TRUE(absl::EndsWith(output, "\"port\":1}\n")) << output;
  EXPECT_TRUE(absl::StrContains(output, "\"level\":\"info\",\"service\":\"scheduling\"")) << output;
  EXPECT_TRUE(absl::StrContains(output, "\"event\":\"listen\",\"address\":\"127.0.0.1:1\""));
  EXPECT_FALSE(absl::StrContains(output, "hidden")) << output;
}

TEST(InitLoggingTest, RejectsUnknownLevel) {
  EXPECT_EQ(InitLogging("scheduling", "loud").code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fieldwork
