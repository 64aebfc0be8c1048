// Builds fieldctl's command tree, parses the command line, runs the chosen command and turns its
// status into one error line and an exit code.
#include "tools/fieldctl/cli.h"

#include <iostream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "tools/fieldctl/error_text.h"
#include "tools/fieldctl/exit_codes.h"

namespace fieldwork::fieldctl {
namespace {

struct VerbHelp {
  const char* name;
  const char* description;
};

// Every verb, in the order --help lists them.
constexpr VerbHelp kVerbs[] = {
    {"get", "Show one or more resources (all of them without ids)"},
    {"list", "List resources"},
    {"create", "Create a resource"},
    {"update", "Change fields of a resource"},
    {"delete", "Delete a resource"},
    {"apply", "Create or update the resources of a YAML or JSON file"},
    {"import", "Import resources from a file"},
    {"schedule", "Book a draft event"},
    {"cancel", "Cancel an event"},
    {"complete", "Mark a started event as completed"},
    {"confirm", "Turn a hold into a scheduled event"},
    {"release", "Release a hold"},
    {"find", "Search for something, e.g. free slots"},
    {"check-in", "Record members' check-in at an event"},
    {"check-out", "Record members' check-out at an event"},
    {"code", "Show an event's rotating check-in code"},
    {"finalize", "Fix every participant's outcome of an ended event"},
    {"approve", "Approve a leave request"},
    {"reject", "Reject a leave request"},
    {"report", "Show a report"},
    {"export", "Export a report table as CSV"},
    {"watch", "Follow the organization's changes"},
    {"audit", "Read the organization's audit trail"},
    {"config", "Manage contexts in the config file"},
};

constexpr char kDescription[] =
    "fieldctl: the admin CLI of fieldwork (scheduling, attendance, reporting).\n"
    "Commands are VERB NOUN, e.g. `fieldctl get members`, `fieldctl schedule event e1`.\n"
    "Connection: the current context of $XDG_CONFIG_HOME/fieldwork/config.yaml, overridden by\n"
    "FIELDWORK_SERVER, FIELDWORK_ATTENDANCE_SERVER, FIELDWORK_REPORTING_SERVER, FIELDWORK_TOKEN,\n"
    "FIELDWORK_ORG, then by --server, --org, --token, --context.\n"
    "Times are shown in the organization's time zone; times are typed as \"2026-12-03 09:00\"\n"
    "(organization time zone) or RFC 3339.";

}  // namespace

Cli::Cli() : app_(kDescription, "fieldctl") {
  app_.fallthrough();
  app_.require_subcommand(1);
  app_.footer(absl::StrCat("\n", ExitCodeHelp()));
  app_.set_help_all_flag("--help-all", "Show every command");
  app_.add_option("-o,--output", options_.output, "Output format: table, json, yaml, csv")
      ->capture_default_str();
  app_.add_option("--context", options_.connection.context, "Context of the config file to use");
  app_.add_option("--server", options_.connection.server, "Scheduling server host:port");
  app_.add_option("--org", options_.connection.organization, "Organization id");
  app_.add_option("--token", options_.connection.token, "Bearer token");
  app_.add_option("--timeout", options_.timeout_seconds, "Deadline of every call, in seconds")
      ->capture_default_str();
  for (const VerbHelp& verb : kVerbs) {
    CLI::App* app = app_.add_subcommand(verb.name, verb.description);
    app->require_subcommand(0, 1);
    verbs_[verb.name] = app;
  }
}

CLI::App* Cli::Verb(const std::string& name) { return verbs_.at(name); }

CLI::App* Cli::Leaf(const CommandSpec& spec) {
  CLI::App* verb = Verb(spec.verb);
  CLI::App* leaf = verb;
  if (!spec.noun.empty()) {
    leaf = verb->add_subcommand(spec.noun, spec.description);
    for (const std::string& alias : spec.aliases) leaf->alias(alias);
    verb->require_subcommand(1);
  } else {
    leaf->description(spec.description);
  }
  leaf->footer(absl::StrCat("\nExample:\n  ", spec.example, "\n"));
  return leaf;
}

CLI::App* Cli::Add(const CommandSpec& spec, Action action) {
  CLI::App* leaf = Leaf(spec);
  leaf->callback([this, action = std::move(action)] {
    chosen_ = [this, action] {
      absl::StatusOr<std::unique_ptr<Session>> session = Session::Create(options_);
      const absl::Status status = session.ok() ? action(**session) : session.status();
      if (status.ok()) return status;
      // Conflict times are shown in the organization's zone; reading it costs a call.
      const bool has_times = GetConflicts(status).has_value() && session.ok();
      std::cerr << ErrorLine(status, has_times ? (*session)->TimeZoneOrUtc() : absl::UTCTimeZone())
                << "\n";
      return status;
    };
  });
  return leaf;
}

CLI::App* Cli::AddLocal(const CommandSpec& spec, std::function<absl::Status()> action) {
  CLI::App* leaf = Leaf(spec);
  leaf->callback([this, action = std::move(action)] {
    chosen_ = [action] {
      const absl::Status status = action();
      if (!status.ok()) std::cerr << ErrorLine(status, absl::UTCTimeZone()) << "\n";
      return status;
    };
  });
  return leaf;
}

void Cli::AddApplier(const std::string& kind, Applier applier) {
  appliers_[absl::AsciiStrToLower(kind)] = {kind, std::move(applier)};
}

const Applier* Cli::FindApplier(const std::string& kind) const {
  const auto found = appliers_.find(absl::AsciiStrToLower(kind));
  return found == appliers_.end() ? nullptr : &found->second.second;
}

std::string Cli::ApplierKinds() const {
  std::vector<std::string> kinds;
  for (const auto& [key, entry] : appliers_) kinds.push_back(entry.first);
  return absl::StrJoin(kinds, ", ");
}

int Cli::Run(int argc, char** argv) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app_.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app_.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "error: usage: " << error.what() << "\nRun with --help for usage.\n";
    return kExitUsage;
  }
  if (!chosen_) {
    std::cerr << "error: usage: a command is missing\nRun with --help for usage.\n";
    return kExitUsage;
  }
  return ExitCodeFor(chosen_());
}

int RunFieldctl(int argc, char** argv) {
  Cli cli;
  AddConfigCommands(cli);
  AddOrganizationCommands(cli);
  AddRosterCommands(cli);
  AddImportCommands(cli);
  AddEventCommands(cli);
  AddBookingCommands(cli);
  AddWatchCommands(cli);
  AddApplyCommands(cli);
  AddAttendanceCommands(cli);
  AddReportCommands(cli);
  AddAuditCommands(cli);
  return cli.Run(argc, argv);
}

}  // namespace fieldwork::fieldctl
