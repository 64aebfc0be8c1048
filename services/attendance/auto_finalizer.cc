// Automatic finalization (see auto_finalizer.h).
#include "services/attendance/auto_finalizer.h"

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "common/api/request_record.h"

namespace fieldwork::attendance {
namespace {

// auto_finalize_after is at most 30 days; one more day covers an event that ended while no
// replica ran for a day.
constexpr absl::Duration kLookBack = absl::Hours(24 * 31);
// auto_finalize_after is at least an hour (scheduling validates it): an event that started within
// the last hour cannot be due yet.
constexpr absl::Duration kShortestFinalizeDelay = absl::Hours(1);
constexpr absl::Duration kSweepBudget = absl::Seconds(10);

}  // namespace

Interval SweepWindow(absl::Time now) { return {now - kLookBack, now - kShortestFinalizeDelay}; }

AutoFinalizer::AutoFinalizer(const SchedulingClient& scheduling, const EventFinalizer& finalizer,
                             absl::Duration interval)
    : scheduling_(scheduling), finalizer_(finalizer), task_(interval, [this] { SweepOnce(); }) {}

void AutoFinalizer::SweepOnce() const {
  absl::StatusOr<std::vector<std::string>> organizations =
      scheduling_.ListOrganizationIds(absl::Now() + kSweepBudget);
  if (!organizations.ok()) {
    spdlog::warn("auto-finalize: cannot list organizations: {}", organizations.status().ToString());
    return;
  }
  const RequestRecord no_request_id(nullptr, "", "", v1::FinalizeEventRequest());
  for (const std::string& organization : *organizations) {
    // Scheduling takes time ranges in whole seconds.
    const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
    absl::StatusOr<std::vector<EventFacts>> events = scheduling_.ListEventFacts(
        std::nullopt, organization, SweepWindow(now), "", now + kSweepBudget);
    if (!events.ok()) {
      spdlog::warn("auto-finalize: events of {}: {}", organization, events.status().ToString());
      continue;
    }
    for (const EventFacts& event : *events) {
      if (!event.rules.auto_finalize || event.time.end + event.rules.auto_finalize_after > now) {
        continue;
      }
      v1::FinalizeEventResponse response;
      const Action action{"system", false, absl::Now()};
      absl::Status finalized =
          finalizer_.Finalize(event, action, no_request_id, response, absl::Now() + kSweepBudget);
      if (!finalized.ok()) {
        spdlog::warn("auto-finalize: {}: {}", event.event_name, finalized.ToString());
      } else if (!response.already_finalized()) {
        spdlog::info("auto-finalized {} ({} records)", event.event_name, response.records_size());
      }
    }
  }
}

}  // namespace fieldwork::attendance
