// ListEvents without I/O: the filters of a request and which events match them.
#ifndef FIELDWORK_SERVICES_SCHEDULING_EVENT_LISTING_H_
#define FIELDWORK_SERVICES_SCHEDULING_EVENT_LISTING_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "common/api/interval.h"
#include "common/errors.h"
#include "fieldwork/scheduling/v1/scheduling_service.pb.h"

namespace fieldwork::scheduling {

struct EventFilter {
  Interval window{absl::InfinitePast(), absl::InfiniteFuture()};
  absl::flat_hash_set<int> kinds;   // empty: all
  absl::flat_hash_set<int> states;  // empty: all
  std::string member;               // member id; "" for all
  std::string unit;                 // unit name; "" for all
  std::string venue;                // venue name; "" for all
  std::string topic;                // "" for all
  bool hide_drafts = false;         // members never see drafts
};

// Checks the filter fields of `request` (of `organization`) into a filter.
EventFilter CheckEventFilter(const v1::ListEventsRequest& request, absl::string_view organization,
                             FieldErrors& errors);

bool Matches(const v1::Event& event, const EventFilter& filter);

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_EVENT_LISTING_H_
