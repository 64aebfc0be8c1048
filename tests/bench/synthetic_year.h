// A synthetic year of one organization for the reporting and protobuf microbenchmarks, built in
// memory as reporting reads it: members of one unit, events one every 19 hours from 2 January
// (kinds in turn), each with required participants taken in turn from the roster and a
// finalized record per participant (mostly present, some late, excused or absent).
#ifndef FIELDWORK_TESTS_BENCH_SYNTHETIC_YEAR_H_
#define FIELDWORK_TESTS_BENCH_SYNTHETIC_YEAR_H_

#include "fieldwork/scheduling/v1/unit.pb.h"
#include "services/reporting/report_data.h"
#include "services/reporting/report_period.h"

namespace fieldwork::bench {

struct SyntheticYear {
  reporting::ReportData data;
  reporting::ResolvedPeriod period;      // the year
  fieldwork::scheduling::v1::Unit unit;  // every member belongs to it
};

// `participants` is capped at `members`.
SyntheticYear MakeSyntheticYear(int members, int events, int participants);

}  // namespace fieldwork::bench

#endif  // FIELDWORK_TESTS_BENCH_SYNTHETIC_YEAR_H_
