// `fieldctl config set-context|use-context|view|get-contexts`: the contexts of config.yaml. These
// commands touch only the file, never a server.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/config_file.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {
namespace {

struct SetContextOptions {
  std::string name;
  // Flag → context field; only flags given change the context.
  std::map<std::string, std::optional<std::string>> values;
  bool use = false;
};

// The set-context flags and the context fields they set.
struct ContextFlag {
  const char* flag;
  std::string Context::*field;
  const char* help;
};
constexpr ContextFlag kContextFlags[] = {
    {"--server", &Context::server, "Scheduling server host:port"},
    {"--attendance-server", &Context::attendance_server, "Attendance server host:port"},
    {"--reporting-server", &Context::reporting_server, "Reporting server host:port"},
    {"--organization,--org", &Context::organization, "Organization id"},
    {"--token", &Context::token, "Bearer token (stored in the file; prefer --token-file)"},
    {"--token-file", &Context::token_file, "File holding the bearer token"},
    {"--ca-file", &Context::ca_file, "PEM CA bundle: TLS when set"},
    {"--cert-file", &Context::cert_file, "PEM client certificate (mutual TLS)"},
    {"--key-file", &Context::key_file, "PEM key of the client certificate"},
};

std::string Path() { return ConfigFilePath(::getenv); }

absl::Status SetContext(const SetContextOptions& options) {
  absl::StatusOr<ConfigFile> config = LoadConfigFile(Path());
  if (!config.ok()) return config.status();
  const Context* existing = config->Find(options.name);
  Context context = existing != nullptr ? *existing : Context{};
  context.name = options.name;
  for (const ContextFlag& flag : kContextFlags) {
    const std::optional<std::string>& value = options.values.at(flag.flag);
    if (value.has_value()) context.*flag.field = *value;
  }
  config->Upsert(context);
  if (options.use || config->current_context.empty()) config->current_context = options.name;
  if (absl::Status saved = SaveConfigFile(Path(), *config); !saved.ok()) return saved;
  std::cout << "context " << options.name << (existing != nullptr ? " updated" : " created")
            << (config->current_context == options.name ? " (current)" : "") << "\n";
  return absl::OkStatus();
}

absl::Status UseContext(const std::string& name) {
  absl::StatusOr<ConfigFile> config = LoadConfigFile(Path());
  if (!config.ok()) return config.status();
  if (config->Find(name) == nullptr) {
    return absl::NotFoundError(absl::StrCat("context \"", name, "\" is not in ", Path()));
  }
  config->current_context = name;
  if (absl::Status saved = SaveConfigFile(Path(), *config); !saved.ok()) return saved;
  std::cout << "switched to context " << name << "\n";
  return absl::OkStatus();
}

absl::Status View(bool raw) {
  absl::StatusOr<ConfigFile> config = LoadConfigFile(Path());
  if (!config.ok()) return config.status();
  if (!raw) {
    for (Context& context : config->contexts) {
      if (!context.token.empty()) context.token = "REDACTED";
    }
  }
  std::cout << FormatConfigFile(*config);
  return absl::OkStatus();
}

absl::Status GetContexts() {
  absl::StatusOr<ConfigFile> config = LoadConfigFile(Path());
  if (!config.ok()) return config.status();
  Table table{{"CURRENT", "NAME", "SERVER", "ORGANIZATION"}, {}};
  for (const Context& context : config->contexts) {
    table.rows.push_back({context.name == config->current_context ? "*" : "", context.name,
                          context.server, context.organization});
  }
  std::cout << RenderTable(table);
  return absl::OkStatus();
}

}  // namespace

void AddConfigCommands(Cli& cli) {
  auto set = std::make_shared<SetContextOptions>();
  CLI::App* set_app =
      cli.AddLocal({"config",
                    "set-context",
                    {},
                    "Create or change a context (only the flags given change)",
                    "fieldctl config set-context local --server 127.0.0.1:50051 --org demo "
                    "--token-file ~/.fieldwork-token --use"},
                   [set] { return SetContext(*set); });
  set_app->add_option("name", set->name, "Context name")->required();
  for (const ContextFlag& flag : kContextFlags) {
    set_app->add_option(flag.flag, set->values[flag.flag], flag.help);
  }
  set_app->add_flag("--use", set->use, "Make it the current context");

  auto use = std::make_shared<std::string>();
  cli.AddLocal({"config",
                "use-context",
                {},
                "Make a context the current one",
                "fieldctl config use-context production"},
               [use] { return UseContext(*use); })
      ->add_option("name", *use, "Context name")
      ->required();

  auto raw = std::make_shared<bool>(false);
  cli.AddLocal({"config",
                "view",
                {},
                "Show the config file (tokens redacted unless --raw)",
                "fieldctl config view --raw"},
               [raw] { return View(*raw); })
      ->add_flag("--raw", *raw, "Show tokens");

  cli.AddLocal({"config",
                "get-contexts",
                {},
                "List the contexts, the current one starred",
                "fieldctl config get-contexts"},
               [] { return GetContexts(); });
}

}  // namespace fieldwork::fieldctl
