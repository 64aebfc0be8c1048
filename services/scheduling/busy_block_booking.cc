// Busy blocks booked and freed under the member's calendar lock (see busy_block_booking.h).
#include "services/scheduling/busy_block_booking.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/api/error_reason.h"
#include "common/api/field_checks.h"
#include "google/protobuf/empty.pb.h"
#include "services/scheduling/booking_store.h"
#include "services/scheduling/busy_block_store.h"
#include "services/scheduling/change_feed.h"
#include "services/scheduling/roster_facts.h"
#include "services/scheduling/roster_store.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kBusyBlockBookingAttempts = 2;

CalendarClaim BlockClaim(const BusyBlockName& name, const v1::BusyBlock& block) {
  return {CalendarClaim::Calendar::kMember, name.member,
          CalendarEntry{
              block.name(),
              {ToTime(block.time_range().start_time()), ToTime(block.time_range().end_time())},
              /*required=*/true}};
}

v1::Change BlockChange(v1::ChangeType type, const v1::BusyBlock& block, const Principal& caller) {
  v1::Change change;
  change.set_change_type(type);
  change.set_resource(block.name());
  *change.mutable_change_time() = ToTimestamp(absl::Now());
  change.set_actor(caller.subject);
  *change.mutable_busy_block() = block;
  return change;
}

}  // namespace

absl::StatusOr<v1::BusyBlock> BusyBlockBooking::Create(const Principal& caller,
                                                       const BusyBlockName& name,
                                                       v1::BusyBlock block,
                                                       const RequestRecord& record,
                                                       absl::Time deadline) const {
  absl::StatusOr<v1::Organization> org =
      RosterFacts(deps_.redis).Organization(name.organization, deadline);
  if (!org.ok()) return org.status();
  // The member is the call's target: unknown → NOT_FOUND.
  if (absl::Status member =
          RosterStore(deps_.redis).GetMember(name.organization, name.member, deadline).status();
      !member.ok()) {
    return member;
  }
  block.set_name(FormatBusyBlockName(name.organization, name.member, name.id));
  *block.mutable_create_time() = ToTimestamp(absl::Now());
  block.set_created_by(caller.subject);
  BookingPlan plan;
  plan.organization = name.organization;
  plan.travel_buffer = TravelBuffer(*org);
  plan.busy_block = true;
  plan.ignored.insert(block.name());
  plan.claims.push_back(BlockClaim(name, block));
  absl::Status booked =
      BookingStore(deps_)
          .Book(plan, deadline,
                [&](const BookingCheck&, AtomicWrite& write) {
                  write.Expect(BusyBlockStore::Absent(name));
                  BusyBlockStore::AddPut(name, block, write);
                  write.Add(
                      AppendChange(name.organization,
                                   BlockChange(v1::CHANGE_TYPE_BUSY_BLOCK_CREATED, block, caller)));
                  return record.AddTo(block, write);
                })
          .status();
  if (BusyBlockStore::IsPreconditionOnBlock(booked, name)) {
    return WithReason(
        absl::AlreadyExistsError(absl::StrCat("busy block ", block.name(), " already exists")),
        common::v1::ERROR_REASON_ALREADY_EXISTS);
  }
  if (!booked.ok()) return booked;
  return block;
}

absl::Status BusyBlockBooking::Delete(const Principal& caller, const BusyBlockName& name,
                                      const RequestRecord& record, absl::Time deadline) const {
  const BusyBlockStore blocks(deps_.redis);
  for (int attempt = 0; attempt < kBusyBlockBookingAttempts; ++attempt) {
    absl::StatusOr<StoredBusyBlock> stored = blocks.Get(name, deadline);
    if (!stored.ok()) return stored.status();
    BookingPlan plan;
    plan.organization = name.organization;
    plan.releases.push_back(BlockClaim(name, stored->block));
    absl::Status freed =
        BookingStore(deps_)
            .Book(plan, deadline,
                  [&](const BookingCheck&, AtomicWrite& write) {
                    write.Expect(BusyBlockStore::Unchanged(name, stored->raw));
                    BusyBlockStore::AddDelete(name, write);
                    write.Add(AppendChange(
                        name.organization,
                        BlockChange(v1::CHANGE_TYPE_BUSY_BLOCK_DELETED, stored->block, caller)));
                    return record.AddTo(google::protobuf::Empty(), write);
                  })
            .status();
    if (!BusyBlockStore::IsPreconditionOnBlock(freed, name)) return freed;
  }
  return absl::AbortedError("the busy block kept changing concurrently; try again");
}

}  // namespace fieldwork::scheduling
