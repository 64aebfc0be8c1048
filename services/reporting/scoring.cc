// The performance points table as reports apply it (see scoring.h).
#include "services/reporting/scoring.h"

#include <algorithm>
#include <cmath>

namespace fieldwork::reporting {

Scoring::Scoring(const fieldwork::scheduling::v1::ScoringTable& table)
    : base_score_(table.base_score()), version_(table.version()) {
  for (const auto& rule : table.rules()) {
    points_[{rule.event_kind(), rule.outcome()}] = rule.points();
  }
  for (const auto& band : table.bands()) bands_.emplace_back(band.min_score(), band.label());
  std::sort(bands_.begin(), bands_.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
}

double Scoring::PointsFor(fieldwork::scheduling::v1::EventKind kind,
                          fieldwork::common::v1::AttendanceOutcome outcome) const {
  auto found = points_.find({kind, outcome});
  return found == points_.end() ? 0 : found->second;
}

std::string Scoring::BandOf(double score) const {
  for (const auto& [min_score, label] : bands_) {
    // Scores are kept to 2 decimals; the epsilon keeps 89.999999 from missing a band of 90.
    if (score + 1e-9 >= min_score) return label;
  }
  return "";
}

double RoundHundredths(double value) { return std::round(value * 100.0) / 100.0; }

}  // namespace fieldwork::reporting
