// The background sweep of lapsed holds and ended events (see lifecycle_sweeper.h).
#include "services/scheduling/lifecycle_sweeper.h"

#include <string>

#include "common/api/resource_names.h"
#include "services/scheduling/event_booking.h"
#include "services/scheduling/hold_booking.h"
#include "services/scheduling/organization_store.h"
#include "spdlog/spdlog.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kOrganizationsPerPage = 200;

}  // namespace

LifecycleSweeper::LifecycleSweeper(const SchedulingDeps& deps, absl::Duration interval)
    : deps_(deps), task_(interval, [this] { SweepOnce(); }) {}

void LifecycleSweeper::SweepOnce() const {
  const OrganizationStore organizations(deps_.redis);
  const HoldBooking holds(deps_);
  const EventBooking events(deps_);
  std::string after;
  while (true) {
    absl::StatusOr<OrganizationStore::Page> page =
        organizations.List(after, kOrganizationsPerPage, absl::Now() + deps_.rpc_budget);
    if (!page.ok()) {
      spdlog::warn("lifecycle sweep: cannot list organizations: {}", page.status().ToString());
      return;
    }
    for (const v1::Organization& organization : page->organizations) {
      absl::StatusOr<std::string> id = ParseOrganizationName(organization.name());
      if (!id.ok()) continue;
      after = *id;
      if (absl::Status swept = holds.ExpireDue(*id, absl::Now() + deps_.rpc_budget); !swept.ok()) {
        spdlog::warn("lifecycle sweep: holds of {}: {}", *id, swept.ToString());
      }
      if (absl::Status swept = events.CompleteEnded(*id, absl::Now() + deps_.rpc_budget);
          !swept.ok()) {
        spdlog::warn("lifecycle sweep: events of {}: {}", *id, swept.ToString());
      }
    }
    if (!page->more || page->organizations.empty()) return;
  }
}

}  // namespace fieldwork::scheduling
