// fieldwork-demo: loads the demo organization, a fictitious district committee generated from a
// seed, into running scheduling and attendance services; does nothing when it is already there.
// Exit 0 when the organization is loaded (now or before), 1 on any failure.
#include <iostream>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/channel_factory.h"
#include "tools/demo/demo_loader.h"
#include "tools/demo/demo_plan.h"

namespace {

std::ostream& operator<<(std::ostream& out, const fieldwork::demo::OrganizationCounts& counts) {
  return out << counts.members << " members, " << counts.units << " units, " << counts.venues
             << " venues, " << counts.events << " events";
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  fieldwork::ChannelOptions options;
  options.target = target;
  return fieldwork::CreatePeerChannel(options);
}

int Fail(const absl::Status& status) {
  std::cerr << "fieldwork-demo: " << status.message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scheduling_target;
  std::string attendance_target;
  fieldwork::demo::DemoOptions options;
  CLI::App app{
      "Loads the demo organization (a fictitious district committee: ~150 members, "
      "sectors, committees, groups, venues, a few months of activities with attendance) "
      "unless it exists",
      "fieldwork-demo"};
  app.add_option("--scheduling", scheduling_target, "host:port of the scheduling service")
      ->required();
  app.add_option("--attendance", attendance_target, "host:port of the attendance service")
      ->required();
  app.add_option("--seed", options.seed, "Seed of the generated data")->capture_default_str();
  app.add_option("--organization", options.organization_id, "Id of the organization to create")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.now = absl::Now();

  fieldwork::demo::DemoLoader loader(Channel(scheduling_target), Channel(attendance_target),
                                     std::cout);
  const std::string& id = options.organization_id;
  const std::string parent = "organizations/" + id;
  const auto state = loader.State(id);
  if (!state.ok()) return Fail(state.status());
  if (*state == fieldwork::demo::OrganizationState::kLoaded) {
    const auto counts = loader.Count(parent);
    if (!counts.ok()) return Fail(counts.status());
    std::cout << "organization " << id << " already exists (" << *counts << "); nothing loaded\n";
    return 0;
  }
  if (*state == fieldwork::demo::OrganizationState::kPartial) {
    std::cout << "organization " << id << " exists but an earlier load stopped midway; resuming\n";
  }
  const auto summary = loader.Load(fieldwork::demo::MakeDemoPlan(options));
  if (!summary.ok()) return Fail(summary.status());
  const auto counts = loader.Count(parent);
  if (!counts.ok()) return Fail(counts.status());
  std::cout << "loaded organization " << id << " (" << *counts << ")\n";
  return 0;
}
