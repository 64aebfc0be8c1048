// CLI11 flags with FIELDWORK_* environment overrides, their validation and the exit-code rules.
#include "common/config.h"

#include <unistd.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/logging.h"
#include "common/service_token.h"
#include "common/token_store.h"

namespace fieldwork {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

absl::Status PrefixFlag(absl::string_view flag, const absl::Status& status) {
  if (status.ok()) return status;
  return FlagError(flag, status.message());
}

// Splits "host:port" / "[v6]:port"; false when it is neither.
bool SplitHostPort(absl::string_view address, absl::string_view* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  *host = address.substr(0, colon);
  if (absl::StartsWith(*host, "[") != absl::EndsWith(*host, "]")) return false;
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port <= 65535;
}

absl::Status ValidateListen(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:")) {
    return listen.size() > 5 ? absl::OkStatus() : FlagError("listen", "unix: needs a path");
  }
  absl::string_view host;
  int port = 0;
  if (!SplitHostPort(listen, &host, &port)) {
    return FlagError("listen",
                     absl::StrCat("\"", listen, "\" is not host:port, [v6]:port or unix:/path"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTls(const ServerConfig& config) {
  // gRPC's file watcher takes whole seconds and would spin on zero.
  if (config.tls_reload_interval < absl::Seconds(1) ||
      config.tls_reload_interval !=
          absl::Seconds(absl::ToInt64Seconds(config.tls_reload_interval))) {
    return FlagError("tls-reload-interval", "must be whole seconds, at least 1s");
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return config.tls_cert.empty() ? FlagError("tls-key", "needs --tls-cert too")
                                   : FlagError("tls-cert", "needs --tls-key too");
  }
  if (!config.tls_ca.empty() && config.tls_cert.empty()) {
    return FlagError("tls-ca", "mutual TLS needs --tls-cert and --tls-key too");
  }
  if (config.tls_cert.empty()) return absl::OkStatus();
  if (absl::Status s = CheckCertificateFile(config.tls_cert); !s.ok())
    return PrefixFlag("tls-cert", s);
  if (absl::Status s = CheckKeyMatchesCertificate(config.tls_key, config.tls_cert); !s.ok()) {
    return PrefixFlag("tls-key", s);
  }
  if (config.tls_ca.empty()) return absl::OkStatus();
  return PrefixFlag("tls-ca", CheckCertificateFile(config.tls_ca));
}

absl::Status ValidateAuth(const ServerConfig& config) {
  if (config.dev_insecure_no_auth) {
    if (!config.tokens_file.empty()) {
      return FlagError("dev-insecure-no-auth", "cannot be combined with --tokens-file");
    }
    if (!IsLoopbackAddress(config.listen)) {
      return FlagError(
          "dev-insecure-no-auth",
          absl::StrCat("allowed only on a loopback --listen address, not \"", config.listen, "\""));
    }
    return absl::OkStatus();
  }
  if (config.tokens_file.empty()) {
    return FlagError("tokens-file", "required (or --dev-insecure-no-auth on a loopback address)");
  }
  return PrefixFlag("tokens-file", TokenStore::LoadFile(config.tokens_file).status());
}

// The first line of a CLI11 message, so every error stays one line.
std::string FirstLine(absl::string_view text) {
  return std::string(absl::StripAsciiWhitespace(text.substr(0, text.find('\n'))));
}

}  // namespace

TlsFiles ServerConfig::tls_files() const {
  return TlsFiles{tls_cert, tls_key, tls_ca,
                  static_cast<unsigned int>(absl::ToInt64Seconds(tls_reload_interval))};
}

ServerConfig DefaultServerConfig(absl::string_view service, int grpc_port, int metrics_port) {
  ServerConfig config;
  config.service = std::string(service);
  config.listen = absl::StrCat("0.0.0.0:", grpc_port);
  config.metrics_port = metrics_port;
  return config;
}

std::string EnvVarName(absl::string_view flag_name) {
  return absl::StrCat("FIELDWORK_",
                      absl::AsciiStrToUpper(absl::StrReplaceAll(flag_name, {{"-", "_"}})));
}

CLI::Option* AddDurationOption(CLI::App& app, const std::string& name, absl::Duration* value,
                               const std::string& help) {
  const CLI::Validator duration(
      [](std::string& text) -> std::string {
        absl::Duration parsed;
        if (!absl::ParseDuration(text, &parsed) || parsed < absl::ZeroDuration()) {
          return absl::StrCat("\"", text, "\" is not a duration such as 1.5s, 250ms or 2m");
        }
        return "";
      },
      "DURATION");
  return app
      .add_option_function<std::string>(
          "--" + name, [value](const std::string& text) { absl::ParseDuration(text, value); }, help)
      ->check(duration)
      ->envname(EnvVarName(name))
      ->default_str(absl::FormatDuration(*value));
}

void AddServerFlags(CLI::App& app, ServerConfig* config) {
  std::vector<std::string> levels(std::begin(kLogLevelNames), std::end(kLogLevelNames));
  AddConfigOption(app, "listen", &config->listen, "gRPC listen address: host:port or unix:/path");
  AddConfigOption(app, "redis-url", &config->redis_url, "Redis to keep state in");
  AddConfigOption(app, "metrics-port", &config->metrics_port,
                  "HTTP port for /metrics and /healthz; 0 disables")
      ->check(CLI::Range(0, 65535));
  AddConfigOption(app, "tls-cert", &config->tls_cert,
                  "PEM certificate chain; with --tls-key enables TLS (plaintext without)");
  AddConfigOption(app, "tls-key", &config->tls_key, "PEM private key of --tls-cert");
  AddConfigOption(app, "tls-ca", &config->tls_ca,
                  "PEM CA bundle; enables mutual TLS: clients need a certificate it signed");
  AddDurationOption(app, "tls-reload-interval", &config->tls_reload_interval,
                    "how often --tls-cert, --tls-key and --tls-ca are checked for changes, by the "
                    "server and by its channels to other services: rotated files apply to new "
                    "connections without a restart (whole seconds, at least 1s)");
  AddConfigOption(app, "tokens-file", &config->tokens_file,
                  "YAML file of accepted bearer tokens (SHA-256 hashes), mode 0600 or 0640");
  app.add_flag("--dev-insecure-no-auth", config->dev_insecure_no_auth,
               "development only: accept every caller as admin; needs a loopback --listen")
      ->envname(EnvVarName("dev-insecure-no-auth"));
  AddConfigOption(
      app, "max-threads", &config->max_threads,
      "threads running unary calls, also the bound on gRPC's own server threads (a unary call "
      "finding 4 per thread already waiting is refused with RESOURCE_EXHAUSTED)")
      ->check(CLI::Range(4, 10000));
  AddConfigOption(app, "max-message-bytes", &config->max_message_bytes,
                  "largest request or response message")
      ->check(CLI::Range(1024, 64 << 20));
  AddConfigOption(app, "grpc-memory-mib", &config->grpc_memory_mib,
                  "size of gRPC's resource quota for connections and calls (its buffers and "
                  "flow-control windows shrink as they near it)")
      ->check(CLI::Range(16, 1 << 16));
  AddDurationOption(app, "shutdown-drain", &config->shutdown_drain,
                    "on SIGTERM, at most how long new RPCs are answered UNAVAILABLE (so callers "
                    "move to another replica) before the server stops taking calls");
  AddDurationOption(app, "shutdown-grace", &config->shutdown_grace,
                    "on SIGTERM, how long in-flight RPCs may take to finish");
  AddConfigOption(app, "audit-max-entries", &config->audit_max_entries,
                  "audit entries kept per organization in this service's audit stream "
                  "(approximate cap, oldest trimmed first)")
      ->check(CLI::Range(1000, 100000000));
  AddConfigOption(app, "log-level", &config->log_level, "lowest level logged")
      ->check(CLI::IsMember(levels));
  app.add_flag("--check-config", config->check_config,
               "validate the configuration (including files) and exit: 0 if valid, 2 if not")
      ->envname(EnvVarName("check-config"));
}

void AddClientFlags(CLI::App& app, ClientConfig* config) {
  AddConfigOption(app, "service-token-file", &config->service_token_file,
                  "file holding this service's bearer token for calls to other services");
  AddDurationOption(app, "call-timeout", &config->call_timeout,
                    "deadline of each call to another service");
}

void AddPeerTargetFlag(CLI::App& app, absl::string_view peer, std::string* target) {
  AddConfigOption(
      app, absl::StrCat(peer, "-target"), target,
      absl::StrCat("gRPC target of the ", peer, " service, e.g. dns:///", peer, "-headless:50051"))
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return text.empty() ? std::string("must not be empty") : std::string();
          },
          "TARGET"));
}

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:")) return true;
  absl::string_view host;
  int port = 0;
  if (!SplitHostPort(address, &host, &port)) return false;
  return host == "localhost" || host == "[::1]" || absl::StartsWith(host, "127.");
}

absl::Status ValidateServerConfig(const ServerConfig& config) {
  if (absl::Status s = ValidateListen(config.listen); !s.ok()) return s;
  if (!absl::StrContains(config.redis_url, "://")) {
    return FlagError("redis-url", absl::StrCat("\"", config.redis_url,
                                               "\" is not a URL such as redis://host:6379"));
  }
  if (absl::Status s = ValidateTls(config); !s.ok()) return s;
  return ValidateAuth(config);
}

absl::Status ValidateClientConfig(const ClientConfig& client, const ServerConfig& server) {
  if (client.call_timeout <= absl::ZeroDuration()) {
    return FlagError("call-timeout", "must be positive");
  }
  if (client.service_token_file.empty()) {
    if (server.dev_insecure_no_auth) return absl::OkStatus();
    return FlagError("service-token-file",
                     "required to call other services (unless --dev-insecure-no-auth)");
  }
  return PrefixFlag("service-token-file", ServiceToken::Load(client.service_token_file).status());
}

std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    const ServerConfig& config,
                                    const std::function<absl::Status()>& validate_more,
                                    std::ostream& out, std::ostream& err) {
  const std::string program = app.get_name().empty() ? "fieldwork" : app.get_name();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << program << ": " << FirstLine(e.what()) << "\n";
    return 2;
  }
  absl::Status valid = ValidateServerConfig(config);
  if (valid.ok() && validate_more) valid = validate_more();
  if (!valid.ok()) {
    err << program << ": " << FirstLine(valid.message()) << "\n";
    return 2;
  }
  if (config.check_config) {
    out << program << ": configuration is valid\n";
    return 0;
  }
  return std::nullopt;
}

}  // namespace fieldwork
