// What the SchedulingService handlers of events, holds and busy blocks share beside
// common/api/handler_support.h: the method name a request record is kept under.
#ifndef FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
#define FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/handler_support.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"

namespace fieldwork::scheduling {

// "fieldwork.scheduling.v1.SchedulingService/<name>".
inline std::string SchedulingMethod(absl::string_view name) {
  return absl::StrCat(::fieldwork::scheduling::v1::SchedulingService::service_full_name(), "/",
                      name);
}

}  // namespace fieldwork::scheduling

#endif  // FIELDWORK_SERVICES_SCHEDULING_HANDLER_SUPPORT_H_
