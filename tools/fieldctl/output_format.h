// The output formats of fieldctl (-o table|json|yaml|csv) and the conversions behind them: a
// protobuf message to JSON (the protobuf JSON mapping) and to YAML, and YAML or JSON input files to
// the JSON that JsonStringToMessage reads. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_OUTPUT_FORMAT_H_
#define FIELDWORK_TOOLS_FIELDCTL_OUTPUT_FORMAT_H_

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

enum class OutputFormat { kTable, kJson, kYaml, kCsv };

// "table", "json", "yaml" or "csv".
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text);

// `message` in the protobuf JSON mapping: indented when `pretty`, else on one line.
std::string MessageToJson(const google::protobuf::Message& message, bool pretty = true);

// The YAML block form of a JSON document (strings that would read back as numbers, booleans or
// null are quoted).
absl::StatusOr<std::string> JsonToYaml(absl::string_view json);

// One resource of an input file: its type (the `resource` key, or `kind` without one) and the
// rest as a JSON object.
struct InputDocument {
  std::string kind;
  std::string json;
};

// Every resource of a YAML or JSON input: each YAML document, and each element of a top-level
// list. Unquoted YAML scalars become JSON strings except true, false and null (the protobuf JSON
// mapping reads numbers from strings); quoted ones stay strings. INVALID_ARGUMENT naming the line
// of a syntax error, or the document without a type.
absl::StatusOr<std::vector<InputDocument>> ReadInputDocuments(absl::string_view text);

// Parses one JSON object (from InputDocumentsToJson) into `message`; INVALID_ARGUMENT with the
// parser's explanation.
absl::Status JsonToMessage(absl::string_view json, google::protobuf::Message* message);

// The fields of `type` that one JSON object (from ReadInputDocuments) names, by their proto names
// (the object's keys may be proto or lowerCamel JSON names), sorted; "name" and unknown keys
// left out. A key counts whatever its value: `exclusive: false` names `exclusive`.
absl::StatusOr<std::vector<std::string>> NamedFields(absl::string_view json,
                                                     const google::protobuf::Descriptor& type);

// What a command prints for `message` in `format`: `table` for table and csv, the message itself
// for json and yaml.
std::string FormatOutput(OutputFormat format, const google::protobuf::Message& message,
                         const Table& table);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_OUTPUT_FORMAT_H_
