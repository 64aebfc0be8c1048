// The demo organization generated from a seed (see demo_plan.h).
#include "tools/demo/demo_plan.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fieldwork::demo {
namespace {

namespace v1 = ::fieldwork::scheduling::v1;
namespace av1 = ::fieldwork::attendance::v1;

constexpr int kMemberCount = 150;
constexpr int kInactiveMembers = 2;   // the last ones on the roster
constexpr int kViceChairs = 4;        // members 2–5; member 1 is the chair
constexpr int kStandingMembers = 30;  // chair, vice chairs and standing committee members
constexpr int kFirstWeek = -12;       // weeks relative to the week of `now`
constexpr int kLastWeek = 7;
constexpr absl::Duration kTravelBuffer = absl::Minutes(30);  // the organization default
// Events that ended at least this long ago get attendance (check-outs lie before now).
constexpr absl::Duration kPastMargin = absl::Hours(2);

// Plainly fictitious names in the 张三李四 manner: a common surname and a heavenly stem.
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                     "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
constexpr const char* kGivenNames[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};

struct SectorSpec {
  const char* id;
  const char* display_name;
  const char* affiliation;
};
constexpr SectorSpec kSectors[] = {
    {"sector-economy", "经济界", "演示区示例实业有限公司 总经理"},
    {"sector-education", "教育界", "演示区第一示例中学 校长"},
    {"sector-science", "科技界", "演示区示例科技研究院 研究员"},
    {"sector-health", "医药卫生界", "演示区示例人民医院 主任医师"},
    {"sector-agriculture", "农业界", "演示区示例农业合作社 理事长"},
    {"sector-culture", "文化艺术界", "演示区示例文化馆 馆长"},
    {"sector-welfare", "社会福利和社会保障界", "演示区示例社会福利院 院长"},
    {"sector-media", "新闻出版界", "演示区示例融媒体中心 主任"},
    {"sector-sports", "体育界", "演示区示例体育中心 教练"},
    {"sector-business", "工商联界", "演示区示例商会 副会长"},
};

struct UnitSpec {
  const char* id;
  const char* display_name;
  v1::UnitKind kind;
  const char* description;
};
constexpr UnitSpec kCommittees[] = {
    {"committee-proposals", "提案委员会", v1::UNIT_KIND_COMMITTEE, "提案征集、审查与督办"},
    {"committee-economy", "经济委员会", v1::UNIT_KIND_COMMITTEE, "经济发展、营商环境、科技创新"},
    {"committee-social-legal", "社会和法制委员会", v1::UNIT_KIND_COMMITTEE,
     "社会建设、基层治理、民生保障"},
    {"committee-education", "教科卫体委员会", v1::UNIT_KIND_COMMITTEE, "教育、科技、卫生、体育"},
    {"committee-culture", "文化文史和学习委员会", v1::UNIT_KIND_COMMITTEE,
     "文化建设、文史资料、委员学习"},
    {"committee-agriculture", "农业农村委员会", v1::UNIT_KIND_COMMITTEE,
     "乡村振兴、农业农村、生态环境"},
};
constexpr UnitSpec kGroups[] = {
    {"group-1", "第一委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
    {"group-2", "第二委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
    {"group-3", "第三委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
    {"group-4", "第四委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
    {"group-5", "第五委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
    {"group-6", "第六委员小组", v1::UNIT_KIND_MEMBER_GROUP, ""},
};
constexpr UnitSpec kStudios[] = {
    {"studio-rural", "乡村振兴委员工作室", v1::UNIT_KIND_STUDIO, "联系青禾镇、双桥镇"},
    {"studio-eldercare", "养老服务委员工作室", v1::UNIT_KIND_STUDIO, "联系柳岸社区、幸福里社区"},
};
constexpr UnitSpec kJointGroup = {"joint-economy-science", "经济科技界别联组",
                                  v1::UNIT_KIND_JOINT_SECTOR_GROUP, "经济界、科技界委员联合活动"};

struct VenueSpec {
  const char* id;
  const char* display_name;
  v1::VenueKind kind;
  const char* address;
  int capacity;
  bool exclusive;
};
constexpr VenueSpec kVenues[] = {
    {"qinghe-town", "青禾镇", v1::VENUE_KIND_TOWN, "演示区青禾镇人民政府", 0, false},
    {"dongpo-street", "东坡街道", v1::VENUE_KIND_TOWN, "演示区东坡路1号", 0, false},
    {"shuangqiao-town", "双桥镇", v1::VENUE_KIND_TOWN, "演示区双桥镇政府路8号", 0, false},
    {"liuan-community", "柳岸社区", v1::VENUE_KIND_COMMUNITY, "演示区柳岸路12号", 60, false},
    {"xingfuli-community", "幸福里社区", v1::VENUE_KIND_COMMUNITY, "演示区幸福里3号", 50, false},
    {"nanshan-community", "南山社区", v1::VENUE_KIND_COMMUNITY, "演示区南山路25号", 50, false},
    {"yuntai-tech", "云台智能科技有限公司", v1::VENUE_KIND_ENTERPRISE, "演示区云台路6号", 80,
     false},
    {"kangning-eldercare", "康宁养老服务中心", v1::VENUE_KIND_ENTERPRISE, "演示区康宁路18号", 40,
     false},
    {"fengshou-coop", "丰收农业专业合作社", v1::VENUE_KIND_ENTERPRISE, "演示区青禾镇丰收村", 40,
     false},
    {"hightech-park", "高新技术产业园", v1::VENUE_KIND_INDUSTRIAL_PARK, "演示区高新大道100号", 0,
     false},
    {"green-food-park", "绿色食品产业园", v1::VENUE_KIND_INDUSTRIAL_PARK, "演示区双桥镇工业路2号",
     0, false},
    {"meeting-room-1", "政协机关第一会议室", v1::VENUE_KIND_OFFICE, "演示区政务中心4楼", 40, true},
    {"meeting-room-2", "政协机关第二会议室", v1::VENUE_KIND_OFFICE, "演示区政务中心4楼", 60, true},
    {"lecture-hall", "政协委员活动中心报告厅", v1::VENUE_KIND_OFFICE, "演示区文化路9号", 300,
     false},
};

// A topic of the committee's annual programme: who studies it and where.
struct TopicSpec {
  const char* topic;
  const char* committee;
  const char* sector;    // members of this sector join its trips as optional guests
  const char* sites[3];  // field venues
};
constexpr TopicSpec kTopics[] = {
    {"乡村振兴",
     "committee-agriculture",
     "sector-agriculture",
     {"qinghe-town", "fengshou-coop", "green-food-park"}},
    {"营商环境",
     "committee-economy",
     "sector-business",
     {"hightech-park", "yuntai-tech", "dongpo-street"}},
    {"养老服务",
     "committee-social-legal",
     "sector-welfare",
     {"kangning-eldercare", "xingfuli-community", "nanshan-community"}},
    {"基层治理",
     "committee-social-legal",
     "sector-welfare",
     {"liuan-community", "dongpo-street", "shuangqiao-town"}},
    {"科技创新",
     "committee-economy",
     "sector-science",
     {"yuntai-tech", "hightech-park", "green-food-park"}},
    {"教育均衡发展",
     "committee-education",
     "sector-education",
     {"shuangqiao-town", "liuan-community", "qinghe-town"}},
    {"医疗卫生服务",
     "committee-education",
     "sector-health",
     {"nanshan-community", "kangning-eldercare", "shuangqiao-town"}},
    {"文化旅游融合",
     "committee-culture",
     "sector-culture",
     {"qinghe-town", "dongpo-street", "liuan-community"}},
    {"生态环境保护",
     "committee-agriculture",
     "sector-agriculture",
     {"shuangqiao-town", "green-food-park", "qinghe-town"}},
};

// Public holidays (法定节假日) on the same dates every year: nothing is booked on them and the
// organization's calendar lists them. Holidays of the lunar calendar are left out.
struct HolidaySpec {
  int month, first_day, last_day;
  const char* description;
};
constexpr HolidaySpec kHolidays[] = {{1, 1, 1, "元旦"}, {5, 1, 5, "劳动节"}, {10, 1, 7, "国庆节"}};

const HolidaySpec* HolidayOn(absl::CivilDay day) {
  for (const HolidaySpec& holiday : kHolidays) {
    if (day.month() == holiday.month && day.day() >= holiday.first_day &&
        day.day() <= holiday.last_day) {
      return &holiday;
    }
  }
  return nullptr;
}

constexpr const char* kLeaveReasons[] = {"因公出差", "参加单位重要会议", "身体原因", "家中有事"};

// A deterministic stream of small random choices; std::mt19937 output is fixed by the standard,
// unlike the std distributions, so the same seed gives the same demo everywhere.
class Dice {
 public:
  explicit Dice(uint32_t seed) : engine_(seed) {}
  int Below(int n) { return static_cast<int>(engine_() % static_cast<uint32_t>(n)); }
  bool Percent(int p) { return Below(100) < p; }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (int i = static_cast<int>(items.size()) - 1; i > 0; --i) {
      std::swap(items[i], items[Below(i + 1)]);
    }
  }

 private:
  std::mt19937 engine_;
};

struct DemoMember {
  std::string name;  // resource name
  v1::MemberRole role = v1::MEMBER_ROLE_MEMBER;
  bool active = true;
  std::vector<std::string> units;  // unit ids
};

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

common::v1::TimeRange Range(absl::Time start, absl::Time end) {
  common::v1::TimeRange range;
  *range.mutable_start_time() = ToProto(start);
  *range.mutable_end_time() = ToProto(end);
  return range;
}

std::string LastSegment(const std::string& name) { return name.substr(name.rfind('/') + 1); }

const VenueSpec& Venue(const std::string& id) {
  return *std::find_if(std::begin(kVenues), std::end(kVenues),
                       [&](const VenueSpec& venue) { return id == venue.id; });
}

// FNV-1a, so per-event choices do not depend on std::hash.
uint32_t Fingerprint(const std::string& text) {
  uint32_t hash = 2166136261u;
  for (const unsigned char c : text) hash = (hash ^ c) * 16777619u;
  return hash;
}

// The members and exclusive venues booked so far, to place each event where scheduling accepts
// it: members clash within the travel buffer, exclusive venues on any overlap.
class CalendarTracker {
 public:
  bool Free(const std::vector<std::string>& members, const std::string& exclusive_venue,
            absl::Time start, absl::Time end) const {
    for (const std::string& member : members) {
      if (Busy(member_busy_, member, start - kTravelBuffer, end + kTravelBuffer)) return false;
    }
    return exclusive_venue.empty() || !Busy(venue_busy_, exclusive_venue, start, end);
  }
  void Book(const std::vector<std::string>& members, const std::string& exclusive_venue,
            absl::Time start, absl::Time end) {
    for (const std::string& member : members) member_busy_[member].push_back({start, end});
    if (!exclusive_venue.empty()) venue_busy_[exclusive_venue].push_back({start, end});
  }

 private:
  using Calendars =
      absl::flat_hash_map<std::string, std::vector<std::pair<absl::Time, absl::Time>>>;
  static bool Busy(const Calendars& calendars, const std::string& key, absl::Time start,
                   absl::Time end) {
    const auto it = calendars.find(key);
    if (it == calendars.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const auto& booked) {
      return booked.first < end && start < booked.second;
    });
  }
  Calendars member_busy_;
  Calendars venue_busy_;
};

// When in a day an event may take place (hours in the organization's zone).
struct Period {
  int start_hour, start_minute, end_hour, end_minute;
};
constexpr Period kMorning = {9, 0, 12, 0};
constexpr Period kAfternoon = {14, 30, 17, 30};
constexpr Period kFullDay = {9, 0, 17, 0};

// Builds the plan step by step; one instance per MakeDemoPlan call.
class PlanBuilder {
 public:
  explicit PlanBuilder(const DemoOptions& options)
      : dice_(options.seed), zone_(LoadZone()), monday_(MondayOf(options.now)) {
    plan_.options = options;
    plan_.parent = absl::StrCat("organizations/", options.organization_id);
    plan_.request_id_prefix = absl::StrFormat("demo/%d/%04d%02d%02d/", options.seed, monday_.year(),
                                              monday_.month(), monday_.day());
  }

  DemoPlan Build() {
    AddOrganization();
    AddUnits();
    AddVenues();
    AddMembers();
    AddEvents();
    return std::move(plan_);
  }

 private:
  static absl::TimeZone LoadZone() {
    absl::TimeZone zone;
    return absl::LoadTimeZone("Asia/Shanghai", &zone) ? zone : absl::FixedTimeZone(8 * 3600);
  }
  absl::CivilDay MondayOf(absl::Time now) const {
    const absl::CivilDay today = absl::ToCivilDay(now, zone_);
    return today -
           (static_cast<int>(absl::GetWeekday(today)) - static_cast<int>(absl::Weekday::monday));
  }
  absl::Time At(absl::CivilDay day, int hour, int minute) const {
    return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute),
                           zone_);
  }
  std::string UnitName(const std::string& id) const {
    return absl::StrCat(plan_.parent, "/units/", id);
  }
  std::string VenueName(const std::string& id) const {
    return absl::StrCat(plan_.parent, "/venues/", id);
  }

  void AddOrganization() {
    v1::CreateOrganizationRequest& request = plan_.organization;
    request.set_organization_id(plan_.options.organization_id);
    request.set_request_id(plan_.RequestId("organization"));
    v1::Organization& organization = *request.mutable_organization();
    organization.set_display_name("演示区政协");
    organization.set_time_zone("Asia/Shanghai");
    for (absl::CivilDay day = monday_ + 7 * kFirstWeek; day < monday_ + 7 * (kLastWeek + 1);
         ++day) {
      const HolidaySpec* holiday = HolidayOn(day);
      if (holiday == nullptr) continue;
      v1::CalendarException& exception = *organization.mutable_work_calendar()->add_exceptions();
      exception.mutable_date()->set_year(static_cast<int32_t>(day.year()));
      exception.mutable_date()->set_month(day.month());
      exception.mutable_date()->set_day(day.day());
      exception.set_kind(v1::CALENDAR_EXCEPTION_KIND_HOLIDAY);
      exception.set_description(holiday->description);
    }
    // Off while the past events' attendance is entered; the loader's last step turns it on.
    organization.mutable_attendance_settings()->set_auto_finalize_disabled(true);
  }

  void AddUnit(const char* id, const char* display_name, v1::UnitKind kind,
               const char* description) {
    v1::CreateUnitRequest& request = plan_.units.emplace_back();
    request.set_parent(plan_.parent);
    request.set_unit_id(id);
    request.set_request_id(plan_.RequestId(absl::StrCat("unit/", id)));
    request.mutable_unit()->set_display_name(display_name);
    request.mutable_unit()->set_kind(kind);
    request.mutable_unit()->set_description(description);
  }

  void AddUnits() {
    for (const SectorSpec& sector : kSectors) {
      AddUnit(sector.id, sector.display_name, v1::UNIT_KIND_SECTOR, "");
    }
    for (const auto* specs : {&kCommittees, &kGroups}) {
      for (const UnitSpec& unit : *specs)
        AddUnit(unit.id, unit.display_name, unit.kind, unit.description);
    }
    for (const UnitSpec& unit : kStudios)
      AddUnit(unit.id, unit.display_name, unit.kind, unit.description);
    AddUnit(kJointGroup.id, kJointGroup.display_name, kJointGroup.kind, kJointGroup.description);
    plan_.units.back().mutable_unit()->add_component_units(UnitName("sector-economy"));
    plan_.units.back().mutable_unit()->add_component_units(UnitName("sector-science"));
  }

  void AddVenues() {
    for (const VenueSpec& spec : kVenues) {
      v1::CreateVenueRequest& request = plan_.venues.emplace_back();
      request.set_parent(plan_.parent);
      request.set_venue_id(spec.id);
      request.set_request_id(plan_.RequestId(absl::StrCat("venue/", spec.id)));
      v1::Venue& venue = *request.mutable_venue();
      venue.set_display_name(spec.display_name);
      venue.set_kind(spec.kind);
      venue.set_address(spec.address);
      venue.set_capacity(spec.capacity);
      venue.set_exclusive(spec.exclusive);
    }
  }

  void AddMembers() {
    std::vector<std::string> names;
    for (const char* surname : kSurnames) {
      for (const char* given : kGivenNames) names.push_back(absl::StrCat(surname, given));
    }
    dice_.Shuffle(names);
    v1::ImportMembersRequest& request = plan_.members;
    request.set_parent(plan_.parent);
    request.set_request_id(plan_.RequestId("members"));
    for (int i = 0; i < kMemberCount; ++i) {
      DemoMember& member = members_.emplace_back();
      member.name = absl::StrFormat("%s/members/m%03d", plan_.parent, i + 1);
      member.role = i == 0                 ? v1::MEMBER_ROLE_CHAIR
                    : i <= kViceChairs     ? v1::MEMBER_ROLE_VICE_CHAIR
                    : i < kStandingMembers ? v1::MEMBER_ROLE_STANDING_COMMITTEE_MEMBER
                                           : v1::MEMBER_ROLE_MEMBER;
      member.active = i < kMemberCount - kInactiveMembers;
      const SectorSpec& sector = kSectors[i % std::size(kSectors)];
      member.units.push_back(sector.id);
      // The chair and vice chairs lead activities rather than sit on a special committee.
      if (i > kViceChairs && dice_.Percent(85)) {
        member.units.push_back(kCommittees[dice_.Below(std::size(kCommittees))].id);
      }
      member.units.push_back(kGroups[dice_.Below(std::size(kGroups))].id);
      if (dice_.Percent(10)) member.units.push_back(kStudios[dice_.Below(std::size(kStudios))].id);

      v1::Member& row = *request.add_members();
      row.set_name(member.name);
      row.set_display_name(names[i]);
      row.set_role(member.role);
      row.set_status(member.active ? v1::MEMBER_STATUS_ACTIVE : v1::MEMBER_STATUS_INACTIVE);
      for (const std::string& unit : member.units) row.add_units(UnitName(unit));
      row.set_affiliation(sector.affiliation);
      row.mutable_term()->set_label("第九届");
      common::v1::CivilDate& start = *row.mutable_term()->mutable_start_date();
      start.set_year(2022);
      start.set_month(1);
      start.set_day(1);
      common::v1::CivilDate& end = *row.mutable_term()->mutable_end_date();
      end.set_year(2026);
      end.set_month(12);
      end.set_day(31);
    }
  }

  // Active members of a unit as scheduling expands it (a joint group through its sectors).
  std::vector<std::string> ActiveMembersOf(const std::string& unit_id) const {
    std::vector<std::string> sectors = {unit_id};
    if (unit_id == kJointGroup.id) sectors = {"sector-economy", "sector-science"};
    std::vector<std::string> found;
    for (const DemoMember& member : members_) {
      if (!member.active) continue;
      for (const std::string& unit : member.units) {
        if (std::find(sectors.begin(), sectors.end(), unit) != sectors.end()) {
          found.push_back(member.name);
          break;
        }
      }
    }
    return found;
  }

  // The lead and required members of `event`: they must be free when it is booked.
  std::vector<std::string> RequiredMembers(const v1::Event& event) const {
    std::vector<std::string> required;
    for (const v1::Participant& participant : event.participants()) {
      if (participant.role() != v1::PARTICIPANT_ROLE_OPTIONAL)
        required.push_back(participant.member());
    }
    for (const v1::InvitedUnit& invited : event.invited_units()) {
      if (invited.role() != v1::PARTICIPANT_ROLE_REQUIRED) continue;
      for (std::string& member : ActiveMembersOf(LastSegment(invited.unit()))) {
        required.push_back(std::move(member));
      }
    }
    return required;
  }

  // The chair and vice chairs, who lead events and are never invited as guests.
  bool IsLeader(const std::string& member) const {
    return std::any_of(members_.begin(), members_.begin() + kViceChairs + 1,
                       [&](const DemoMember& leader) { return leader.name == member; });
  }

  static void Invite(v1::Event& event, const std::string& member, v1::ParticipantRole role) {
    v1::Participant& participant = *event.add_participants();
    participant.set_member(member);
    participant.set_role(role);
  }
  void InviteUnit(v1::Event& event, const std::string& unit_id, v1::ParticipantRole role) const {
    v1::InvitedUnit& invited = *event.add_invited_units();
    invited.set_unit(UnitName(unit_id));
    invited.set_role(role);
  }

  // An event to place: everything but its time, its lead and its itinerary times.
  struct Draft {
    v1::Event event;
    std::vector<std::string> leads;  // tried in order until one is free
    std::vector<Period> periods;
    std::vector<std::string> sites;  // itinerary venues of a full-day trip
  };

  Draft ResearchTrip(const TopicSpec& topic) {
    Draft draft;
    v1::Event& event = draft.event;
    event.set_kind(v1::EVENT_KIND_RESEARCH_TRIP);
    event.set_title(absl::StrCat("关于", topic.topic, "的专题调研"));
    event.add_topics(topic.topic);
    event.set_organizing_unit(UnitName(topic.committee));
    InviteUnit(event, topic.committee, v1::PARTICIPANT_ROLE_REQUIRED);
    std::vector<std::string> guests;
    for (std::string& member : ActiveMembersOf(topic.sector)) {
      if (!IsLeader(member)) guests.push_back(std::move(member));
    }
    dice_.Shuffle(guests);
    for (int i = 0; i < 3 && i < static_cast<int>(guests.size()); ++i) {
      Invite(event, guests[i], v1::PARTICIPANT_ROLE_OPTIONAL);
    }
    const int first = dice_.Below(3);
    draft.sites = {topic.sites[first], topic.sites[(first + 1) % 3]};
    event.set_description(absl::StrCat("调研组赴", Venue(draft.sites[0]).display_name, "、",
                                       Venue(draft.sites[1]).display_name,
                                       "实地察看，召开座谈会听取基层意见建议。"));
    draft.periods = {kFullDay};
    return draft;
  }

  Draft Inspection(const TopicSpec& topic) {
    Draft draft;
    v1::Event& event = draft.event;
    event.set_kind(v1::EVENT_KIND_INSPECTION);
    event.set_title(absl::StrCat(topic.topic, "工作视察"));
    event.add_topics(topic.topic);
    event.set_organizing_unit(UnitName(topic.committee));
    InviteUnit(event, kGroups[dice_.Below(std::size(kGroups))].id, v1::PARTICIPANT_ROLE_REQUIRED);
    const VenueSpec& site = Venue(topic.sites[dice_.Below(3)]);
    event.set_venue(VenueName(site.id));
    event.set_description(absl::StrCat("视察", site.display_name, topic.topic, "工作推进情况。"));
    draft.periods = {kMorning, kAfternoon};
    return draft;
  }

  Draft Consultation(const TopicSpec& topic) {
    Draft draft;
    v1::Event& event = draft.event;
    event.set_kind(v1::EVENT_KIND_CONSULTATION);
    event.set_title(absl::StrCat(topic.topic, "重点提案督办协商会"));
    event.add_topics(topic.topic);
    event.set_organizing_unit(UnitName("committee-proposals"));
    InviteUnit(event, "committee-proposals", v1::PARTICIPANT_ROLE_REQUIRED);
    InviteUnit(event, topic.committee, v1::PARTICIPANT_ROLE_OPTIONAL);
    event.set_venue(VenueName("meeting-room-2"));
    event.set_description("同您协商、议关键事：听取承办单位办理情况通报，委员与部门面对面协商。");
    draft.periods = {kMorning, kAfternoon};
    return draft;
  }

  Draft StandingCommitteeMeeting(int number) {
    Draft draft;
    v1::Event& event = draft.event;
    event.set_kind(v1::EVENT_KIND_MEETING);
    event.set_title(absl::StrCat("第九届常委会第", number, "次会议"));
    event.add_topics("常委会议");
    for (int i = 1; i < kStandingMembers; ++i) {
      Invite(event, members_[i].name, v1::PARTICIPANT_ROLE_REQUIRED);
    }
    event.set_venue(VenueName("meeting-room-1"));
    event.set_description("审议年度工作报告，通报重点提案办理情况。");
    draft.leads = {members_[0].name};
    draft.periods = {kMorning};
    return draft;
  }

  Draft Lecture(const TopicSpec& topic) {
    Draft draft;
    v1::Event& event = draft.event;
    event.set_kind(v1::EVENT_KIND_STUDY);
    event.set_title(absl::StrCat("政协大讲堂：", topic.topic, "专题讲座"));
    event.add_topics(topic.topic);
    event.set_organizing_unit(UnitName("committee-culture"));
    for (const UnitSpec& group : kGroups)
      InviteUnit(event, group.id, v1::PARTICIPANT_ROLE_OPTIONAL);
    event.set_venue(VenueName("lecture-hall"));
    event.set_description("邀请专家作专题辅导，委员自愿参加。");
    draft.periods = {kAfternoon};
    return draft;
  }

  // Places `draft` on a free day and period of the week starting `monday`, with the first free
  // lead; false when the week has no room for it.
  bool Place(Draft& draft, absl::CivilDay monday) {
    if (draft.leads.empty()) {
      for (int i = 1; i <= kViceChairs; ++i) draft.leads.push_back(members_[i].name);
      std::rotate(draft.leads.begin(), draft.leads.begin() + dice_.Below(kViceChairs),
                  draft.leads.end());
    }
    std::vector<std::pair<int, Period>> slots;
    for (int day = 0; day < 5; ++day) {
      if (HolidayOn(monday + day) != nullptr) continue;
      for (const Period& period : draft.periods) slots.emplace_back(day, period);
    }
    dice_.Shuffle(slots);
    const std::string venue =
        draft.event.venue().empty() || !Venue(LastSegment(draft.event.venue())).exclusive
            ? ""
            : draft.event.venue();
    for (const auto& [day, period] : slots) {
      const absl::Time start = At(monday + day, period.start_hour, period.start_minute);
      const absl::Time end = At(monday + day, period.end_hour, period.end_minute);
      // An event under way or just ended would get neither attendance nor a future.
      if (start <= plan_.options.now && plan_.options.now < end + kPastMargin) continue;
      for (const std::string& lead : draft.leads) {
        v1::Event event = draft.event;
        Invite(event, lead, v1::PARTICIPANT_ROLE_LEAD);
        const std::vector<std::string> required = RequiredMembers(event);
        if (!calendars_.Free(required, venue, start, end)) continue;
        calendars_.Book(required, venue, start, end);
        *event.mutable_time_range() = Range(start, end);
        AddItinerary(event, draft.sites, monday + day);
        draft.event = std::move(event);
        return true;
      }
    }
    return false;
  }

  void AddItinerary(v1::Event& event, const std::vector<std::string>& sites,
                    absl::CivilDay day) const {
    const Period stops[] = {{9, 30, 11, 30}, {14, 0, 16, 30}};
    const char* notes[] = {"实地察看", "座谈交流"};
    for (size_t i = 0; i < sites.size(); ++i) {
      v1::ItineraryStop& stop = *event.add_itinerary();
      stop.set_venue(VenueName(sites[i]));
      *stop.mutable_time_range() = Range(At(day, stops[i].start_hour, stops[i].start_minute),
                                         At(day, stops[i].end_hour, stops[i].end_minute));
      stop.set_note(notes[i]);
    }
  }

  void AddEvents() {
    std::vector<v1::Event> placed;
    int meetings = 0;
    for (int week = kFirstWeek; week <= kLastWeek; ++week) {
      std::vector<Draft> drafts;
      const int regular = 2 + dice_.Below(2);
      for (int i = 0; i < regular; ++i) {
        const TopicSpec& topic = kTopics[dice_.Below(std::size(kTopics))];
        const int kind = dice_.Below(100);
        drafts.push_back(kind < 50   ? ResearchTrip(topic)
                         : kind < 85 ? Inspection(topic)
                                     : Consultation(topic));
      }
      if ((week - kFirstWeek) % 4 == 1) drafts.push_back(StandingCommitteeMeeting(++meetings));
      if ((week - kFirstWeek) % 5 == 3) {
        drafts.push_back(Lecture(kTopics[dice_.Below(std::size(kTopics))]));
      }
      for (Draft& draft : drafts) {
        if (Place(draft, monday_ + 7 * week)) placed.push_back(std::move(draft.event));
      }
    }
    std::stable_sort(placed.begin(), placed.end(), [](const v1::Event& a, const v1::Event& b) {
      return a.time_range().start_time().seconds() < b.time_range().start_time().seconds();
    });
    AddPlacedEvents(placed);
  }

  // Numbers the events in time order; the last two planned ones stay drafts, and the first
  // inspection more than a week ahead is called off.
  void AddPlacedEvents(std::vector<v1::Event>& placed) {
    const absl::Time now = plan_.options.now;
    int planned_left =
        static_cast<int>(std::count_if(placed.begin(), placed.end(), [&](const v1::Event& e) {
          return absl::FromUnixSeconds(e.time_range().start_time().seconds()) > now;
        }));
    bool cancelled = false;
    for (size_t i = 0; i < placed.size(); ++i) {
      v1::Event& event = placed[i];
      const absl::Time start = absl::FromUnixSeconds(event.time_range().start_time().seconds());
      const absl::Time end = absl::FromUnixSeconds(event.time_range().end_time().seconds());
      PlannedEvent& planned = plan_.events.emplace_back();
      const std::string id = absl::StrFormat("event-%03d", i + 1);
      planned.past = end + kPastMargin <= now;
      if (start > now) {
        if (planned_left-- <= 2) {
          event.set_state(v1::EVENT_STATE_DRAFT);
        } else if (!cancelled && event.kind() == v1::EVENT_KIND_INSPECTION &&
                   start > now + absl::Hours(24 * 7)) {
          planned.cancel_reason = "因上级工作安排调整，本次视察延期举行";
          cancelled = true;
        }
      }
      if (event.state() != v1::EVENT_STATE_DRAFT) event.set_state(v1::EVENT_STATE_SCHEDULED);
      planned.create.set_parent(plan_.parent);
      planned.create.set_event_id(id);
      planned.create.set_request_id(plan_.RequestId(absl::StrCat("event/", id)));
      *planned.create.mutable_event() = std::move(event);
    }
  }

  DemoPlan plan_;
  Dice dice_;
  absl::TimeZone zone_;
  absl::CivilDay monday_;
  std::vector<DemoMember> members_;
  CalendarTracker calendars_;
};

}  // namespace

std::string DemoPlan::RequestId(const std::string& suffix) const {
  return absl::StrCat(request_id_prefix, suffix);
}

DemoPlan MakeDemoPlan(const DemoOptions& options) { return PlanBuilder(options).Build(); }

AttendancePlan PlanAttendance(const DemoPlan& plan, const v1::Event& event) {
  Dice dice(plan.options.seed ^ Fingerprint(event.name()));
  const std::string event_id = LastSegment(event.name());
  const absl::Time start = absl::FromUnixSeconds(event.time_range().start_time().seconds());
  const absl::Time end = absl::FromUnixSeconds(event.time_range().end_time().seconds());
  AttendancePlan attendance;
  attendance.check_ins.set_event(event.name());
  attendance.check_ins.set_request_id(plan.RequestId(absl::StrCat("check-in/", event_id)));
  attendance.finalize.set_event(event.name());
  attendance.finalize.set_request_id(plan.RequestId(absl::StrCat("finalize/", event_id)));
  for (const v1::Participant& participant : event.resolved_participants()) {
    const bool required = participant.role() != v1::PARTICIPANT_ROLE_OPTIONAL;
    const std::string record =
        absl::StrCat(event.name(), "/attendance/", LastSegment(participant.member()));
    const int roll = dice.Below(100);
    const bool lead = participant.role() == v1::PARTICIPANT_ROLE_LEAD;
    if (required && !lead && roll < 6) {
      av1::RequestLeaveRequest& leave = attendance.leaves.emplace_back();
      leave.set_name(record);
      leave.set_reason(kLeaveReasons[dice.Below(std::size(kLeaveReasons))]);
      leave.set_approve(true);
      leave.set_request_id(
          plan.RequestId(absl::StrCat("leave/", event_id, "/", LastSegment(participant.member()))));
      continue;
    }
    if (!lead && (required ? roll < 10 : roll < 50)) continue;  // did not come
    av1::BatchCheckInRow& row = *attendance.check_ins.add_rows();
    row.set_member(participant.member());
    const bool late = !lead && dice.Percent(8);
    const absl::Time arrived = late ? start + absl::Minutes(15 + dice.Below(30))
                                    : start - absl::Minutes(5 + dice.Below(25));
    *row.mutable_check_in_time() = ToProto(arrived);
    if (!dice.Percent(70)) continue;  // did not sign out
    const absl::Time left = !lead && dice.Percent(5) ? end - absl::Minutes(30 + dice.Below(30))
                                                     : end + absl::Minutes(dice.Below(15));
    *row.mutable_check_out_time() = ToProto(left);
  }
  return attendance;
}

}  // namespace fieldwork::demo
