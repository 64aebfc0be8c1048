// Column definitions of every resource table.
#include "tools/fieldctl/resource_tables.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/fieldctl/error_text.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

using ::fieldwork::attendance::v1::AttendanceRecord;

std::string Ids(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (const std::string& name : names) ids.push_back(IdOf(name));
  return absl::StrJoin(ids, ";");
}

std::string Time(const google::protobuf::Timestamp& time, const absl::TimeZone& zone) {
  return FormatTimeIn(FromProtoTime(time), zone);
}

std::string Bool(bool value) { return value ? "yes" : "no"; }

}  // namespace

Table OrganizationsTable(const Items<v1::Organization>& items) {
  return MakeTable<v1::Organization>(
      {{"ID", [](const auto& o) { return IdOf(o.name()); }},
       {"DISPLAY NAME", [](const auto& o) { return o.display_name(); }},
       {"TIME ZONE", [](const auto& o) { return o.time_zone(); }},
       {"TRAVEL BUFFER",
        [](const auto& o) { return absl::StrCat(o.travel_buffer().seconds() / 60, "m"); }}},
      items);
}

Table MembersTable(const Items<v1::Member>& items) {
  return MakeTable<v1::Member>({{"ID", [](const auto& m) { return IdOf(m.name()); }},
                                {"DISPLAY NAME", [](const auto& m) { return m.display_name(); }},
                                {"ROLE", [](const auto& m) { return EnumLabel(m.role()); }},
                                {"STATUS", [](const auto& m) { return EnumLabel(m.status()); }},
                                {"UNITS", [](const auto& m) { return Ids(m.units()); }},
                                {"PHONE", [](const auto& m) { return m.phone(); }},
                                {"AFFILIATION", [](const auto& m) { return m.affiliation(); }},
                                {"TERM", [](const auto& m) { return m.term().label(); }}},
                               items);
}

Table UnitsTable(const Items<v1::Unit>& items) {
  return MakeTable<v1::Unit>(
      {{"ID", [](const auto& u) { return IdOf(u.name()); }},
       {"DISPLAY NAME", [](const auto& u) { return u.display_name(); }},
       {"KIND", [](const auto& u) { return EnumLabel(u.kind()); }},
       {"COMPONENT UNITS", [](const auto& u) { return Ids(u.component_units()); }},
       {"DESCRIPTION", [](const auto& u) { return u.description(); }}},
      items);
}

Table VenuesTable(const Items<v1::Venue>& items) {
  return MakeTable<v1::Venue>(
      {{"ID", [](const auto& v) { return IdOf(v.name()); }},
       {"DISPLAY NAME", [](const auto& v) { return v.display_name(); }},
       {"KIND", [](const auto& v) { return EnumLabel(v.kind()); }},
       {"CAPACITY", [](const auto& v) { return absl::StrCat(v.capacity()); }},
       {"EXCLUSIVE", [](const auto& v) { return Bool(v.exclusive()); }},
       {"ADDRESS", [](const auto& v) { return v.address(); }}},
      items);
}

Table EventsTable(const Items<v1::Event>& items, const absl::TimeZone& zone) {
  return MakeTable<v1::Event>(
      {{"ID", [](const auto& e) { return IdOf(e.name()); }},
       {"TITLE", [](const auto& e) { return e.title(); }},
       {"KIND", [](const auto& e) { return EnumLabel(e.kind()); }},
       {"STATE", [](const auto& e) { return EnumLabel(e.state()); }},
       {"START", [&zone](const auto& e) { return Time(e.time_range().start_time(), zone); }},
       {"END", [&zone](const auto& e) { return Time(e.time_range().end_time(), zone); }},
       {"VENUE", [](const auto& e) { return IdOf(e.venue()); }},
       {"PARTICIPANTS",
        [](const auto& e) {
          return absl::StrCat(e.resolved_participants_size() > 0 ? e.resolved_participants_size()
                                                                 : e.participants_size());
        }}},
      items);
}

Table HoldsTable(const Items<v1::Hold>& items, const absl::TimeZone& zone) {
  return MakeTable<v1::Hold>(
      {{"ID", [](const auto& h) { return IdOf(h.name()); }},
       {"STATE", [](const auto& h) { return EnumLabel(h.state()); }},
       {"START", [&zone](const auto& h) { return Time(h.time_range().start_time(), zone); }},
       {"END", [&zone](const auto& h) { return Time(h.time_range().end_time(), zone); }},
       {"MEMBERS", [](const auto& h) { return Ids(h.resolved_members()); }},
       {"VENUE", [](const auto& h) { return IdOf(h.venue()); }},
       {"EXPIRES", [&zone](const auto& h) { return Time(h.expire_time(), zone); }},
       {"EVENT", [](const auto& h) { return IdOf(h.event()); }}},
      items);
}

Table BusyBlocksTable(const Items<v1::BusyBlock>& items, const absl::TimeZone& zone) {
  return MakeTable<v1::BusyBlock>(
      {{"NAME", [](const auto& b) { return ShortName(b.name()); }},
       {"START", [&zone](const auto& b) { return Time(b.time_range().start_time(), zone); }},
       {"END", [&zone](const auto& b) { return Time(b.time_range().end_time(), zone); }},
       {"REASON", [](const auto& b) { return b.reason(); }}},
      items);
}

Table SlotsTable(const Items<v1::SlotCandidate>& items, const absl::TimeZone& zone) {
  return MakeTable<v1::SlotCandidate>(
      {{"START", [&zone](const auto& s) { return Time(s.time_range().start_time(), zone); }},
       {"END", [&zone](const auto& s) { return Time(s.time_range().end_time(), zone); }},
       {"AVAILABLE",
        [](const auto& s) { return absl::StrCat(s.available_count(), "/", s.attendee_count()); }},
       {"SHARE",
        [](const auto& s) { return absl::StrFormat("%.0f%%", s.available_share() * 100); }},
       {"BUSY OPTIONAL",
        [](const auto& s) {
          std::vector<std::string> ids;
          for (const auto& busy : s.unavailable()) ids.push_back(IdOf(busy.member()));
          return absl::StrJoin(ids, ";");
        }}},
      items);
}

Table ChangesTable(const Items<v1::Change>& items, const absl::TimeZone& zone) {
  return MakeTable<v1::Change>(
      {{"TIME", [&zone](const auto& c) { return Time(c.change_time(), zone); }},
       {"CHANGE", [](const auto& c) { return EnumLabel(c.change_type()); }},
       {"RESOURCE", [](const auto& c) { return ShortName(c.resource()); }},
       {"ACTOR", [](const auto& c) { return c.actor(); }}},
      items);
}

Table AttendanceTable(const Items<AttendanceRecord>& items, const absl::TimeZone& zone) {
  return MakeTable<AttendanceRecord>(
      {{"EVENT", [](const auto& r) { return IdOf(r.event()); }},
       {"MEMBER", [](const auto& r) { return IdOf(r.member()); }},
       {"ROLE", [](const auto& r) { return EnumLabel(r.participant_role()); }},
       {"RSVP", [](const auto& r) { return EnumLabel(r.rsvp().response()); }},
       {"LEAVE", [](const auto& r) { return EnumLabel(r.leave().state()); }},
       {"CHECK-IN", [&zone](const auto& r) { return Time(r.check_in().time(), zone); }},
       {"CHECK-OUT", [&zone](const auto& r) { return Time(r.check_out().time(), zone); }},
       {"OUTCOME", [](const auto& r) { return EnumLabel(r.outcome()); }}},
      items);
}

}  // namespace fieldwork::fieldctl
