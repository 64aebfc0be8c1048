// The booking scenarios' requests (see booking_load.h).
#include "tools/load-generator/booking_load.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"

namespace fieldwork::bench {

namespace sv1 = ::fieldwork::scheduling::v1;

int UncontendedGroup(int members, int members_per_event) {
  return std::max(1, members / members_per_event);
}

sv1::CreateEventRequest BookingRequest(const BookingLayout& layout, int64_t index) {
  const int64_t organizations = static_cast<int64_t>(layout.organizations.size());
  const SeededOrganization& organization = layout.organizations[index % organizations];
  const int64_t booking = index / organizations;
  const int64_t members = static_cast<int64_t>(organization.members.size());
  const absl::Time start = layout.first_start + layout.spacing * (booking / layout.group);
  sv1::CreateEventRequest request;
  request.set_parent(OrganizationName(organization));
  sv1::Event& event = *request.mutable_event();
  event.set_kind(sv1::EVENT_KIND_RESEARCH_TRIP);
  event.set_title(absl::StrCat("压测调研 ", index));
  event.set_state(sv1::EVENT_STATE_SCHEDULED);
  *event.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
  *event.mutable_time_range()->mutable_end_time() = ToTimestamp(start + layout.length);
  for (int j = 0; j < layout.members_per_event; ++j) {
    sv1::Participant& participant = *event.add_participants();
    participant.set_member(
        absl::StrCat(OrganizationName(organization), "/members/",
                     organization.members[(booking * layout.members_per_event + j) % members]));
    participant.set_role(sv1::PARTICIPANT_ROLE_REQUIRED);
  }
  return request;
}

}  // namespace fieldwork::bench
