// The no-double-booking checker (see booking_checker.h).
#include "tools/load-generator/booking_checker.h"

#include <grpcpp/client_context.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/peer_call.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"

namespace fieldwork::bench {
namespace {

namespace sv1 = ::fieldwork::scheduling::v1;

absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

void PrepareCheckerCall(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

bool HoldsCalendar(const sv1::Event& event, const std::string& member) {
  return std::any_of(event.resolved_participants().begin(), event.resolved_participants().end(),
                     [&](const sv1::Participant& participant) {
                       return participant.member() == member &&
                              (participant.role() == sv1::PARTICIPANT_ROLE_LEAD ||
                               participant.role() == sv1::PARTICIPANT_ROLE_REQUIRED);
                     });
}

// Every scheduled or completed event in which `member` holds its calendar, all pages.
absl::StatusOr<std::vector<Booking>> ReadBookings(sv1::SchedulingService::Stub& stub,
                                                  const std::string& token,
                                                  const std::string& parent,
                                                  const std::string& member) {
  std::vector<Booking> bookings;
  sv1::ListEventsRequest request;
  request.set_parent(parent);
  request.set_page_size(500);
  request.set_member(member);
  request.add_states(sv1::EVENT_STATE_SCHEDULED);
  request.add_states(sv1::EVENT_STATE_COMPLETED);
  do {
    grpc::ClientContext context;
    PrepareCheckerCall(context, token);
    sv1::ListEventsResponse page;
    if (absl::Status status = FromPeer("scheduling", stub.ListEvents(&context, request, &page));
        !status.ok()) {
      return status;
    }
    for (const sv1::Event& event : page.events()) {
      if (!HoldsCalendar(event, member)) continue;
      bookings.push_back({FromProto(event.time_range().start_time()),
                          FromProto(event.time_range().end_time()), event.name()});
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return bookings;
}

}  // namespace

// Sorted by start, each booking against the latest end seen before it.
std::vector<std::string> FindOverlaps(std::vector<Booking> bookings, absl::Duration buffer,
                                      const std::string& member) {
  std::sort(bookings.begin(), bookings.end(),
            [](const Booking& a, const Booking& b) { return a.start < b.start; });
  std::vector<std::string> found;
  const Booking* latest = nullptr;
  for (const Booking& booking : bookings) {
    if (latest != nullptr && booking.start < latest->end + buffer) {
      found.push_back(absl::StrCat(member, ": ", latest->event, " (until ",
                                   absl::FormatTime(latest->end), ") and ", booking.event,
                                   " (from ", absl::FormatTime(booking.start), ")"));
    }
    if (latest == nullptr || booking.end > latest->end) latest = &booking;
  }
  return found;
}

absl::StatusOr<BookingCheck> CheckNoDoubleBooking(std::shared_ptr<grpc::Channel> scheduling,
                                                  const std::string& token,
                                                  const SeededOrganization& organization) {
  auto stub = sv1::SchedulingService::NewStub(scheduling);
  const std::string parent = OrganizationName(organization);
  sv1::GetOrganizationRequest get;
  get.set_name(parent);
  sv1::Organization settings;
  grpc::ClientContext context;
  PrepareCheckerCall(context, token);
  if (absl::Status status = FromPeer("scheduling", stub->GetOrganization(&context, get, &settings));
      !status.ok()) {
    return status;
  }
  const absl::Duration buffer = absl::Seconds(settings.travel_buffer().seconds()) +
                                absl::Nanoseconds(settings.travel_buffer().nanos());
  BookingCheck check;
  for (const std::string& id : organization.members) {
    const std::string member = absl::StrCat(parent, "/members/", id);
    absl::StatusOr<std::vector<Booking>> bookings = ReadBookings(*stub, token, parent, member);
    if (!bookings.ok()) return bookings.status();
    ++check.members;
    check.bookings += static_cast<int>(bookings->size());
    for (std::string& overlap : FindOverlaps(*std::move(bookings), buffer, member)) {
      check.double_bookings.push_back(std::move(overlap));
    }
  }
  return check;
}

}  // namespace fieldwork::bench
