// The performance points table (履职积分) as reports apply it, pure: points per event kind and
// outcome, the base score, and the band of a score. No I/O.
#ifndef FIELDWORK_SERVICES_REPORTING_SCORING_H_
#define FIELDWORK_SERVICES_REPORTING_SCORING_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fieldwork/common/v1/attendance_outcome.pb.h"
#include "fieldwork/scheduling/v1/event_kind.pb.h"
#include "fieldwork/scheduling/v1/organization.pb.h"

namespace fieldwork::reporting {

class Scoring {
 public:
  explicit Scoring(const fieldwork::scheduling::v1::ScoringTable& table);

  // Points of one finalized outcome at one kind of event; 0 for a pair the table does not list.
  double PointsFor(fieldwork::scheduling::v1::EventKind kind,
                   fieldwork::common::v1::AttendanceOutcome outcome) const;
  double base_score() const { return base_score_; }
  int64_t version() const { return version_; }
  // The first band (highest min_score first) whose min_score ≤ score; "" when none.
  std::string BandOf(double score) const;

 private:
  std::map<std::pair<int, int>, double> points_;
  double base_score_ = 0;
  int64_t version_ = 0;
  std::vector<std::pair<double, std::string>> bands_;  // highest min_score first
};

// `value` rounded to 2 decimals (reports show points, hours and scores so).
double RoundHundredths(double value);

}  // namespace fieldwork::reporting

#endif  // FIELDWORK_SERVICES_REPORTING_SCORING_H_
