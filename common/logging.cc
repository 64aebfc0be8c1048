// JSON lines through one spdlog logger whose pattern supplies ts, level and service.
#include "common/logging.h"

#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace fieldwork {
namespace {

constexpr char kLoggerName[] = "fieldwork";

std::shared_ptr<spdlog::logger> Logger() {
  std::shared_ptr<spdlog::logger> logger = spdlog::get(kLoggerName);
  if (logger != nullptr) return logger;
  // Before InitLogging (e.g. in tests): JSON to stderr without a service name.
  InitLogging("", "info").IgnoreError();
  return spdlog::get(kLoggerName);
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

LogField::LogField(absl::string_view key, absl::string_view value)
    : json_(absl::StrCat(JsonQuote(key), ":", JsonQuote(value))) {}

LogField::LogField(absl::string_view key, int64_t value)
    : json_(absl::StrCat(JsonQuote(key), ":", value)) {}

LogField::LogField(absl::string_view key, double value)
    : json_(absl::StrCat(JsonQuote(key), ":",
                         std::isfinite(value) ? absl::StrFormat("%.3f", value) : "null")) {}

LogField::LogField(absl::string_view key, bool value)
    : json_(absl::StrCat(JsonQuote(key), ":", value ? "true" : "false")) {}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
}

absl::Status InitLogging(absl::string_view service, absl::string_view level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat("unknown log level \"", level, "\""));
  }
  spdlog::drop(kLoggerName);
  auto logger = spdlog::stderr_logger_mt(kLoggerName);
  // The message (%v) is the rest of the JSON object: the event and its fields.
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      absl::StrCat(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":)", JsonQuote(service),
                   ",%v}"),
      spdlog::pattern_time_type::utc));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::trace);
  return absl::OkStatus();
}

bool LogEnabled(LogLevel level) { return Logger()->should_log(ToSpdlog(level)); }

void LogEvent(LogLevel level, absl::string_view event, std::initializer_list<LogField> fields) {
  std::string body = absl::StrCat(JsonQuote("event"), ":", JsonQuote(event));
  for (const LogField& field : fields) absl::StrAppend(&body, ",", field.json());
  Logger()->log(ToSpdlog(level), body);
}

}  // namespace fieldwork
