// Attendance's view of the scheduling service (see scheduling_client.h).
#include "services/attendance/scheduling_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/peer_call.h"
#include "common/api/resource_names.h"

namespace fieldwork::attendance {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;

constexpr int kEventPageSize = 500;

}  // namespace

SchedulingClient::SchedulingClient(std::shared_ptr<grpc::Channel> channel, ServiceToken* token,
                                   absl::Duration call_timeout, absl::Duration event_cache_ttl)
    : stub_(sv1::SchedulingService::NewStub(std::move(channel))),
      token_(token),
      call_timeout_(call_timeout),
      cache_(event_cache_ttl) {}

void SchedulingClient::Prepare(grpc::ClientContext& context, const std::optional<Principal>& caller,
                               absl::Time deadline) const {
  PreparePeerContext(context, {token_, call_timeout_}, caller, deadline);
}

absl::StatusOr<sv1::Organization> SchedulingClient::GetOrganization(
    const std::optional<Principal>& caller, absl::string_view organization,
    absl::Time deadline) const {
  grpc::ClientContext context;
  Prepare(context, caller, deadline);
  sv1::GetOrganizationRequest request;
  request.set_name(FormatOrganizationName(organization));
  sv1::Organization answer;
  if (absl::Status status =
          FromPeer("scheduling", stub_->GetOrganization(&context, request, &answer));
      !status.ok()) {
    return status;
  }
  return answer;
}

absl::StatusOr<std::shared_ptr<const EventFacts>> SchedulingClient::GetEventFacts(
    const std::optional<Principal>& caller, absl::string_view event_name, absl::Time deadline,
    absl::string_view only_member) const {
  absl::StatusOr<ChildName> name = ParseEventName(event_name);
  if (!name.ok()) return name.status();
  // Facts for one member are never cached: the cache serves every call about the event.
  if (!caller.has_value() || !cache_.enabled()) {
    return ReadEventFacts(caller, event_name, name->organization, only_member, deadline);
  }
  absl::StatusOr<std::shared_ptr<const EventFacts>> facts = cache_.GetOrFetch(
      event_name, absl::Now, deadline,
      [&]() { return ReadEventFacts(caller, event_name, name->organization, "", deadline); });
  if (!facts.ok()) return facts.status();
  if (absl::Status visible = MemberView(*caller, **facts); !visible.ok()) return visible;
  return facts;
}

std::shared_ptr<const EventFacts> SchedulingClient::CachedEventFacts(
    const Principal& caller, absl::string_view event_name) const {
  std::shared_ptr<const EventFacts> facts = cache_.Peek(event_name, absl::Now());
  if (facts == nullptr || !MemberView(caller, *facts).ok()) return nullptr;
  return facts;
}

absl::StatusOr<std::shared_ptr<const EventFacts>> SchedulingClient::ReadEventFacts(
    const std::optional<Principal>& caller, absl::string_view event_name,
    absl::string_view organization, absl::string_view only_member, absl::Time deadline) const {
  grpc::ClientContext context;
  Prepare(context, caller, deadline);
  sv1::GetEventRequest request;
  request.set_name(std::string(event_name));
  request.set_member(std::string(only_member));
  sv1::Event event;
  if (absl::Status status = FromPeer("scheduling", stub_->GetEvent(&context, request, &event));
      !status.ok()) {
    return status;
  }
  absl::StatusOr<sv1::Organization> settings = GetOrganization(caller, organization, deadline);
  if (!settings.ok()) return settings.status();
  absl::StatusOr<EventFacts> facts = FactsFrom(event, *settings);
  if (!facts.ok()) return facts.status();
  return std::make_shared<const EventFacts>(*std::move(facts));
}

absl::StatusOr<std::vector<EventFacts>> SchedulingClient::ListEventFacts(
    const std::optional<Principal>& caller, absl::string_view organization, const Interval& window,
    absl::string_view member, absl::Time deadline) const {
  absl::StatusOr<sv1::Organization> settings = GetOrganization(caller, organization, deadline);
  if (!settings.ok()) return settings.status();
  sv1::ListEventsRequest request;
  request.set_parent(FormatOrganizationName(organization));
  request.set_page_size(kEventPageSize);
  *request.mutable_time_range() = ToTimeRange(window);
  request.add_states(sv1::EVENT_STATE_SCHEDULED);
  request.add_states(sv1::EVENT_STATE_COMPLETED);
  request.set_member(std::string(member));
  // What FactsFrom reads; the rest (direct participants, itinerary, notes) is left at scheduling.
  for (const char* field : {"name", "state", "time_range", "resolved_participants"}) {
    request.mutable_read_mask()->add_paths(field);
  }
  std::vector<EventFacts> events;
  do {
    grpc::ClientContext context;
    Prepare(context, caller, deadline);
    sv1::ListEventsResponse page;
    if (absl::Status status = FromPeer("scheduling", stub_->ListEvents(&context, request, &page));
        !status.ok()) {
      return status;
    }
    for (const sv1::Event& event : page.events()) {
      absl::StatusOr<EventFacts> facts = FactsFrom(event, *settings);
      if (!facts.ok()) return facts.status();
      events.push_back(*std::move(facts));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return events;
}

absl::StatusOr<std::vector<std::string>> SchedulingClient::ListOrganizationIds(
    absl::Time deadline) const {
  sv1::ListOrganizationsRequest request;
  request.set_page_size(500);
  std::vector<std::string> ids;
  do {
    grpc::ClientContext context;
    Prepare(context, std::nullopt, deadline);
    sv1::ListOrganizationsResponse page;
    if (absl::Status status =
            FromPeer("scheduling", stub_->ListOrganizations(&context, request, &page));
        !status.ok()) {
      return status;
    }
    for (const sv1::Organization& organization : page.organizations()) {
      absl::StatusOr<std::string> id = ParseOrganizationName(organization.name());
      if (id.ok()) ids.push_back(*std::move(id));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return ids;
}

}  // namespace fieldwork::attendance
