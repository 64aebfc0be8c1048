// Rotating check-in codes (see check_in_code.h).
#include "services/attendance/check_in_code.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fieldwork::attendance {

int64_t CodeStepOf(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  const int64_t step_seconds = absl::ToInt64Seconds(kCodeStep);
  // Floor division, also right for instants before 1970.
  return seconds >= 0 ? seconds / step_seconds : -((-seconds + step_seconds - 1) / step_seconds);
}

absl::Time CodeStepStart(int64_t step) {
  return absl::FromUnixSeconds(step * absl::ToInt64Seconds(kCodeStep));
}

std::string CheckInCode(absl::string_view secret, absl::string_view event_name, int64_t step) {
  const std::string message = absl::StrCat(event_name, "\n", step);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &length);
  // Dynamic truncation (RFC 4226 §5.3): 31 bits at an offset named by the last nibble.
  const int offset = digest[length - 1] & 0x0f;
  const uint32_t bits = (static_cast<uint32_t>(digest[offset] & 0x7f) << 24) |
                        (static_cast<uint32_t>(digest[offset + 1]) << 16) |
                        (static_cast<uint32_t>(digest[offset + 2]) << 8) |
                        static_cast<uint32_t>(digest[offset + 3]);
  return absl::StrFormat("%06u", bits % 1000000u);
}

bool AcceptsCheckInCode(absl::string_view secret, absl::string_view event_name,
                        absl::string_view code, absl::Time now) {
  if (code.size() != 6) return false;
  const int64_t step = CodeStepOf(now);
  bool accepted = false;
  for (int64_t candidate : {step, step - 1}) {
    const std::string expected = CheckInCode(secret, event_name, candidate);
    // Constant time, so response timing reveals nothing about the code.
    accepted |= CRYPTO_memcmp(expected.data(), code.data(), expected.size()) == 0;
  }
  return accepted;
}

}  // namespace fieldwork::attendance
