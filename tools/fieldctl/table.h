// A table of text cells (what `-o table` and `-o csv` print) and its rendering as aligned columns
// for a terminal, measured in display cells so that Chinese text lines up. Pure.
#ifndef FIELDWORK_TOOLS_FIELDCTL_TABLE_H_
#define FIELDWORK_TOOLS_FIELDCTL_TABLE_H_

#include <string>
#include <vector>

namespace fieldwork::fieldctl {

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each as long as headers
};

// Columns left-aligned, padded to the widest cell plus three spaces, no trailing spaces, one line
// per row after the header line; "No resources found.\n" when there are no rows.
std::string RenderTable(const Table& table);

// `text` padded with spaces to `width` display cells (unchanged when already as wide).
std::string PadToWidth(const std::string& text, size_t width);

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_TABLE_H_
