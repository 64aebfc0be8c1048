// RFC 4180 CSV: writing a Table (`-o csv`) and reading a file into rows of fields (`import
// members`). Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_CSV_H_
#define FIELDWORK_TOOLS_FIELDCTL_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

// One record: fields joined by commas, a field with a comma, quote or line break quoted with ""
// doubling, ended by CRLF.
std::string FormatCsvRecord(const std::vector<std::string>& fields);

// The header and every row of `table`.
std::string FormatCsv(const Table& table);

// The records of `text` (a leading UTF-8 byte-order mark skipped, LF or CRLF line ends, quoted
// fields may hold commas, quotes and line breaks; blank lines skipped). INVALID_ARGUMENT naming the
// line of an unterminated quote or of text after a closing quote.
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_CSV_H_
