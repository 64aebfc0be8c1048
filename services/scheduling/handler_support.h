// What the SchedulingService handlers share beside common/api/handler_support.h: the method name a
// request record is kept under, and the rate of the expensive reads.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
#define FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/call_rate_limiter.h"
#include "common/api/handler_support.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"

namespace fieldwork::scheduling {

// FindSlots and ExportCalendar: 30 calls per caller per 10 seconds.
inline constexpr CallRate kExpensiveReadRate{30, absl::Seconds(10)};

// "fieldwork.scheduling.v1.SchedulingService/<name>".
inline std::string SchedulingMethod(absl::string_view name) {
  return absl::StrCat(::fieldwork::scheduling::v1::SchedulingService::service_full_name(), "/",
                      name);
}

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
