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

SchedulingClient::~SchedulingClient() {
  // Refreshes end within the call timeout; their callbacks use this client.
  absl::MutexLock lock(&refreshes_mu_);
  refreshes_mu_.Await(absl::Condition(
      +[](int* refreshes) { return *refreshes == 0; }, &refreshes_));
}

void SchedulingClient::EventFactsWithoutWaiting(const Principal& caller,
                                                absl::string_view event_name,
                                                EventFactsCache::Ready done) const {
  if (!cache_.enabled()) return std::move(done)(nullptr);
  // Hidden facts are no answer here: the waiting way gives the caller its error.
  EventFactsCache::Ready visible =
      [caller, done = std::move(done)](std::shared_ptr<const EventFacts> facts) mutable {
        if (facts != nullptr && !MemberView(caller, *facts).ok()) facts = nullptr;
        std::move(done)(std::move(facts));
      };
  bool read = false;
  std::shared_ptr<const EventFacts> facts = cache_.Peek(event_name, absl::Now(), &read);
  if (facts != nullptr) {
    if (read) RefreshAsync(caller, event_name);
    return std::move(visible)(std::move(facts));
  }
  cache_.Await(event_name, std::move(visible), &read);
  if (read) RefreshAsync(caller, event_name);
}

// One refresh of a cached event: the event, then its organization's rules, read without waiting.
struct SchedulingClient::Refresh {
  std::string event_name;
  absl::Time started;
  grpc::ClientContext event_context;
  sv1::GetEventRequest event_request;
  sv1::Event event;
  grpc::ClientContext organization_context;
  sv1::GetOrganizationRequest organization_request;
  sv1::Organization organization;
};

void SchedulingClient::RefreshAsync(const Principal& caller, absl::string_view event_name) const {
  auto refresh = std::make_shared<Refresh>();
  refresh->event_name = std::string(event_name);
  refresh->started = absl::Now();
  absl::StatusOr<ChildName> name = ParseEventName(event_name);
  if (!name.ok()) return cache_.FinishRefresh(event_name, name.status(), refresh->started);
  const absl::Time deadline = refresh->started + call_timeout_;
  Prepare(refresh->event_context, caller, deadline);
  Prepare(refresh->organization_context, caller, deadline);
  refresh->event_request.set_name(refresh->event_name);
  refresh->organization_request.set_name(FormatOrganizationName(name->organization));
  {
    absl::MutexLock lock(&refreshes_mu_);
    ++refreshes_;
  }
  const auto finish = [this](const Refresh& done,
                             const absl::StatusOr<std::shared_ptr<const EventFacts>>& fetched) {
    cache_.FinishRefresh(done.event_name, fetched, done.started);
    absl::MutexLock lock(&refreshes_mu_);
    --refreshes_;
  };
  stub_->async()->GetEvent(
      &refresh->event_context, &refresh->event_request, &refresh->event,
      [this, refresh, finish](grpc::Status status) {
        if (!status.ok()) return finish(*refresh, FromPeer("scheduling", status));
        stub_->async()->GetOrganization(
            &refresh->organization_context, &refresh->organization_request, &refresh->organization,
            [refresh, finish](grpc::Status status) {
              if (!status.ok()) return finish(*refresh, FromPeer("scheduling", status));
              absl::StatusOr<EventFacts> facts = FactsFrom(refresh->event, refresh->organization);
              if (!facts.ok()) return finish(*refresh, facts.status());
              finish(*refresh, std::make_shared<const EventFacts>(*std::move(facts)));
            });
      });
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
