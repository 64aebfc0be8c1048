// `fieldctl apply -f FILE`: creates or updates every resource of a YAML (several documents, or a
// list) or JSON file in the protobuf JSON mapping plus a `resource` (or `kind`) key naming its
// type; `-f -` reads standard input.
// Each noun group registers the kinds it handles (Cli::AddApplier).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/output_format.h"

namespace fieldwork::fieldctl {
namespace {

absl::StatusOr<std::string> ReadInput(const std::string& file) {
  std::stringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", file));
  text << in.rdbuf();
  return text.str();
}

absl::Status Apply(const Cli& cli, Session& session, const std::string& file) {
  absl::StatusOr<std::string> text = ReadInput(file);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<InputDocument>> documents = ReadInputDocuments(*text);
  if (!documents.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": ", documents.status().message()));
  }
  for (size_t i = 0; i < documents->size(); ++i) {
    const InputDocument& document = (*documents)[i];
    const Applier* applier = cli.FindApplier(document.kind);
    if (applier == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": resource ", i + 1, ": kind \"",
                                                     document.kind, "\" is not one of ",
                                                     cli.ApplierKinds()));
    }
    absl::StatusOr<std::string> done = (*applier)(session, document.json);
    if (!done.ok()) {
      return absl::Status(done.status().code(),
                          absl::StrCat(file, ": resource ", i + 1, " (", document.kind,
                                       "): ", done.status().message()));
    }
    std::cout << *done << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void AddApplyCommands(Cli& cli) {
  auto file = std::make_shared<std::string>();
  cli.Add(
         {"apply",
          "",
          {},
          "Create or update the resources of a YAML or JSON file (protobuf JSON mapping plus a "
          "kind: key; several YAML documents or a list). An existing resource gets every field the "
          "file names, false, 0 and empty values included; fields left out keep their values.",
          "fieldctl apply -f roster.yaml"},
         [&cli, file](Session& session) { return Apply(cli, session, *file); })
      ->add_option("-f,--filename", *file, "The file; - for standard input")
      ->required();
}

}  // namespace fieldwork::fieldctl
