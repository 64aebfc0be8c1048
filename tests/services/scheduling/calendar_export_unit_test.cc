// Unit tests of the event → VEVENT mapping of ExportCalendar: UID, status, location, programme,
// timestamps, and the export's file name.
#include <tuple>

#include "common/api/field_checks.h"
#include "gtest/gtest.h"
#include "services/scheduling/calendar_export.h"

namespace fieldwork::scheduling {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time DecemberAt(int day, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, 12, day, hh, mm), Shanghai());
}

v1::Event Trip() {
  v1::Event event;
  event.set_name("organizations/tongguan/events/trip-1");
  event.set_title("民营经济专题调研");
  event.set_description("走访企业");
  event.set_state(v1::EVENT_STATE_SCHEDULED);
  event.set_sequence(3);
  *event.mutable_time_range() = ToTimeRange({DecemberAt(3, 9), DecemberAt(3, 17)});
  *event.mutable_create_time() = ToTimestamp(DecemberAt(1, 8));
  *event.mutable_update_time() = ToTimestamp(DecemberAt(2, 8));
  event.add_topics("营商环境");
  for (const auto& [venue, start, end, note] :
       {std::tuple<const char*, int, int, const char*>{"organizations/tongguan/venues/park", 9, 11,
                                                       "座谈交流"},
        {"organizations/tongguan/venues/gone", 14, 16, ""}}) {
    v1::ItineraryStop& stop = *event.add_itinerary();
    stop.set_venue(venue);
    *stop.mutable_time_range() = ToTimeRange({DecemberAt(3, start), DecemberAt(3, end)});
    stop.set_note(note);
  }
  return event;
}

absl::flat_hash_map<std::string, v1::Venue> Venues() {
  v1::Venue park;
  park.set_display_name("高新技术产业园");
  return {{"organizations/tongguan/venues/park", park}};
}

TEST(CalendarExportTest, EventBecomesAVeventWithAStableUidAndItsItinerary) {
  const IcalEvent ical = ToIcalEvent("tongguan", Trip(), Venues(), Shanghai());
  EXPECT_EQ(ical.uid, "trip-1@tongguan.fieldwork");
  EXPECT_EQ(ical.summary, "民营经济专题调研");
  EXPECT_EQ(ical.description, "走访企业\n09:00–11:00 高新技术产业园 座谈交流\n14:00–16:00");
  EXPECT_EQ(ical.location, "高新技术产业园");  // the deleted venue has no label
  EXPECT_EQ(ical.sequence, 3);
  EXPECT_EQ(ical.status, IcalStatus::kConfirmed);
  EXPECT_EQ(ical.created, DecemberAt(1, 8));
  EXPECT_EQ(ical.last_modified, DecemberAt(2, 8));
  EXPECT_EQ(ical.categories, std::vector<std::string>{"营商环境"});
}

TEST(CalendarExportTest, CancelledEventCarriesItsReason) {
  v1::Event event = Trip();
  event.clear_itinerary();
  event.set_state(v1::EVENT_STATE_CANCELLED);
  event.set_cancel_reason("天气原因");
  const IcalEvent ical = ToIcalEvent("tongguan", event, Venues(), Shanghai());
  EXPECT_EQ(ical.status, IcalStatus::kCancelled);
  EXPECT_EQ(ical.description, "走访企业\n取消原因：天气原因");
}

TEST(CalendarExportTest, DraftsAreNotExported) {
  v1::Event event = Trip();
  event.set_state(v1::EVENT_STATE_DRAFT);
  EXPECT_FALSE(Exported(event));
  event.set_state(v1::EVENT_STATE_COMPLETED);
  EXPECT_TRUE(Exported(event));
}

TEST(CalendarExportTest, FileNameNamesTheCivilYears) {
  EXPECT_EQ(ExportFileName("tongguan", "", {DecemberAt(1, 0), DecemberAt(20, 0)}, Shanghai()),
            "tongguan-2026.ics");
  EXPECT_EQ(
      ExportFileName("tongguan", "m7",
                     {DecemberAt(1, 0), absl::FromCivil(absl::CivilDay(2027, 2, 1), Shanghai())},
                     Shanghai()),
      "tongguan-m7-2026-2027.ics");
}

}  // namespace
}  // namespace fieldwork::scheduling
