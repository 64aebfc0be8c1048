// Output formats and the JSON/YAML conversions (yaml-cpp reads JSON, which is YAML 1.2).
#include "tools/fieldctl/output_format.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/logging.h"
#include "tools/fieldctl/csv.h"
#include "yaml-cpp/yaml.h"

namespace fieldwork::fieldctl {
namespace {

// yaml-cpp tags quoted scalars with the non-specific tag "!", plain ones with "?".
bool WasQuoted(const YAML::Node& node) { return node.Tag() == "!"; }

// A plain scalar that YAML would read as something other than a string.
bool ReadsAsNonString(const std::string& text) {
  static const std::regex kSpecial(
      R"(^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$)");
  return std::regex_match(text, kSpecial);
}

void EmitYaml(const YAML::Node& node, YAML::Emitter& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& entry : node) {
        out << YAML::Key << entry.first.Scalar() << YAML::Value;
        EmitYaml(entry.second, out);
      }
      out << YAML::EndMap;
      return;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& element : node) EmitYaml(element, out);
      out << YAML::EndSeq;
      return;
    case YAML::NodeType::Scalar:
      if (WasQuoted(node) && ReadsAsNonString(node.Scalar())) out << YAML::DoubleQuoted;
      out << node.Scalar();
      return;
    default:
      out << YAML::Null;
  }
}

std::string NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      std::string out = "{";
      for (const auto& entry : node) {
        if (out.size() > 1) out += ",";
        absl::StrAppend(&out, JsonQuote(entry.first.Scalar()), ":", NodeToJson(entry.second));
      }
      return out + "}";
    }
    case YAML::NodeType::Sequence: {
      std::string out = "[";
      for (const auto& element : node) {
        if (out.size() > 1) out += ",";
        out += NodeToJson(element);
      }
      return out + "]";
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (!WasQuoted(node)) {
        const std::string lower = absl::AsciiStrToLower(text);
        if (lower == "true" || lower == "false") return lower;
        if (lower == "null" || text == "~") return "null";
      }
      return JsonQuote(text);
    }
    default:
      return "null";
  }
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (text == "yaml") return OutputFormat::kYaml;
  if (text == "csv") return OutputFormat::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("output format \"", text, "\" is not one of table, json, yaml, csv"));
}

std::string MessageToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string json;
  // Printing a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!pretty) return json;
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

absl::StatusOr<std::string> JsonToYaml(absl::string_view json) {
  try {
    const YAML::Node node = YAML::Load(std::string(json));
    YAML::Emitter out;
    out.SetIndent(2);
    EmitYaml(node, out);
    return absl::StrCat(out.c_str(), "\n");
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(error.what());
  }
}

absl::StatusOr<std::vector<InputDocument>> ReadInputDocuments(absl::string_view text) {
  std::vector<InputDocument> documents;
  try {
    std::vector<YAML::Node> nodes;
    for (const YAML::Node& document : YAML::LoadAll(std::string(text))) {
      if (document.IsSequence()) {
        for (const YAML::Node& element : document) nodes.push_back(element);
      } else if (!document.IsNull()) {
        nodes.push_back(document);
      }
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      YAML::Node node = nodes[i];
      // `resource:` names the type; so does `kind:` without it. Venues and events have a `kind`
      // field of their own, which their documents can only give beside `resource:`.
      const char* const type_key = node.IsMap() && node["resource"] ? "resource" : "kind";
      if (!node.IsMap() || !node[type_key] || !node[type_key].IsScalar()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "resource ", i + 1, " (line ", node.Mark().line + 1,
            ") has no resource: (or kind:) naming Organization, Member, Unit, Venue or Event"));
      }
      InputDocument document{node[type_key].Scalar(), ""};
      node.remove(type_key);
      document.json = NodeToJson(node);
      documents.push_back(std::move(document));
    }
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(absl::StrCat("line ", error.mark.line + 1, ": ", error.msg));
  }
  return documents;
}

absl::Status JsonToMessage(absl::string_view json, google::protobuf::Message* message) {
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(message->GetDescriptor()->name(), ": ", std::string(status.message())));
}

absl::StatusOr<std::vector<std::string>> NamedFields(absl::string_view json,
                                                     const google::protobuf::Descriptor& type) {
  google::protobuf::Struct object;
  if (absl::Status parsed = JsonToMessage(json, &object); !parsed.ok()) return parsed;
  std::vector<std::string> names;
  for (const auto& [key, value] : object.fields()) {
    const google::protobuf::FieldDescriptor* field = type.FindFieldByName(key);
    for (int i = 0; field == nullptr && i < type.field_count(); ++i) {
      if (type.field(i)->json_name() == key) field = type.field(i);
    }
    if (field != nullptr && field->name() != "name") names.push_back(field->name());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string FormatOutput(OutputFormat format, const google::protobuf::Message& message,
                         const Table& table) {
  switch (format) {
    case OutputFormat::kJson:
      return MessageToJson(message);
    case OutputFormat::kYaml:
      return JsonToYaml(MessageToJson(message)).value_or("");
    case OutputFormat::kCsv:
      return FormatCsv(table);
    case OutputFormat::kTable:
      break;
  }
  return RenderTable(table);
}

}  // namespace fieldwork::fieldctl
