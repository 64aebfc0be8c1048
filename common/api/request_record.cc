// Request fingerprints, replays and answer records (see request_record.h).
#include "common/api/request_record.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>

#include "common/api/error_reason.h"
#include "common/errors.h"

namespace fieldwork {
namespace {

std::string RequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  return field == nullptr ? "" : request.GetReflection()->GetString(request, field);
}

std::string FingerprintOf(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::FieldDescriptor* field =
      copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  return IdempotencyStore::Fingerprint(DeterministicBytes(*copy));
}

}  // namespace

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

RequestRecord::RequestRecord(const IdempotencyStore* store, absl::string_view organization,
                             absl::string_view method, const google::protobuf::Message& request)
    : store_(store),
      request_(&request),
      key_{std::string(organization), std::string(method), RequestIdOf(request)},
      fingerprint_(enabled() ? FingerprintOf(request) : "") {}

namespace {

// What Replay answers once the store has looked the request up.
absl::StatusOr<bool> Replayed(absl::StatusOr<std::optional<std::string>> recorded,
                              google::protobuf::Message& response) {
  if (absl::IsInvalidArgument(recorded.status())) {
    return WithReason(InvalidField("request_id", recorded.status().message()),
                      common::v1::ERROR_REASON_REQUEST_ID_REUSED);
  }
  if (!recorded.ok()) return recorded.status();
  if (!recorded->has_value()) return false;
  if (!response.ParseFromString(**recorded)) {
    return absl::DataLossError("unreadable recorded answer");
  }
  return true;
}

}  // namespace

absl::StatusOr<bool> RequestRecord::Replay(google::protobuf::Message& response,
                                           absl::Time deadline) const {
  if (!enabled()) return false;
  return Replayed(store_->Lookup(key_, fingerprint_, deadline), response);
}

void RequestRecord::ReplayAsync(google::protobuf::Message& response, absl::Time deadline,
                                absl::AnyInvocable<void(absl::StatusOr<bool>) &&> done) const {
  if (!enabled()) return std::move(done)(false);
  store_->LookupAsync(key_, fingerprint_, deadline,
                      [&response, done = std::move(done)](
                          absl::StatusOr<std::optional<std::string>> recorded) mutable {
                        std::move(done)(Replayed(std::move(recorded), response));
                      });
}

absl::Status RequestRecord::AddTo(const google::protobuf::Message& response,
                                  AtomicWrite& write) const {
  if (!enabled()) return absl::OkStatus();
  return store_->AddRecord(key_, fingerprint_, response.SerializeAsString(), write);
}

bool RequestRecord::LostRace(const absl::Status& status) const {
  return enabled() && IdempotencyStore::IsRecordConflict(status, key_);
}

void RunOnceAsync(const RequestRecord& record, google::protobuf::Message& response,
                  absl::Time deadline, absl::AnyInvocable<void(OnceDone) &&> work, OnceDone done) {
  record.ReplayAsync(response, deadline,
                     [&record, &response, deadline, work = std::move(work),
                      done = std::move(done)](absl::StatusOr<bool> replayed) mutable {
                       if (!replayed.ok()) return std::move(done)(replayed.status());
                       if (*replayed) {
                         record.MarkReplayed();
                         return std::move(done)(absl::OkStatus());
                       }
                       std::move(work)([&record, &response, deadline,
                                        done = std::move(done)](absl::Status result) mutable {
                         if (result.ok() || !record.enabled()) return std::move(done)(result);
                         record.ReplayAsync(response, deadline,
                                            [&record, result, done = std::move(done)](
                                                absl::StatusOr<bool> replayed) mutable {
                                              if (replayed.ok() && *replayed) {
                                                record.MarkReplayed();
                                                return std::move(done)(absl::OkStatus());
                                              }
                                              std::move(done)(result);
                                            });
                       });
                     });
}

}  // namespace fieldwork
