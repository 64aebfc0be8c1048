// Parsing and checking the Redis client configuration.
#include "common/redis/redis_config.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/redis_deployment.h"

namespace fieldwork {
namespace {

constexpr absl::string_view kScheme = "redis://";
constexpr absl::string_view kUrlShape = "redis://[[user]:password@]host[:port][/db]";

absl::Status BadUrl(absl::string_view url, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("invalid Redis URL \"", RedactRedisUrl(url),
                                                 "\": ", reason, " (expected ", kUrlShape, ")"));
}

std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !absl::ascii_isxdigit(text[i + 1]) ||
        !absl::ascii_isxdigit(text[i + 2])) {
      return std::nullopt;
    }
    int value = 0;
    for (char c : text.substr(i + 1, 2)) {
      value = value * 16 + (absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10);
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

// Splits "host[:port]" or "[v6]:port" into `endpoint`; returns the reason on failure.
std::optional<std::string> ParseHostPort(absl::string_view text, RedisEndpoint& endpoint) {
  absl::string_view host = text;
  absl::string_view port;
  if (absl::StartsWith(text, "[")) {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return "unterminated [IPv6] host";
    host = text.substr(1, close - 1);
    absl::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return "unexpected text after ]";
      port = rest.substr(1);
      if (port.empty()) return "empty port";
    }
  } else if (const size_t colon = text.find(':'); colon != absl::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return "empty port";
  }
  if (host.empty()) return "missing host";
  endpoint.host = std::string(host);
  if (!port.empty()) {
    int value = 0;
    if (!absl::SimpleAtoi(port, &value) || value < 1 || value > 65535) {
      return absl::StrCat("port \"", port, "\" is not a number from 1 to 65535");
    }
    endpoint.port = value;
  }
  return std::nullopt;
}

}  // namespace

std::string RedactRedisUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return std::string(url);
  const size_t authority_begin = scheme_end + 3;
  const size_t authority_end = url.find('/', authority_begin);
  const absl::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  const size_t at = authority.rfind('@');
  if (at == absl::string_view::npos) return std::string(url);
  const absl::string_view userinfo = authority.substr(0, at);
  const size_t colon = userinfo.find(':');
  const absl::string_view user = userinfo.substr(0, colon);
  return absl::StrCat(url.substr(0, authority_begin), user, ":***", authority.substr(at),
                      authority_end == absl::string_view::npos ? "" : url.substr(authority_end));
}

absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url) {
  if (!absl::StartsWithIgnoreCase(url, kScheme)) {
    return BadUrl(url, "the scheme must be redis://");
  }
  absl::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != absl::string_view::npos) {
    return BadUrl(url, "query and fragment are not supported");
  }
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  const absl::string_view path =
      slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash + 1);

  RedisEndpoint endpoint;
  if (const size_t at = authority.rfind('@'); at != absl::string_view::npos) {
    const absl::string_view userinfo = authority.substr(0, at);
    const size_t colon = userinfo.find(':');
    if (colon == absl::string_view::npos) {
      return BadUrl(url, "credentials must be \":password@\" or \"user:password@\"");
    }
    std::optional<std::string> user = PercentDecode(userinfo.substr(0, colon));
    std::optional<std::string> password = PercentDecode(userinfo.substr(colon + 1));
    if (!user || !password) return BadUrl(url, "bad percent-encoding in the credentials");
    if (password->empty()) return BadUrl(url, "empty password");
    endpoint.username = *std::move(user);
    endpoint.password = *std::move(password);
    authority = authority.substr(at + 1);
  }
  if (std::optional<std::string> reason = ParseHostPort(authority, endpoint)) {
    return BadUrl(url, *reason);
  }
  if (!path.empty() && (!absl::SimpleAtoi(path, &endpoint.db) || endpoint.db < 0)) {
    return BadUrl(url, absl::StrCat("database \"", path, "\" is not a non-negative number"));
  }
  return endpoint;
}

absl::Status ValidateRedisConfig(const RedisConfig& config) {
  if (absl::StatusOr<RedisDeployment> deployment = ParseRedisDeployment(config.url);
      !deployment.ok()) {
    return deployment.status();
  }
  if (config.pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis pool size must be at least 1, got ", config.pool_size));
  }
  if (config.connect_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("Redis connect timeout must be positive, got ",
                                                   absl::FormatDuration(config.connect_timeout)));
  }
  if (config.command_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("Redis command timeout must be positive, got ",
                                                   absl::FormatDuration(config.command_timeout)));
  }
  return absl::OkStatus();
}

}  // namespace fieldwork
