// Errors with machine-readable details. Code inside fieldwork returns absl::Status; details
// (FieldViolations, Conflicts) ride along as status payloads keyed by their Any type URL. At the
// handler edge ToGrpcStatus packs them into an ErrorStatus (wire-compatible with google.rpc.Status)
// that gRPC sends in the `grpc-status-details-bin` trailer; clients unpack with FromGrpcStatus.
#ifndef FIELDWORK_COMMON_ERRORS_H_
#define FIELDWORK_COMMON_ERRORS_H_

#include <grpcpp/support/status.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fieldwork/common/v1/error.pb.h"

namespace fieldwork {

// INVALID_ARGUMENT naming one offending field, e.g. InvalidField("event.title", "must not be
// empty").
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// Collects every invalid field of a request so the caller learns all of them in one round trip.
class FieldErrors {
 public:
  // Records that `field` (a path such as "event.time_range.start_time") was refused and why.
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return violations_.violations().empty(); }
  // OK when nothing was added; otherwise one INVALID_ARGUMENT carrying every violation.
  absl::Status ToStatus() const;

 private:
  fieldwork::common::v1::FieldViolations violations_;
};

// FAILED_PRECONDITION with `message` and the machine-readable list of what clashes with what.
absl::Status ConflictError(absl::string_view message,
                           const fieldwork::common::v1::Conflicts& conflicts);

// `status` with `conflicts` attached (replacing any earlier Conflicts); OK stays OK.
absl::Status WithConflicts(absl::Status status, const fieldwork::common::v1::Conflicts& conflicts);

// The details attached to `status`, if any.
std::optional<fieldwork::common::v1::FieldViolations> GetFieldViolations(
    const absl::Status& status);
std::optional<fieldwork::common::v1::Conflicts> GetConflicts(const absl::Status& status);

// Handler edge: same code and message, every payload packed as an Any in an ErrorStatus.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Client side: same code and message, with the details of the trailer restored as payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_ERRORS_H_
