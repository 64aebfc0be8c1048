// Seeds the reporting benchmark's organization through the real RPCs, at the size of issue 5's
// performance target: members, a unit of 60 of them, events spread over this year's past with
// required participants (disjoint in time, so none clash), and their attendance — paper sheets,
// approved leaves, finalization — so every participation has an outcome.
#ifndef FIELDWORK_TOOLS_LOAD_GENERATOR_REPORT_SEED_H_
#define FIELDWORK_TOOLS_LOAD_GENERATOR_REPORT_SEED_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace fieldwork::bench {

struct ReportOrganization {
  std::string organization;  // id
  std::string unit;          // unit name, 60 members
  std::string member;        // a member name with many events
  int year = 0;              // the year the events fall in
  int records = 0;           // attendance records written
};

struct ReportOrganizationSize {
  int members = 300;
  int events = 400;
  int participants = 50;  // per event: 400 × 50 = 20,000 records
  int unit_members = 60;
};

// The names of an organization SeedReportOrganization seeded earlier (records unknown: 0).
ReportOrganization SeededReportOrganization(const std::string& organization, int year);

absl::StatusOr<ReportOrganization> SeedReportOrganization(std::shared_ptr<grpc::Channel> scheduling,
                                                          std::shared_ptr<grpc::Channel> attendance,
                                                          const std::string& token,
                                                          const ReportOrganizationSize& size);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TOOLS_LOAD_GENERATOR_REPORT_SEED_H_
