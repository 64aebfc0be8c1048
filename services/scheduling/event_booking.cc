// Creating, changing and booking events in one write each (see event_booking.h).
#include "services/scheduling/event_booking.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "common/errors.h"
#include "services/scheduling/booking_store.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/roster_facts.h"

namespace fieldwork::scheduling {
namespace {

// Tries of a call whose event changed between its read and its write.
constexpr int kEventBookingAttempts = 3;
// The actor of changes nobody asked for (automatic completion).
constexpr char kSystemActor[] = "system";

bool HoldsCalendars(const v1::Event& event) {
  return event.state() == v1::EVENT_STATE_SCHEDULED || event.state() == v1::EVENT_STATE_COMPLETED;
}

void Stamp(const Principal& caller, absl::Time now, v1::Event& event) {
  *event.mutable_update_time() = ToTimestamp(now);
  event.set_updated_by(caller.subject);
  event.set_etag(NewResourceId());
}

v1::BookingWarning Warning(v1::BookingWarningKind kind, const std::string& subject,
                           std::string message) {
  v1::BookingWarning warning;
  warning.set_kind(kind);
  warning.set_subject(subject);
  warning.set_message(std::move(message));
  return warning;
}

absl::Status StaleEtag() {
  return WithReason(absl::AbortedError("etag is stale: the event changed; read it again"),
                    common::v1::ERROR_REASON_STALE_ETAG);
}

}  // namespace

struct EventBooking::Prepared {
  v1::Event event;
  BookingPlan plan;
  std::vector<v1::BookingWarning> warnings;  // from the roster: empty units, small venues
  LockedAhead ahead;                         // taken with the roster read, if any
};

namespace {

// The plan booking `next` is expected to make before the roster is read: the participants it
// names (invited units need the roster), and every venue it names, as if exclusive.
BookingPlan GuessPlan(absl::string_view organization, const v1::Event& next,
                      const std::vector<CalendarClaim>& releases) {
  v1::Event named;
  named.set_name(next.name());
  named.set_state(next.state());
  *named.mutable_time_range() = next.time_range();
  named.set_venue(next.venue());
  *named.mutable_itinerary() = next.itinerary();
  const std::vector<v1::Participant> participants = ResolveParticipants(next, {});
  named.mutable_resolved_participants()->Assign(participants.begin(), participants.end());
  BookingPlan guess;
  guess.organization = std::string(organization);
  guess.claims = EventClaims(named, [](absl::string_view) { return true; });
  guess.releases = releases;
  return guess;
}

}  // namespace

absl::StatusOr<EventBooking::Prepared> EventBooking::Prepare(
    absl::string_view organization, v1::Event next, const v1::Event* previous,
    const BookingExtras& extras, absl::Time deadline, bool lock_ahead) const {
  const bool was_booked = previous != nullptr && HoldsCalendars(*previous);
  const bool rebook =
      next.state() == v1::EVENT_STATE_SCHEDULED && (!was_booked || ChangesBooking(*previous, next));
  const bool references_changed = previous == nullptr || ChangesBooking(*previous, next) ||
                                  previous->organizing_unit() != next.organizing_unit();
  const bool resolve = rebook || references_changed;
  FieldErrors errors;
  const std::vector<Reference> references =
      resolve ? CheckEventFields("event", next, organization, errors) : std::vector<Reference>();
  // An event that stops holding calendars, or books them anew, gives back every old entry (venue
  // entries whether or not the venue is still exclusive; removing an absent entry is harmless).
  std::vector<CalendarClaim> releases;
  if (was_booked && (rebook || !HoldsCalendars(next))) {
    releases = EventClaims(*previous, [](absl::string_view) { return true; });
  }
  releases.insert(releases.end(), extras.releases.begin(), extras.releases.end());
  // The organization and the records the event names, in one round trip; with the calendar
  // locks of the plan it is expected to make when it books, unless invited units decide who.
  const RosterFacts roster(deps_.redis);
  Prepared prepared;
  absl::StatusOr<OrganizationFacts> facts;
  if (lock_ahead && rebook && errors.empty() && next.invited_units().empty()) {
    std::vector<RedisReply> replies;
    absl::StatusOr<LockedAhead> ahead = BookingStore(deps_).LockAhead(
        GuessPlan(organization, next, releases),
        RosterFacts::ReadCommands(organization, references), &replies, deadline);
    if (!ahead.ok()) return ahead.status();
    prepared.ahead = *std::move(ahead);
    facts = RosterFacts::ParseRead(organization, references, replies, errors);
  } else {
    facts = roster.Read(organization, references, errors, deadline);
  }
  if (!facts.ok()) return facts.status();
  prepared.plan.organization = std::string(organization);
  prepared.plan.travel_buffer = TravelBuffer(facts->organization);
  prepared.plan.ignored.insert(next.name());
  prepared.plan.ignored.insert(extras.ignored.begin(), extras.ignored.end());

  if (resolve) {
    RosterRecords* const records = &facts->records;
    if (rebook) {
      for (const Reference& reference : references) {
        if (reference.kind != Reference::Kind::kMember) continue;
        auto it = records->members.find(reference.id);
        if (it != records->members.end() && it->second.status() != v1::MEMBER_STATUS_ACTIVE) {
          errors.Add(reference.field, "must be an ACTIVE member to be booked");
        }
      }
    }
    if (!errors.empty()) return errors.ToStatus();
    if (rebook) {
      std::vector<UnitMembers> units;
      for (const v1::InvitedUnit& invited : next.invited_units()) {
        absl::StatusOr<ChildName> unit_name = ParseUnitName(invited.unit());
        if (!unit_name.ok()) continue;
        absl::StatusOr<std::vector<std::string>> ids =
            roster.ActiveMemberIds(organization, records->units.at(unit_name->id), deadline);
        if (!ids.ok()) return ids.status();
        UnitMembers& unit = units.emplace_back();
        unit.unit = invited.unit();
        unit.role = invited.role();
        for (const std::string& id : *ids)
          unit.members.push_back(FormatMemberName(organization, id));
        if (ids->empty()) {
          prepared.warnings.push_back(Warning(v1::BOOKING_WARNING_KIND_EMPTY_UNIT, invited.unit(),
                                              "the invited unit has no active members"));
        }
      }
      const std::vector<v1::Participant> resolved = ResolveParticipants(next, units);
      next.mutable_resolved_participants()->Assign(resolved.begin(), resolved.end());
      if (absl::Status counted = CheckResolvedCount(next); !counted.ok()) return counted;
      for (const auto& [id, venue] : records->venues) {
        if (venue.capacity() > 0 && next.resolved_participants_size() > venue.capacity()) {
          prepared.warnings.push_back(Warning(
              v1::BOOKING_WARNING_KIND_VENUE_CAPACITY_EXCEEDED, venue.name(),
              absl::StrCat(next.resolved_participants_size(),
                           " participants exceed the venue's capacity of ", venue.capacity())));
        }
      }
      prepared.plan.claims = EventClaims(next, [&](absl::string_view venue_id) {
        auto it = records->venues.find(venue_id);
        return it != records->venues.end() && it->second.exclusive();
      });
    }
  }
  if (next.state() == v1::EVENT_STATE_DRAFT) next.clear_resolved_participants();
  prepared.plan.releases = std::move(releases);
  prepared.event = std::move(next);
  return prepared;
}

absl::Status EventBooking::CheckOnly(const Prepared& prepared, absl::Time deadline,
                                     const EventAnswer& answer) const {
  absl::StatusOr<BookingCheck> check =
      BookingStore(deps_).Check(prepared.plan, absl::Now(), deadline);
  if (!check.ok()) return check.status();
  std::vector<v1::BookingWarning> warnings = prepared.warnings;
  for (v1::BookingWarning& warning : ToWarnings(check->warnings)) {
    warnings.push_back(std::move(warning));
  }
  answer(prepared.event, warnings);
  return absl::OkStatus();
}

absl::Status EventBooking::Commit(const Principal& caller, absl::string_view organization,
                                  v1::ChangeType change, Prepared& prepared,
                                  const StoredEvent* previous, const BookingExtras& extras,
                                  const RequestRecord& record, absl::Time deadline,
                                  const EventAnswer& answer) const {
  const absl::StatusOr<ChildName> name = ParseEventName(prepared.event.name());
  if (!name.ok()) return name.status();
  auto records = [&](const BookingCheck& check, AtomicWrite& write) -> absl::Status {
    std::vector<v1::BookingWarning> warnings = prepared.warnings;
    for (v1::BookingWarning& warning : ToWarnings(check.warnings)) {
      warnings.push_back(std::move(warning));
    }
    const google::protobuf::Message& response = answer(prepared.event, warnings);
    write.Expect(previous == nullptr
                     ? EventStore::Absent(organization, name->id)
                     : EventStore::Unchanged(organization, name->id, previous->raw));
    EventStore::AddPut(organization, prepared.event,
                       previous == nullptr ? nullptr : &previous->event, write);
    // The extras' changes come first: a HOLD_CONFIRMED precedes its EVENT_CREATED in the feed.
    if (extras.records) {
      if (absl::Status added = extras.records(prepared.event, write); !added.ok()) return added;
    }
    v1::Change entry;
    entry.set_change_type(change);
    entry.set_resource(prepared.event.name());
    *entry.mutable_change_time() = prepared.event.update_time();
    entry.set_actor(caller.subject);
    *entry.mutable_event() = prepared.event;
    write.Add(AppendChange(organization, entry));
    return record.AddTo(response, write);
  };
  return BookingStore(deps_).Book(prepared.plan, deadline, records, &prepared.ahead).status();
}

absl::Status EventBooking::Create(const Principal& caller, absl::string_view organization,
                                  absl::string_view event_id, v1::Event event, bool validate_only,
                                  const BookingExtras& extras, const RequestRecord& record,
                                  absl::Time deadline, const EventAnswer& answer) const {
  const absl::Time now = absl::Now();
  const v1::EventState state = event.state() == v1::EVENT_STATE_SCHEDULED
                                   ? v1::EVENT_STATE_SCHEDULED
                                   : v1::EVENT_STATE_DRAFT;
  for (const char* output_only : {"resolved_participants", "cancel_reason", "etag", "sequence",
                                  "create_time", "update_time", "created_by", "updated_by"}) {
    event.GetReflection()->ClearField(&event,
                                      v1::Event::descriptor()->FindFieldByName(output_only));
  }
  event.set_name(FormatEventName(organization, event_id));
  event.set_state(state);
  event.set_hold(extras.hold);
  *event.mutable_create_time() = ToTimestamp(now);
  event.set_created_by(caller.subject);
  Stamp(caller, now, event);
  absl::StatusOr<Prepared> prepared =
      Prepare(organization, std::move(event), nullptr, extras, deadline, !validate_only);
  if (!prepared.ok()) return prepared.status();
  const EventStore events(deps_.redis);
  const auto already_exists = [&] {
    return WithReason(
        absl::AlreadyExistsError(absl::StrCat("event ", prepared->event.name(), " already exists")),
        common::v1::ERROR_REASON_ALREADY_EXISTS);
  };
  if (validate_only) {
    absl::StatusOr<StoredEvent> existing = events.Get(organization, event_id, deadline);
    if (existing.ok()) return already_exists();
    if (!absl::IsNotFound(existing.status())) return existing.status();
    return CheckOnly(*prepared, deadline, answer);
  }
  absl::Status committed = Commit(caller, organization, v1::CHANGE_TYPE_EVENT_CREATED, *prepared,
                                  nullptr, extras, record, deadline, answer);
  if (EventStore::IsPreconditionOnEvent(committed, organization, event_id)) {
    return already_exists();
  }
  return committed;
}

absl::Status EventBooking::Mutate(const Principal& caller, const ChildName& name,
                                  const std::string& etag, const Transition& transition,
                                  const RequestRecord& record, absl::Time deadline,
                                  const EventAnswer& answer) const {
  const EventStore events(deps_.redis);
  for (int attempt = 0; attempt < kEventBookingAttempts; ++attempt) {
    absl::StatusOr<StoredEvent> stored = events.Get(name.organization, name.id, deadline);
    if (!stored.ok()) return stored.status();
    if (!etag.empty() && etag != stored->event.etag()) return StaleEtag();
    absl::StatusOr<Step> step = transition(stored->event);
    if (!step.ok()) return step.status();
    v1::Event& next = step->next;
    Stamp(caller, absl::Now(), next);
    next.set_sequence(stored->event.sequence() + (ChangesSequence(stored->event, next) ? 1 : 0));
    absl::StatusOr<Prepared> prepared =
        Prepare(name.organization, std::move(next), &stored->event, {}, deadline,
                /*lock_ahead=*/!step->validate_only);
    if (!prepared.ok()) return prepared.status();
    if (step->validate_only) return CheckOnly(*prepared, deadline, answer);
    absl::Status committed = Commit(caller, name.organization, step->change, *prepared, &*stored,
                                    {}, record, deadline, answer);
    if (!EventStore::IsPreconditionOnEvent(committed, name.organization, name.id)) {
      return committed;
    }
    if (!etag.empty()) return StaleEtag();
  }
  return absl::AbortedError("the event kept changing concurrently; try again");
}

absl::Status EventBooking::Update(const Principal& caller, const ChildName& event,
                                  const v1::UpdateEventRequest& request,
                                  const RequestRecord& record, absl::Time deadline,
                                  const EventAnswer& answer) const {
  auto transition = [&](const v1::Event& current) -> absl::StatusOr<Step> {
    Step step;
    step.next = current;
    step.change = v1::CHANGE_TYPE_EVENT_UPDATED;
    step.validate_only = request.validate_only();
    ApplyUpdateMask(request.update_mask(), EventMask(), request.event(), step.next);
    FieldErrors errors;
    CheckEventFields("event", step.next, event.organization, errors);
    if (!errors.empty()) return errors.ToStatus();
    const bool closed = current.state() == v1::EVENT_STATE_COMPLETED ||
                        current.state() == v1::EVENT_STATE_CANCELLED;
    if (closed && !OnlyNotesChanged(current, step.next)) {
      return InvalidState(current,
                          "a completed or cancelled event accepts only description and "
                          "topics");
    }
    return step;
  };
  return Mutate(caller, event, request.event().etag(), transition, record, deadline, answer);
}

absl::Status EventBooking::Schedule(const Principal& caller, const ChildName& event,
                                    const std::string& etag, const RequestRecord& record,
                                    absl::Time deadline, const EventAnswer& answer) const {
  auto transition = [&](const v1::Event& current) -> absl::StatusOr<Step> {
    if (current.state() != v1::EVENT_STATE_DRAFT) {
      return InvalidState(current, "only a DRAFT can be scheduled");
    }
    Step step{current, v1::CHANGE_TYPE_EVENT_SCHEDULED};
    step.next.set_state(v1::EVENT_STATE_SCHEDULED);
    return step;
  };
  return Mutate(caller, event, etag, transition, record, deadline, answer);
}

absl::Status EventBooking::Cancel(const Principal& caller, const ChildName& event,
                                  const std::string& reason, const std::string& etag,
                                  const RequestRecord& record, absl::Time deadline,
                                  const EventAnswer& answer) const {
  auto transition = [&](const v1::Event& current) -> absl::StatusOr<Step> {
    if (current.state() != v1::EVENT_STATE_DRAFT && current.state() != v1::EVENT_STATE_SCHEDULED) {
      return InvalidState(current, "only a DRAFT or SCHEDULED event can be cancelled");
    }
    Step step{current, v1::CHANGE_TYPE_EVENT_CANCELLED};
    step.next.set_state(v1::EVENT_STATE_CANCELLED);
    step.next.set_cancel_reason(reason);
    return step;
  };
  return Mutate(caller, event, etag, transition, record, deadline, answer);
}

absl::Status EventBooking::Complete(const Principal& caller, const ChildName& event,
                                    const std::string& etag, const RequestRecord& record,
                                    absl::Time deadline, const EventAnswer& answer) const {
  auto transition = [&](const v1::Event& current) -> absl::StatusOr<Step> {
    if (current.state() != v1::EVENT_STATE_SCHEDULED) {
      return InvalidState(current, "only a SCHEDULED event can be completed");
    }
    if (ToTime(current.time_range().start_time()) > absl::Now()) {
      return InvalidState(current, "an event can be completed only once it has started");
    }
    Step step{current, v1::CHANGE_TYPE_EVENT_COMPLETED};
    step.next.set_state(v1::EVENT_STATE_COMPLETED);
    return step;
  };
  return Mutate(caller, event, etag, transition, record, deadline, answer);
}

absl::Status EventBooking::CompleteEnded(absl::string_view organization,
                                         absl::Time deadline) const {
  absl::StatusOr<std::vector<std::string>> due =
      EventStore(deps_.redis).DueForCompletion(organization, absl::Now(), deadline);
  if (!due.ok()) return due.status();
  Principal system;
  system.subject = kSystemActor;
  system.role = Role::kAdmin;
  system.organization = std::string(kAllOrganizations);
  for (const std::string& id : *due) {
    v1::CompleteEventRequest request;  // no request_id: nothing to record
    request.set_name(FormatEventName(organization, id));
    const RequestRecord record(deps_.idempotency, organization, "", request);
    v1::Event completed;
    absl::Status done = Mutate(
        system, ChildName{std::string(organization), id}, /*etag=*/"",
        [](const v1::Event& current) -> absl::StatusOr<Step> {
          if (current.state() != v1::EVENT_STATE_SCHEDULED ||
              ToTime(current.time_range().end_time()) > absl::Now()) {
            return absl::FailedPreconditionError("no longer due for completion");
          }
          Step step{current, v1::CHANGE_TYPE_EVENT_COMPLETED};
          step.next.set_state(v1::EVENT_STATE_COMPLETED);
          return step;
        },
        record, deadline,
        [&completed](const v1::Event& event,
                     const std::vector<v1::BookingWarning>&) -> const google::protobuf::Message& {
          completed = event;
          return completed;
        });
    // Another replica (or a caller) completing, moving or cancelling it first is no failure.
    if (!done.ok() && !absl::IsFailedPrecondition(done) && !absl::IsNotFound(done)) return done;
  }
  return absl::OkStatus();
}

}  // namespace fieldwork::scheduling
