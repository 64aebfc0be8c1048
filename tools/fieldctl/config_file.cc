// Reading, writing and resolving fieldctl's config.yaml.
#include "tools/fieldctl/config_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "yaml-cpp/yaml.h"

namespace fieldwork::fieldctl {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:50051";

// The YAML key of each Context field, in the order they are written.
struct ContextKey {
  const char* key;
  std::string Context::*field;
};
constexpr ContextKey kContextKeys[] = {
    {"name", &Context::name},
    {"server", &Context::server},
    {"attendance-server", &Context::attendance_server},
    {"reporting-server", &Context::reporting_server},
    {"organization", &Context::organization},
    {"token", &Context::token},
    {"token-file", &Context::token_file},
    {"ca-file", &Context::ca_file},
    {"cert-file", &Context::cert_file},
    {"key-file", &Context::key_file},
};

// The first non-empty of `values`.
std::string FirstSet(std::initializer_list<std::string> values) {
  for (const std::string& value : values) {
    if (!value.empty()) return value;
  }
  return "";
}

std::string Env(const GetEnv& getenv, const char* name) {
  const char* value = getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

const Context* ConfigFile::Find(absl::string_view name) const {
  for (const Context& context : contexts) {
    if (context.name == name) return &context;
  }
  return nullptr;
}

void ConfigFile::Upsert(const Context& context) {
  for (Context& existing : contexts) {
    if (existing.name == context.name) {
      existing = context;
      return;
    }
  }
  contexts.push_back(context);
}

std::string ConfigFilePath(const GetEnv& getenv) {
  const std::string xdg = Env(getenv, "XDG_CONFIG_HOME");
  const std::string base = !xdg.empty() ? xdg : absl::StrCat(Env(getenv, "HOME"), "/.config");
  return absl::StrCat(base, "/fieldwork/config.yaml");
}

absl::StatusOr<ConfigFile> ParseConfigFile(absl::string_view yaml) {
  ConfigFile config;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (root.IsNull()) return config;
    if (!root.IsMap()) return absl::InvalidArgumentError("the top level must be a mapping");
    if (root["current-context"]) config.current_context = root["current-context"].as<std::string>();
    const YAML::Node contexts = root["contexts"];
    if (contexts && !contexts.IsNull() && !contexts.IsSequence()) {
      return absl::InvalidArgumentError("contexts must be a list");
    }
    for (size_t i = 0; contexts && i < contexts.size(); ++i) {
      const YAML::Node entry = contexts[i];
      if (!entry.IsMap()) {
        return absl::InvalidArgumentError(absl::StrCat("contexts[", i, "] must be a mapping"));
      }
      Context context;
      for (const ContextKey& key : kContextKeys) {
        const YAML::Node value = entry[key.key];
        if (value && !value.IsNull()) context.*key.field = value.as<std::string>();
      }
      if (context.name.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("contexts[", i, "].name is missing"));
      }
      config.contexts.push_back(std::move(context));
    }
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(error.what());
  }
  return config;
}

std::string FormatConfigFile(const ConfigFile& config) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "current-context" << YAML::Value << config.current_context;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq;
  for (const Context& context : config.contexts) {
    out << YAML::BeginMap;
    for (const ContextKey& key : kContextKeys) {
      out << YAML::Key << key.key << YAML::Value << YAML::DoubleQuoted << context.*key.field;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return absl::StrCat(out.c_str(), "\n");
}

absl::StatusOr<ConfigFile> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return ConfigFile();
    return absl::PermissionDeniedError(absl::StrCat("cannot read ", path, ": ", strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<ConfigFile> config = ParseConfigFile(text.str());
  if (!config.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

absl::Status SaveConfigFile(const std::string& path, const ConfigFile& config) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error)
    return absl::PermissionDeniedError(absl::StrCat("cannot create ", path, ": ", error.message()));
  const std::string temp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temp, std::ios::trunc);
    out << FormatConfigFile(config);
    if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", temp));
  }
  chmod(temp.c_str(), 0600);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot write ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Connection> ResolveConnection(const ConfigFile& config, const ConnectionFlags& flags,
                                             const GetEnv& getenv) {
  Context context;
  const std::string wanted = flags.context.empty() ? config.current_context : flags.context;
  if (!wanted.empty()) {
    const Context* found = config.Find(wanted);
    if (found == nullptr && !flags.context.empty()) {
      return absl::NotFoundError(
          absl::StrCat("context \"", wanted, "\" is not in the config file"));
    }
    if (found != nullptr) context = *found;
  }
  Connection connection;
  connection.context = context.name;
  connection.server =
      FirstSet({flags.server, Env(getenv, "FIELDWORK_SERVER"), context.server, kDefaultServer});
  connection.attendance_server = FirstSet(
      {Env(getenv, "FIELDWORK_ATTENDANCE_SERVER"), context.attendance_server, connection.server});
  connection.reporting_server = FirstSet(
      {Env(getenv, "FIELDWORK_REPORTING_SERVER"), context.reporting_server, connection.server});
  connection.organization = std::string(absl::StripPrefix(
      FirstSet({flags.organization, Env(getenv, "FIELDWORK_ORG"), context.organization}),
      "organizations/"));
  connection.token = FirstSet({flags.token, Env(getenv, "FIELDWORK_TOKEN"), context.token});
  if (connection.token.empty()) connection.token_file = context.token_file;
  connection.ca_file = context.ca_file;
  connection.cert_file = context.cert_file;
  connection.key_file = context.key_file;
  return connection;
}

}  // namespace fieldwork::fieldctl
