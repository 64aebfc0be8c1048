// The recorded history of a fault scenario (see history.h).
#include "tests/fault/history.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fieldwork::testing {

const char* KindName(OperationKind kind) {
  switch (kind) {
    case OperationKind::kCreateEvent:
      return "CreateEvent";
    case OperationKind::kCancelEvent:
      return "CancelEvent";
    case OperationKind::kCheckIn:
      return "CheckIn";
    case OperationKind::kRequestLeave:
      return "RequestLeave";
    case OperationKind::kDecideLeave:
      return "DecideLeave";
  }
  return "?";
}

bool IsRetryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

bool Operation::ambiguous() const {
  if (known_refused || acknowledged()) return false;
  if (retried()) return true;
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::UNKNOWN || code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::CANCELLED;
}

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : absl::StrCat("CODE_", index);
}

std::string HistoryCounts::ToString() const {
  std::vector<std::string> failed;
  for (const auto& [code, count] : failed_by_code) failed.push_back(absl::StrCat(code, "=", count));
  return absl::StrCat("requests=", requests, " acknowledged=", acknowledged, " failed{",
                      absl::StrJoin(failed, " "), "} retried=", retried, " attempts=", attempts,
                      " failed_unexpectedly=", failed_unexpectedly);
}

std::string Describe(const Operation& operation) {
  std::vector<std::string> attempts;
  for (grpc::StatusCode code : operation.attempts) attempts.push_back(CodeName(code));
  return absl::StrCat(KindName(operation.kind), " ", operation.request_id, " → ", operation.target,
                      ": ", CodeName(operation.code), " after [", absl::StrJoin(attempts, ", "),
                      "]: ", operation.message);
}

void History::Add(Operation operation) {
  absl::MutexLock lock(&mu_);
  operations_.push_back(std::move(operation));
}

std::vector<Operation> History::operations() const {
  absl::MutexLock lock(&mu_);
  return operations_;
}

HistoryCounts History::Counts() const {
  HistoryCounts counts;
  for (const Operation& operation : operations()) {
    ++counts.requests;
    counts.attempts += static_cast<int>(operation.attempts.size());
    if (operation.retried()) ++counts.retried;
    if (operation.acknowledged()) {
      ++counts.acknowledged;
      continue;
    }
    ++counts.failed_by_code[CodeName(operation.code)];
    if (!operation.known_refused && operation.code != grpc::StatusCode::FAILED_PRECONDITION &&
        operation.code != grpc::StatusCode::ABORTED) {
      ++counts.failed_unexpectedly;
    }
  }
  return counts;
}

}  // namespace fieldwork::testing
