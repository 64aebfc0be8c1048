// Seeds a benchmark organization through the scheduling RPCs: members, and events in progress with
// every member as an optional participant (optional participants hold no calendar, so many
// events may overlap), so each CheckIn of the run can be a first check-in.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace fieldwork::bench {

struct SeededOrganization {
  std::string organization;          // id
  std::vector<std::string> members;  // member ids
  std::vector<std::string> events;   // event names, each with every member
};

absl::StatusOr<SeededOrganization> SeedOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                    const std::string& token, int members,
                                                    int events);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_SEED_H_
