// Command-line configuration shared by every service binary. Each flag --some-name can also be set
// through the environment variable FIELDWORK_SOME_NAME (the flag wins when both are given);
// --help lists every flag with its default and variable. A service's main.cc adds the shared flags
// with AddServerFlags (and AddClientFlags / AddPeerTargetFlag when it calls other services), adds
// its own with AddConfigOption, then calls ParseCommandLine, which applies the exit-code rules:
// 0 after --help or a passing --check-config, 2 after a bad value (one line on stderr naming the
// flag), otherwise start.
#ifndef FIELDWORK_COMMON_CONFIG_H_
#define FIELDWORK_COMMON_CONFIG_H_

#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/tls.h"

namespace fieldwork {

// Settings of one gRPC server process.
struct ServerConfig {
  std::string service;  // "scheduling", "attendance", "reporting": logs, metrics, help text
  std::string listen;   // host:port, [v6]:port or unix:/path
  std::string redis_url = "redis://127.0.0.1:6379";
  int metrics_port = 0;  // HTTP /metrics and /healthz; 0 disables
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;  // set → mutual TLS
  // How often the three TLS files are checked for changes: whole seconds, at least one.
  absl::Duration tls_reload_interval = absl::Seconds(60);
  std::string tokens_file;
  bool dev_insecure_no_auth = false;
  // gRPC's sync server refuses a call with RESOURCE_EXHAUSTED when every thread is busy (threads
  // are held by calls waiting on Redis or a peer): load is shed at once rather than queued. 256
  // threads were tried: at 80% of peak they refused no fewer calls across runs (BENCHMARKS.md).
  int max_threads = 64;
  int max_message_bytes = 4 << 20;
  // Size of gRPC's resource quota for this server's connections and calls (buffers and
  // flow-control windows, which gRPC shrinks as it nears the size). A flood is bounded mainly by
  // the admission limit and the streams per connection (server_runner.cc); this caps the rest.
  int grpc_memory_mib = 128;
  // On SIGTERM, new calls are answered UNAVAILABLE for up to this long (less once none arrive),
  // so callers move to another replica before the server stops taking calls.
  absl::Duration shutdown_drain = absl::Seconds(1);
  absl::Duration shutdown_grace = absl::Seconds(20);
  // Audit entries kept per organization in this service's stream (XADD MAXLEN ~).
  int audit_max_entries = 100000;
  std::string log_level = "info";
  bool check_config = false;

  TlsFiles tls_files() const;
};

// The defaults of `service`: listening on all interfaces at `grpc_port`, metrics at
// `metrics_port`.
ServerConfig DefaultServerConfig(absl::string_view service, int grpc_port, int metrics_port);

// Settings for calling other fieldwork services.
struct ClientConfig {
  std::string service_token_file;  // holds this service's own bearer token
  absl::Duration call_timeout = absl::Seconds(5);
};

// "FIELDWORK_" + the flag name upper-cased with '-' → '_': "redis-url" → "FIELDWORK_REDIS_URL".
std::string EnvVarName(absl::string_view flag_name);

// Adds --`name` bound to `*value` with its environment variable and its default shown in --help.
template <typename T>
CLI::Option* AddConfigOption(CLI::App& app, const std::string& name, T* value,
                             const std::string& help) {
  return app.add_option("--" + name, *value, help)
      ->envname(EnvVarName(name))
      ->capture_default_str();
}
// The same for a duration written as "1.5s", "250ms", "2m".
CLI::Option* AddDurationOption(CLI::App& app, const std::string& name, absl::Duration* value,
                               const std::string& help);

void AddServerFlags(CLI::App& app, ServerConfig* config);
void AddClientFlags(CLI::App& app, ClientConfig* config);
// Adds --<peer>-target (e.g. --scheduling-target), a gRPC target such as
// "dns:///scheduling-headless.fieldwork.svc.cluster.local:50051".
void AddPeerTargetFlag(CLI::App& app, absl::string_view peer, std::string* target);

// Every check that does not need the network: values that must go together, the listen address,
// dev mode only on loopback, and that each configured file can be read and parses (TLS PEM files,
// the tokens file with its permissions). INVALID_ARGUMENT whose message starts with the flag.
absl::Status ValidateServerConfig(const ServerConfig& config);
absl::Status ValidateClientConfig(const ClientConfig& client, const ServerConfig& server);

// True for loopback host:port addresses and unix sockets.
bool IsLoopbackAddress(absl::string_view address);

// Parses argv (then the environment for flags not given), runs ValidateServerConfig and
// `validate_more`, and handles --help and --check-config. Returns the exit code when the process
// should stop now (after writing help or a one-line error), nullopt when it should start.
std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    const ServerConfig& config,
                                    const std::function<absl::Status()>& validate_more = nullptr,
                                    std::ostream& out = std::cout, std::ostream& err = std::cerr);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_CONFIG_H_
