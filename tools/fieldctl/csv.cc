// CSV writing and reading after RFC 4180.
#include "tools/fieldctl/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace fieldwork::fieldctl {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string QuoteIfNeeded(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string FormatCsvRecord(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  for (const std::string& field : fields) quoted.push_back(QuoteIfNeeded(field));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

std::string FormatCsv(const Table& table) {
  std::string out = FormatCsvRecord(table.headers);
  for (const auto& row : table.rows) out += FormatCsvRecord(row);
  return out;
}

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text) {
  if (absl::StartsWith(text, kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool after_quote = false;  // a quoted field just closed: only a separator may follow
  bool record_has_content = false;
  int line = 1;
  int quote_line = 0;
  const auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  const auto end_record = [&] {
    end_field();
    if (record_has_content) records.push_back(std::move(record));
    record.clear();
    record_has_content = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
      record_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
    } else if (after_quote) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": text after a closing quote"));
    } else if (c == '"' && field.empty()) {
      in_quotes = true;
      quote_line = line;
      record_has_content = true;
    } else {
      field += c;
      record_has_content = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", quote_line, ": quoted field is never closed"));
  }
  end_record();
  return records;
}

}  // namespace fieldwork::fieldctl
