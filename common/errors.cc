// Conversion between absl::Status with typed payloads and grpc::Status with an ErrorStatus trailer.
#include "common/errors.h"

#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fieldwork {
namespace {

using ::fieldwork::common::v1::Conflicts;
using ::fieldwork::common::v1::ErrorStatus;
using ::fieldwork::common::v1::FieldViolations;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

template <typename Message>
std::string TypeUrl() {
  return absl::StrCat(kTypeUrlPrefix, Message::descriptor()->full_name());
}

template <typename Message>
void Attach(absl::Status& status, const Message& message) {
  status.SetPayload(TypeUrl<Message>(), absl::Cord(message.SerializeAsString()));
}

template <typename Message>
std::optional<Message> Extract(const absl::Status& status) {
  const auto payload = status.GetPayload(TypeUrl<Message>());
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

std::string Describe(const FieldViolations::Violation& violation) {
  return absl::StrCat(violation.field(), ": ", violation.description());
}

}  // namespace

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  FieldErrors errors;
  errors.Add(field, description);
  return errors.ToStatus();
}

void FieldErrors::Add(absl::string_view field, absl::string_view description) {
  FieldViolations::Violation* violation = violations_.add_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
}

absl::Status FieldErrors::ToStatus() const {
  if (empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const auto& violation : violations_.violations()) parts.push_back(Describe(violation));
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  Attach(status, violations_);
  return status;
}

absl::Status ConflictError(absl::string_view message, const Conflicts& conflicts) {
  return WithConflicts(absl::FailedPreconditionError(message), conflicts);
}

absl::Status WithConflicts(absl::Status status, const Conflicts& conflicts) {
  if (!status.ok()) Attach(status, conflicts);
  return status;
}

std::optional<FieldViolations> GetFieldViolations(const absl::Status& status) {
  return Extract<FieldViolations>(status);
}

std::optional<Conflicts> GetConflicts(const absl::Status& status) {
  return Extract<Conflicts>(status);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  ErrorStatus details;
  status.ForEachPayload([&details](absl::string_view type_url, const absl::Cord& value) {
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(value));
  });
  if (details.details().empty()) return grpc::Status(code, message);
  details.set_code(static_cast<int32_t>(code));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  ErrorStatus details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return result;
  }
  for (const google::protobuf::Any& any : details.details()) {
    result.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return result;
}

}  // namespace fieldwork
