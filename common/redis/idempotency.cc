// Stored answers of mutating RPCs. A record is one string value:
//   version byte 1 | fingerprint length (4 bytes, big-endian) | fingerprint | response.
#include "common/redis/idempotency.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_status.h"
#include "common/sha256.h"

namespace fieldwork {
namespace {

constexpr char kRecordVersion = 1;
constexpr size_t kHeaderSize = 5;

std::string EncodeRecord(absl::string_view fingerprint, absl::string_view response) {
  const uint32_t length = static_cast<uint32_t>(fingerprint.size());
  std::string record;
  record.reserve(kHeaderSize + fingerprint.size() + response.size());
  record.push_back(kRecordVersion);
  for (int shift = 24; shift >= 0; shift -= 8) {
    record.push_back(static_cast<char>((length >> shift) & 0xff));
  }
  absl::StrAppend(&record, fingerprint, response);
  return record;
}

struct StoredAnswer {
  absl::string_view fingerprint;
  absl::string_view response;
};

std::optional<StoredAnswer> DecodeRecord(absl::string_view record) {
  if (record.size() < kHeaderSize || record[0] != kRecordVersion) return std::nullopt;
  uint32_t length = 0;
  for (size_t i = 1; i < kHeaderSize; ++i) {
    length = (length << 8) | static_cast<unsigned char>(record[i]);
  }
  if (record.size() - kHeaderSize < length) return std::nullopt;
  return StoredAnswer{record.substr(kHeaderSize, length), record.substr(kHeaderSize + length)};
}

absl::Status CheckKey(const IdempotencyKey& key) {
  if (key.organization.empty() || key.method.empty() || key.request_id.empty()) {
    return absl::InvalidArgumentError(
        "an idempotency key needs an organization, a method and a request_id");
  }
  if (key.organization.find_first_of("{}") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("organization \"", key.organization, "\" must not contain braces"));
  }
  return absl::OkStatus();
}

}  // namespace

IdempotencyStore::IdempotencyStore(RedisClient* client, absl::Duration ttl)
    : client_(client), ttl_(ttl) {}

std::string IdempotencyStore::Fingerprint(absl::string_view request_without_request_id) {
  return Sha256(request_without_request_id);
}

std::string IdempotencyStore::RedisKey(const IdempotencyKey& key) {
  return absl::StrCat("fw:{", key.organization, "}:idem:", key.method, ":", key.request_id);
}

namespace {

// The answer recorded at `redis_key` (read as `stored`) for a request with `fingerprint`.
absl::StatusOr<std::optional<std::string>> RecordedAnswer(absl::StatusOr<RedisReply> stored,
                                                          absl::string_view redis_key,
                                                          absl::string_view fingerprint) {
  if (!stored.ok()) return stored.status();
  if (stored->is_nil()) return std::nullopt;
  std::optional<StoredAnswer> record = DecodeRecord(stored->str());
  if (!record) {
    return absl::DataLossError(absl::StrCat("unreadable idempotency record at ", redis_key));
  }
  if (record->fingerprint != fingerprint) {
    return absl::InvalidArgumentError("request_id reused with a different request");
  }
  return std::string(record->response);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> IdempotencyStore::Lookup(const IdempotencyKey& key,
                                                                    absl::string_view fingerprint,
                                                                    absl::Time deadline) const {
  if (absl::Status valid = CheckKey(key); !valid.ok()) return valid;
  const std::string redis_key = RedisKey(key);
  return RecordedAnswer(client_->Execute({"GET", redis_key}, deadline), redis_key, fingerprint);
}

void IdempotencyStore::LookupAsync(const IdempotencyKey& key, std::string fingerprint,
                                   absl::Time deadline, LookupDone done) const {
  if (absl::Status valid = CheckKey(key); !valid.ok()) return std::move(done)(valid);
  std::string redis_key = RedisKey(key);
  client_->ExecuteAsync(
      {"GET", redis_key}, deadline,
      [redis_key, fingerprint = std::move(fingerprint),
       done = std::move(done)](absl::StatusOr<RedisReply> stored) mutable {
        std::move(done)(RecordedAnswer(std::move(stored), redis_key, fingerprint));
      });
}

absl::Status IdempotencyStore::AddRecord(const IdempotencyKey& key, absl::string_view fingerprint,
                                         absl::string_view response, AtomicWrite& write) const {
  if (absl::Status valid = CheckKey(key); !valid.ok()) return valid;
  const std::string redis_key = RedisKey(key);
  write.Expect(Precondition::Absent(redis_key))
      .Add(WriteOp::SetWithTtl(redis_key, EncodeRecord(fingerprint, response), ttl_));
  return absl::OkStatus();
}

bool IdempotencyStore::IsRecordConflict(const absl::Status& status, const IdempotencyKey& key) {
  return IsPreconditionFailed(status) && ConflictKey(status) == RedisKey(key);
}

absl::Status IdempotencyStore::Record(const IdempotencyKey& key, absl::string_view fingerprint,
                                      absl::string_view response, absl::Time deadline) const {
  AtomicWrite write;
  if (absl::Status added = AddRecord(key, fingerprint, response, write); !added.ok()) return added;
  absl::Status written = ApplyAtomicWrite(*client_, write, deadline).status();
  if (!IsRecordConflict(written, key)) return written;
  return Lookup(key, fingerprint, deadline).status();
}

}  // namespace fieldwork
