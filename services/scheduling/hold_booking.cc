// Creating, releasing, confirming and expiring holds (see hold_booking.h).
#include "services/scheduling/hold_booking.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/errors.h"
#include "services/scheduling/booking_store.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/event_booking.h"
#include "services/scheduling/hold_rules.h"
#include "services/scheduling/hold_store.h"
#include "services/scheduling/roster_facts.h"
#include "spdlog/spdlog.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kHoldBookingAttempts = 2;
constexpr char kSystemActor[] = "system";

// Millisecond precision: the calendar entries carry the expiry in milliseconds.
absl::Time ToMillis(absl::Time time) { return absl::FromUnixMillis(absl::ToUnixMillis(time)); }

absl::Status NotActive(const v1::Hold& hold) {
  const std::string state = v1::HoldState_Name(hold.state());
  return WithReason(absl::FailedPreconditionError(absl::StrCat("the hold is ", state)),
                    common::v1::ERROR_REASON_HOLD_NOT_ACTIVE, {{"state", state}});
}

v1::Change HoldChange(v1::ChangeType type, const v1::Hold& hold, absl::Time now,
                      const std::string& actor) {
  v1::Change change;
  change.set_change_type(type);
  change.set_resource(hold.name());
  *change.mutable_change_time() = ToTimestamp(now);
  change.set_actor(actor);
  *change.mutable_hold() = hold;
  return change;
}

// The plan that takes an ACTIVE hold's entries off its calendars (venue entries whether or not
// the venue is still exclusive: removing an absent entry is harmless).
BookingPlan FreeingPlan(absl::string_view organization, const v1::Hold& hold) {
  BookingPlan plan;
  plan.organization = std::string(organization);
  plan.releases = HoldClaims(hold, /*book_venue=*/true);
  return plan;
}

}  // namespace

absl::StatusOr<v1::Hold> HoldBooking::Create(
    const Principal& caller, absl::string_view organization, absl::string_view hold_id,
    v1::Hold hold, absl::Duration ttl, const std::vector<Reference>& references,
    const RequestRecord& record, absl::Time deadline) const {
  const RosterFacts roster(deps_.redis);
  FieldErrors errors;
  absl::StatusOr<OrganizationFacts> facts = roster.Read(organization, references, errors, deadline);
  if (!facts.ok()) return facts.status();
  const v1::Organization* const org = &facts->organization;
  const RosterRecords* const records = &facts->records;
  std::set<std::string> members;
  for (const Reference& reference : references) {
    if (reference.kind != Reference::Kind::kMember) continue;
    auto it = records->members.find(reference.id);
    if (it == records->members.end()) continue;
    if (it->second.status() != v1::MEMBER_STATUS_ACTIVE) {
      errors.Add(reference.field, "must be an ACTIVE member to be held");
    }
    members.insert(FormatMemberName(organization, reference.id));
  }
  if (!errors.empty()) return errors.ToStatus();
  for (const auto& [id, unit] : records->units) {
    absl::StatusOr<std::vector<std::string>> ids =
        roster.ActiveMemberIds(organization, unit, deadline);
    if (!ids.ok()) return ids.status();
    for (const std::string& member : *ids) members.insert(FormatMemberName(organization, member));
  }
  if (members.size() > static_cast<size_t>(kMaxParticipants)) {
    return InvalidField(
        "hold.units", absl::StrCat("expand to ", members.size(), " members; at most 1000 allowed"));
  }
  const absl::Time now = ToMillis(absl::Now());
  hold.set_name(FormatHoldName(organization, hold_id));
  hold.clear_ttl();
  hold.clear_event();
  hold.set_state(v1::HOLD_STATE_ACTIVE);
  *hold.mutable_expire_time() = ToTimestamp(now + ttl);
  *hold.mutable_create_time() = ToTimestamp(now);
  hold.set_created_by(caller.subject);
  hold.mutable_resolved_members()->Assign(members.begin(), members.end());

  BookingPlan plan;
  plan.organization = std::string(organization);
  plan.travel_buffer = TravelBuffer(*org);
  plan.ignored.insert(hold.name());
  const bool exclusive_venue =
      !records->venues.empty() && records->venues.begin()->second.exclusive();
  plan.claims = HoldClaims(hold, exclusive_venue);
  absl::Status booked =
      BookingStore(deps_)
          .Book(plan, deadline,
                [&](const BookingCheck&, AtomicWrite& write) {
                  write.Expect(HoldStore::Absent(organization, hold_id));
                  HoldStore::AddPut(organization, hold, now, write);
                  write.Add(AppendChange(organization, HoldChange(v1::CHANGE_TYPE_HOLD_CREATED,
                                                                  hold, now, caller.subject)));
                  return record.AddTo(hold, write);
                })
          .status();
  if (HoldStore::IsPreconditionOnHold(booked, organization, hold_id)) {
    return WithReason(
        absl::AlreadyExistsError(absl::StrCat("hold ", hold.name(), " already exists")),
        common::v1::ERROR_REASON_ALREADY_EXISTS);
  }
  if (!booked.ok()) return booked;
  return hold;
}

absl::StatusOr<v1::Hold> HoldBooking::Release(const Principal& caller, const ChildName& name,
                                              const RequestRecord& record,
                                              absl::Time deadline) const {
  const HoldStore holds(deps_.redis);
  for (int attempt = 0; attempt < kHoldBookingAttempts; ++attempt) {
    absl::StatusOr<StoredHold> stored = holds.Get(name.organization, name.id, deadline);
    if (!stored.ok()) return stored.status();
    const absl::Time now = absl::Now();
    if (Effective(stored->hold, now).state() != v1::HOLD_STATE_ACTIVE) {
      return NotActive(Effective(stored->hold, now));
    }
    v1::Hold released = stored->hold;
    released.set_state(v1::HOLD_STATE_RELEASED);
    absl::Status booked =
        BookingStore(deps_)
            .Book(FreeingPlan(name.organization, stored->hold), deadline,
                  [&](const BookingCheck&, AtomicWrite& write) {
                    write.Expect(HoldStore::Unchanged(name.organization, name.id, stored->raw));
                    HoldStore::AddPut(name.organization, released, now, write);
                    write.Add(AppendChange(
                        name.organization,
                        HoldChange(v1::CHANGE_TYPE_HOLD_RELEASED, released, now, caller.subject)));
                    return record.AddTo(released, write);
                  })
            .status();
    if (HoldStore::IsPreconditionOnHold(booked, name.organization, name.id)) continue;
    if (!booked.ok()) return booked;
    return released;
  }
  return absl::AbortedError("the hold kept changing concurrently; try again");
}

absl::StatusOr<v1::ConfirmHoldResponse> HoldBooking::Confirm(
    const Principal& caller, const ChildName& name, const v1::Event& event,
    absl::string_view event_id, const RequestRecord& record, absl::Time deadline) const {
  const HoldStore holds(deps_.redis);
  for (int attempt = 0; attempt < kHoldBookingAttempts; ++attempt) {
    absl::StatusOr<StoredHold> stored = holds.Get(name.organization, name.id, deadline);
    if (!stored.ok()) return stored.status();
    const absl::Time now = absl::Now();
    if (Effective(stored->hold, now).state() != v1::HOLD_STATE_ACTIVE) {
      return NotActive(Effective(stored->hold, now));
    }
    const v1::Event wanted = EventFromHold(stored->hold, event);
    FieldErrors errors;
    CheckEventFields("event", wanted, name.organization, errors);
    if (!errors.empty()) return errors.ToStatus();
    v1::Hold confirmed = stored->hold;
    confirmed.set_state(v1::HOLD_STATE_CONFIRMED);
    confirmed.set_event(FormatEventName(name.organization, event_id));
    BookingExtras extras;
    extras.hold = stored->hold.name();
    extras.releases = HoldClaims(stored->hold, /*book_venue=*/true);
    extras.ignored = {stored->hold.name()};
    extras.records = [&](const v1::Event&, AtomicWrite& write) {
      write.Expect(HoldStore::Unchanged(name.organization, name.id, stored->raw));
      HoldStore::AddPut(name.organization, confirmed, now, write);
      write.Add(AppendChange(name.organization, HoldChange(v1::CHANGE_TYPE_HOLD_CONFIRMED,
                                                           confirmed, now, caller.subject)));
      return absl::OkStatus();
    };
    v1::ConfirmHoldResponse response;
    absl::Status created = EventBooking(deps_).Create(
        caller, name.organization, event_id, wanted, /*validate_only=*/false, extras, record,
        deadline,
        [&](const v1::Event& stored_event,
            const std::vector<v1::BookingWarning>& warnings) -> const google::protobuf::Message& {
          response.Clear();
          *response.mutable_event() = stored_event;
          *response.mutable_hold() = confirmed;
          for (const v1::BookingWarning& warning : warnings) *response.add_warnings() = warning;
          return response;
        });
    if (HoldStore::IsPreconditionOnHold(created, name.organization, name.id)) continue;
    if (!created.ok()) return created;
    return response;
  }
  return absl::AbortedError("the hold kept changing concurrently; try again");
}

absl::Status HoldBooking::ExpireDue(absl::string_view organization, absl::Time deadline) const {
  const HoldStore holds(deps_.redis);
  absl::StatusOr<std::vector<std::string>> due =
      holds.DueForExpiry(organization, absl::Now(), deadline);
  if (!due.ok()) return due.status();
  for (const std::string& id : *due) {
    absl::StatusOr<StoredHold> stored = holds.Get(organization, id, deadline);
    if (absl::IsNotFound(stored.status())) continue;
    if (!stored.ok()) return stored.status();
    const absl::Time now = absl::Now();
    if (stored->hold.state() != v1::HOLD_STATE_ACTIVE ||
        Effective(stored->hold, now).state() != v1::HOLD_STATE_EXPIRED) {
      continue;
    }
    v1::Hold expired = stored->hold;
    expired.set_state(v1::HOLD_STATE_EXPIRED);
    absl::Status booked =
        BookingStore(deps_)
            .Book(FreeingPlan(organization, stored->hold), deadline,
                  [&](const BookingCheck&, AtomicWrite& write) {
                    write.Expect(HoldStore::Unchanged(organization, id, stored->raw));
                    HoldStore::AddPut(organization, expired, now, write);
                    write.Add(AppendChange(organization, HoldChange(v1::CHANGE_TYPE_HOLD_EXPIRED,
                                                                    expired, now, kSystemActor)));
                    return absl::OkStatus();
                  })
            .status();
    // Another replica expiring (or a caller confirming) the same hold first is no failure.
    if (!booked.ok() && !HoldStore::IsPreconditionOnHold(booked, organization, id)) {
      spdlog::warn("hold {} not expired yet: {}", stored->hold.name(), booked.ToString());
    }
  }
  return absl::OkStatus();
}

}  // namespace fieldwork::scheduling
