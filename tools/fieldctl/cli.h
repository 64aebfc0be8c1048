// The command tree of fieldctl (`fieldctl VERB NOUN …` on CLI11): the verbs, the global flags, and
// how each noun group adds its commands; plus RunFieldctl, the whole program.
#ifndef FIELDWORK_TOOLS_FIELDCTL_CLI_H_
#define FIELDWORK_TOOLS_FIELDCTL_CLI_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "tools/fieldctl/session.h"

namespace fieldwork::fieldctl {

// What a command does once its flags are parsed.
using Action = std::function<absl::Status(Session&)>;

// Creates or updates one resource of an `apply -f` file from its JSON; answers what it did, e.g.
// "member m7 created".
using Applier = std::function<absl::StatusOr<std::string>(Session&, const std::string& json)>;

// One leaf command, e.g. `get members`.
struct CommandSpec {
  std::string verb;                  // "get"
  std::string noun;                  // "members"; "" for a verb without noun (watch, apply)
  std::vector<std::string> aliases;  // "member"
  std::string description;
  std::string example;  // shown under --help
};

class Cli {
 public:
  Cli();

  // Adds a leaf command; its options and positionals are added to the returned app, and `action`
  // runs with a Session when the command is chosen. Returns the leaf's CLI11 app.
  CLI::App* Add(const CommandSpec& spec, Action action);
  // A leaf that needs no server (config commands): `action` runs without a Session.
  CLI::App* AddLocal(const CommandSpec& spec, std::function<absl::Status()> action);

  // Makes `apply -f` accept resources of `kind` ("Member"; matched in any case).
  void AddApplier(const std::string& kind, Applier applier);
  // The applier of `kind`, or null.
  const Applier* FindApplier(const std::string& kind) const;
  // The kinds `apply -f` accepts, comma-separated.
  std::string ApplierKinds() const;

  // Parses `argv`, runs the chosen command and returns the exit code (README.md lists them).
  int Run(int argc, char** argv);

  const GlobalOptions& options() const { return options_; }

 private:
  CLI::App* Verb(const std::string& name);
  CLI::App* Leaf(const CommandSpec& spec);

  CLI::App app_;
  GlobalOptions options_;
  std::map<std::string, CLI::App*> verbs_;
  std::function<absl::Status()> chosen_;
  std::map<std::string, std::pair<std::string, Applier>> appliers_;  // by lowercase kind
};

// Noun groups; each file *_commands.cc defines one.
void AddConfigCommands(Cli& cli);
void AddOrganizationCommands(Cli& cli);
void AddRosterCommands(Cli& cli);
void AddImportCommands(Cli& cli);
void AddEventCommands(Cli& cli);
void AddBookingCommands(Cli& cli);
void AddWatchCommands(Cli& cli);
void AddApplyCommands(Cli& cli);
void AddAttendanceCommands(Cli& cli);
void AddReportCommands(Cli& cli);
void AddAuditCommands(Cli& cli);

// The program: every group added, argv parsed and run.
int RunFieldctl(int argc, char** argv);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_CLI_H_
