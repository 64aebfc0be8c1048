// ErrorInfo reasons on service errors (see error_reason.h).
#include "common/api/error_reason.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/redis/redis_status.h"

namespace fieldwork {
namespace {

using ::fieldwork::common::v1::ErrorInfo;
using ::fieldwork::common::v1::ErrorReason;

std::string& Domain() {
  static std::string* const domain = new std::string("fieldwork");
  return *domain;
}

std::string ErrorInfoUrl() {
  return absl::StrCat("type.googleapis.com/", ErrorInfo::descriptor()->full_name());
}

}  // namespace

void SetErrorDomain(std::string domain) { Domain() = std::move(domain); }

absl::Status WithReason(absl::Status status, ErrorReason reason,
                        const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  ErrorInfo info;
  info.set_reason(fieldwork::common::v1::ErrorReason_Name(reason));
  info.set_domain(Domain());
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(ErrorInfoUrl(), absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<ErrorInfo> GetErrorInfo(const absl::Status& status) {
  const auto payload = status.GetPayload(ErrorInfoUrl());
  if (!payload.has_value()) return std::nullopt;
  ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

absl::Status WithDefaultReason(absl::Status status) {
  if (status.ok() || GetErrorInfo(status).has_value()) return status;
  if (IsCalendarBusy(status)) return WithReason(status, common::v1::ERROR_REASON_LOCK_TIMEOUT);
  if (IsLockLost(status)) return WithReason(status, common::v1::ERROR_REASON_LOCK_LOST);
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return WithReason(status, common::v1::ERROR_REASON_FIELD_INVALID);
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return WithReason(status, common::v1::ERROR_REASON_STORE_UNAVAILABLE);
    default:
      return status;
  }
}

}  // namespace fieldwork
