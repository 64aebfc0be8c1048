// Structured logging: one JSON object per line on stderr, through spdlog. Every line carries ts,
// level, service and event; RPC lines add method, organization, request_id, peer, code and
// latency_ms. Callers pass only the fields they want logged, so secrets such as bearer tokens never
// reach a log line unless someone passes them explicitly.
#ifndef FIELDWORK_COMMON_LOGGING_H_
#define FIELDWORK_COMMON_LOGGING_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fieldwork {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// One key/value of a log line; strings are quoted and escaped, numbers and booleans are not.
class LogField {
 public:
  LogField(absl::string_view key, absl::string_view value);
  LogField(absl::string_view key, const char* value) : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, const std::string& value)
      : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, int64_t value);
  LogField(absl::string_view key, int value) : LogField(key, static_cast<int64_t>(value)) {}
  LogField(absl::string_view key, double value);
  LogField(absl::string_view key, bool value);

  // `"key":value` with the value already rendered as JSON.
  const std::string& json() const { return json_; }

 private:
  std::string json_;
};

// The log level names accepted by --log-level, lowest first.
inline constexpr absl::string_view kLogLevelNames[] = {"trace", "debug",    "info", "warn",
                                                       "error", "critical", "off"};

// Sends every later line to stderr as JSON with `"service": service`, at `level` (one of
// kLogLevelNames) and above. INVALID_ARGUMENT for an unknown level.
absl::Status InitLogging(absl::string_view service, absl::string_view level);

// Whether a line at `level` would be written (to skip building the fields of one that would not).
bool LogEnabled(LogLevel level);

// Logs `{"ts":…,"level":…,"service":…,"event":event, fields…}`.
void LogEvent(LogLevel level, absl::string_view event, std::initializer_list<LogField> fields = {});

// A JSON string literal (with quotes) holding `text`, escaped per RFC 8259.
std::string JsonQuote(absl::string_view text);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_LOGGING_H_
