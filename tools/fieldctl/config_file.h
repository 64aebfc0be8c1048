// fieldctl's configuration: contexts (servers, organization, token, TLS files) kept in
// $XDG_CONFIG_HOME/fieldwork/config.yaml (tools/up writes the same format), and how a context,
// FIELDWORK_* environment variables and command-line flags combine into the settings of one run.
#ifndef FIELDWORK_TOOLS_FIELDCTL_CONFIG_FILE_H_
#define FIELDWORK_TOOLS_FIELDCTL_CONFIG_FILE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fieldwork::fieldctl {

// One entry of `contexts:`; field names follow the YAML keys.
struct Context {
  std::string name;
  std::string server;             // scheduling, host:port
  std::string attendance_server;  // "" → server
  std::string reporting_server;   // "" → server
  std::string organization;       // organization id
  std::string token;
  std::string token_file;  // read when token is ""
  std::string ca_file;     // TLS when set
  std::string cert_file;   // client certificate (mutual TLS)
  std::string key_file;
};

struct ConfigFile {
  std::string current_context;
  std::vector<Context> contexts;

  // The context called `name`, or null.
  const Context* Find(absl::string_view name) const;
  // Replaces the context of the same name, or appends `context`.
  void Upsert(const Context& context);
};

// The path of the file: $XDG_CONFIG_HOME/fieldwork/config.yaml, else $HOME/.config/fieldwork/….
// `getenv` is ::getenv in fieldctl and a fake in tests.
using GetEnv = std::function<const char*(const char*)>;
std::string ConfigFilePath(const GetEnv& getenv);

// The YAML text of a config file; INVALID_ARGUMENT naming what is malformed.
absl::StatusOr<ConfigFile> ParseConfigFile(absl::string_view yaml);
// The YAML text of `config`, every key of every context written.
std::string FormatConfigFile(const ConfigFile& config);

// Reads `path` (a missing file is an empty config).
absl::StatusOr<ConfigFile> LoadConfigFile(const std::string& path);
// Writes `config` to `path` with mode 0600, creating its directory.
absl::Status SaveConfigFile(const std::string& path, const ConfigFile& config);

// What the command line says about the connection; "" = not given.
struct ConnectionFlags {
  std::string context;
  std::string server;
  std::string organization;
  std::string token;
};

// Where and how to connect for one run. Precedence: flags, then FIELDWORK_SERVER,
// FIELDWORK_ATTENDANCE_SERVER, FIELDWORK_REPORTING_SERVER, FIELDWORK_TOKEN, FIELDWORK_ORG, then the
// context (--context, else current-context).
struct Connection {
  std::string context;  // "" when none applied
  std::string server;
  std::string attendance_server;
  std::string reporting_server;
  std::string organization;  // id, without "organizations/"
  std::string token;
  std::string token_file;  // "" when token is set
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

// NOT_FOUND when --context names no context of `config`.
absl::StatusOr<Connection> ResolveConnection(const ConfigFile& config, const ConnectionFlags& flags,
                                             const GetEnv& getenv);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_CONFIG_FILE_H_
