// Unit tests of the iCalendar encoder: folding of Chinese text at octet boundaries, escaping,
// VTIMEZONE components from real zone transitions, event properties.
#include "services/scheduling/ical.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace fieldwork::scheduling {
namespace {

// Whether `text` is complete UTF-8: no sequence cut at either end.
bool IsWholeUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80    ? 1
                          : lead >= 0xF0 ? 4
                          : lead >= 0xE0 ? 3
                          : lead >= 0xC0 ? 2
                                         : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// The physical lines of `folded` (CRLF-terminated), without their CRLF.
std::vector<std::string> PhysicalLines(const std::string& folded) {
  EXPECT_TRUE(absl::EndsWith(folded, "\r\n"));
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(folded).substr(0, folded.size() - 2), "\r\n");
  return lines;
}

std::string Unfold(const std::string& folded) {
  std::string unfolded = absl::StrReplaceAll(folded, {{"\r\n ", ""}});
  return unfolded.substr(0, unfolded.size() - 2);
}

bool Has(const std::vector<std::string>& lines, absl::string_view line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string Repeat(absl::string_view piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) absl::StrAppend(&text, piece);
  return text;
}

TEST(IcalFoldTest, ShortLineIsKeptWholeWithCrlf) {
  EXPECT_EQ(FoldIcalLine("SUMMARY:视察"), "SUMMARY:视察\r\n");
}

TEST(IcalFoldTest, LineOfExactly75OctetsIsNotFolded) {
  const std::string line = "X:" + std::string(73, 'a');
  EXPECT_EQ(FoldIcalLine(line), line + "\r\n");
  EXPECT_EQ(PhysicalLines(FoldIcalLine(line + "b")).size(), 2u);
}

TEST(IcalFoldTest, LongChineseTextFoldsAtCharacterBoundariesWithin75Octets) {
  const std::string line =
      "SUMMARY:" + Repeat("关于优化营商环境的专题调研，", 12);  // 8 + 12 * 42 octets
  const std::string folded = FoldIcalLine(line);
  const std::vector<std::string> lines = PhysicalLines(folded);
  ASSERT_GT(lines.size(), 6u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 75u) << "line " << i;
    const absl::string_view content =
        i == 0 ? absl::string_view(lines[i]) : absl::string_view(lines[i]).substr(1);
    if (i > 0) {
      EXPECT_EQ(lines[i][0], ' ');
    }
    EXPECT_TRUE(IsWholeUtf8(content)) << "line " << i << " splits a character";
  }
  EXPECT_EQ(Unfold(folded), line);
}

TEST(IcalFoldTest, CharacterStraddlingTheLimitMovesToTheNextLine) {
  // 8 ASCII octets + 22 three-octet characters = 74 octets; the 23rd character would end at 77.
  const std::string line = "SUMMARY:" + Repeat("政", 22) + "协";
  const std::vector<std::string> lines = PhysicalLines(FoldIcalLine(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "SUMMARY:" + Repeat("政", 22));
  EXPECT_EQ(lines[1], " 协");
}

TEST(IcalFoldTest, ContinuationLinesHoldAtMost74OctetsAfterTheSpace) {
  const std::string line = std::string(75 + 74 + 1, 'x');
  const std::vector<std::string> lines = PhysicalLines(FoldIcalLine(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 75u);
  EXPECT_EQ(lines[1].size(), 75u);
  EXPECT_EQ(lines[2], " x");
}

TEST(IcalFoldTest, FourOctetCharactersAreNotSplit) {
  const std::string line = "DESCRIPTION:" + Repeat("😀", 40);
  for (const std::string& physical : PhysicalLines(FoldIcalLine(line))) {
    EXPECT_LE(physical.size(), 75u);
    EXPECT_TRUE(IsWholeUtf8(physical));
  }
}

TEST(IcalEscapeTest, EscapesBackslashSemicolonCommaAndLineBreaks) {
  EXPECT_EQ(EscapeIcalText("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
  EXPECT_EQ(EscapeIcalText("第一行\r\n第二行\r第三行"), "第一行\\n第二行\\n第三行");
}

TEST(IcalEscapeTest, LeavesChinesePunctuationAndTabsAlone) {
  EXPECT_EQ(EscapeIcalText("调研，座谈；交流\t记录"), "调研，座谈；交流\t记录");
}

TEST(IcalEscapeTest, DropsOtherControlCharacters) {
  EXPECT_EQ(EscapeIcalText(std::string("a\x01"
                                       "b\x7f"
                                       "c",
                                       5)),
            "abc");
}

class IcalCalendarTest : public ::testing::Test {
 protected:
  IcalCalendar Calendar(const std::string& zone_name) {
    IcalCalendar calendar;
    calendar.product_id = "-//fieldwork//scheduling//ZH";
    calendar.name = "铜官区政协";
    calendar.time_zone_id = zone_name;
    EXPECT_TRUE(absl::LoadTimeZone(zone_name, &calendar.time_zone));
    calendar.range = {Utc(2026, 1, 1), Utc(2027, 1, 1)};
    return calendar;
  }

  static absl::Time Utc(int y, int m, int d, int hh = 0) {
    return absl::FromCivil(absl::CivilHour(y, m, d, hh), absl::UTCTimeZone());
  }

  static IcalEvent Event() {
    IcalEvent event;
    event.uid = "e1@tongguan.fieldwork";
    event.time = {Utc(2026, 12, 3, 1), Utc(2026, 12, 3, 4)};  // 09:00–12:00 in Shanghai
    event.summary = "关于优化营商环境的专题调研";
    event.description = "座谈交流, 实地察看; 第二站\n第三站";
    event.location = "高新技术产业园";
    event.categories = {"营商环境", "民营经济"};
    event.sequence = 2;
    event.status = IcalStatus::kCancelled;
    event.created = Utc(2026, 11, 1);
    event.last_modified = Utc(2026, 11, 20);
    return event;
  }

  static std::vector<std::string> Lines(const std::string& document) {
    return PhysicalLines(absl::StrReplaceAll(document, {{"\r\n ", ""}}));
  }
};

TEST_F(IcalCalendarTest, DocumentUsesCrlfOnlyAndStartsAndEndsWithVcalendar) {
  IcalCalendar calendar = Calendar("Asia/Shanghai");
  calendar.events.push_back(Event());
  const std::string document = EncodeIcalendar(calendar);
  EXPECT_TRUE(absl::StartsWith(document, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  EXPECT_TRUE(absl::EndsWith(document, "END:VCALENDAR\r\n"));
  EXPECT_EQ(absl::StrReplaceAll(document, {{"\r\n", ""}}).find('\n'), std::string::npos);
  EXPECT_EQ(absl::StrReplaceAll(document, {{"\r\n", ""}}).find('\r'), std::string::npos);
  for (const std::string& line : PhysicalLines(document)) EXPECT_LE(line.size(), 75u);
}

TEST_F(IcalCalendarTest, ZoneWithoutDaylightTimeGetsOneStandardComponent) {
  const std::vector<std::string> lines = Lines(EncodeIcalendar(Calendar("Asia/Shanghai")));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:STANDARD"), 1);
  EXPECT_FALSE(Has(lines, "BEGIN:DAYLIGHT"));
  EXPECT_TRUE(Has(lines, "TZID:Asia/Shanghai")) << "TZID:Asia/Shanghai";
  EXPECT_TRUE(Has(lines, "TZOFFSETTO:+0800")) << "TZOFFSETTO:+0800";
}

TEST_F(IcalCalendarTest, ZoneWithDaylightTimeGetsEachTransitionOfTheRange) {
  const std::vector<std::string> lines = Lines(EncodeIcalendar(Calendar("America/New_York")));
  std::vector<std::string> observances;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "BEGIN:STANDARD" || lines[i] == "BEGIN:DAYLIGHT") {
      observances.push_back(absl::StrCat(lines[i].substr(6), " ", lines[i + 1], " ", lines[i + 2],
                                         " ", lines[i + 3]));
    }
  }
  const std::vector<std::string> expected = {
      "STANDARD DTSTART:20251102T020000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500",
      "DAYLIGHT DTSTART:20260308T020000 TZOFFSETFROM:-0500 TZOFFSETTO:-0400",
      "STANDARD DTSTART:20261101T020000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500"};
  EXPECT_EQ(observances, expected);
}

TEST_F(IcalCalendarTest, ZoneThatNeverChangesGetsAFixedStandardComponent) {
  const std::vector<std::string> lines = Lines(EncodeIcalendar(Calendar("UTC")));
  EXPECT_TRUE(Has(lines, "DTSTART:19700101T000000")) << "DTSTART:19700101T000000";
  EXPECT_TRUE(Has(lines, "TZOFFSETFROM:+0000")) << "TZOFFSETFROM:+0000";
  EXPECT_TRUE(Has(lines, "TZOFFSETTO:+0000")) << "TZOFFSETTO:+0000";
}

TEST_F(IcalCalendarTest, EventCarriesLocalTimesEscapedTextSequenceAndStatus) {
  IcalCalendar calendar = Calendar("Asia/Shanghai");
  calendar.events.push_back(Event());
  const std::vector<std::string> lines = Lines(EncodeIcalendar(calendar));
  EXPECT_TRUE(Has(lines, "UID:e1@tongguan.fieldwork")) << "UID:e1@tongguan.fieldwork";
  EXPECT_TRUE(Has(lines, "DTSTAMP:20261120T000000Z")) << "DTSTAMP:20261120T000000Z";
  EXPECT_TRUE(Has(lines, "DTSTART;TZID=Asia/Shanghai:20261203T090000"))
      << "DTSTART;TZID=Asia/Shanghai:20261203T090000";
  EXPECT_TRUE(Has(lines, "DTEND;TZID=Asia/Shanghai:20261203T120000"))
      << "DTEND;TZID=Asia/Shanghai:20261203T120000";
  EXPECT_TRUE(Has(lines, "SUMMARY:关于优化营商环境的专题调研"))
      << "SUMMARY:关于优化营商环境的专题调研";
  EXPECT_TRUE(Has(lines, "DESCRIPTION:座谈交流\\, 实地察看\\; 第二站\\n第三站"))
      << "DESCRIPTION:座谈交流\\, 实地察看\\; 第二站\\n第三站";
  EXPECT_TRUE(Has(lines, "LOCATION:高新技术产业园")) << "LOCATION:高新技术产业园";
  EXPECT_TRUE(Has(lines, "CATEGORIES:营商环境,民营经济")) << "CATEGORIES:营商环境,民营经济";
  EXPECT_TRUE(Has(lines, "SEQUENCE:2")) << "SEQUENCE:2";
  EXPECT_TRUE(Has(lines, "STATUS:CANCELLED")) << "STATUS:CANCELLED";
  EXPECT_TRUE(Has(lines, "CREATED:20261101T000000Z")) << "CREATED:20261101T000000Z";
}

TEST_F(IcalCalendarTest, SameInputGivesTheSameDocument) {
  IcalCalendar calendar = Calendar("Asia/Shanghai");
  calendar.events.push_back(Event());
  EXPECT_EQ(EncodeIcalendar(calendar), EncodeIcalendar(calendar));
  EXPECT_TRUE(absl::StrContains(EncodeIcalendar(calendar), "X-WR-CALNAME:铜官区政协\r\n"));
}

}  // namespace
}  // namespace fieldwork::scheduling
