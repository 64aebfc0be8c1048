// Seeds benchmark organizations through the scheduling RPCs: an organization and its members
// (ImportMembers), then the events a scenario needs.
// - SeedOrganization: events in progress with every member as an optional participant (optional
//   participants hold no calendar, so many events may overlap), so each CheckIn of the run can be
//   a first check-in.
// - SeedOrganizations: many organizations of members and no events (the booking scenarios).
// - SeedCalendar: a month of future events, one after another, each with required participants
//   taken in turn from the roster (ListEvents, FindSlots).
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fieldwork::bench {

struct SeededOrganization {
  std::string organization;          // id
  std::vector<std::string> members;  // member ids, m0000, m0001, …
  std::vector<std::string> events;   // event names
};

absl::StatusOr<SeededOrganization> SeedOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                    const std::string& token, int members,
                                                    int events);

absl::StatusOr<std::vector<SeededOrganization>> SeedOrganizations(
    std::shared_ptr<grpc::Channel> scheduling, const std::string& token, int organizations,
    int members);

struct CalendarSize {
  int members = 300;
  int events = 40;        // one every `spacing` from `first_start`
  int participants = 30;  // required, taken in turn from the roster
  absl::Time first_start;
  absl::Duration spacing = absl::Hours(18);
  absl::Duration length = absl::Hours(2);
};

absl::StatusOr<SeededOrganization> SeedCalendar(std::shared_ptr<grpc::Channel> scheduling,
                                                const std::string& token, const CalendarSize& size);

// The organization's resource name, `organizations/{id}`.
std::string OrganizationName(const SeededOrganization& seeded);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_
