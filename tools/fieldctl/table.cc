// Renders a Table as aligned columns.
#include "tools/fieldctl/table.h"

#include <algorithm>

#include "absl/strings/str_replace.h"
#include "tools/fieldctl/display_width.h"

namespace fieldwork::fieldctl {
namespace {

constexpr size_t kColumnGap = 3;

// A cell on one line: line breaks and tabs would break the alignment.
std::string OneLine(const std::string& cell) {
  return absl::StrReplaceAll(cell, {{"\r\n", " "}, {"\n", " "}, {"\r", " "}, {"\t", " "}});
}

void AppendLine(const std::vector<std::string>& cells, const std::vector<size_t>& widths,
                std::string* out) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool last = i + 1 == cells.size();
    line += last ? cells[i] : PadToWidth(cells[i], widths[i] + kColumnGap);
  }
  line.erase(line.find_last_not_of(' ') + 1);
  *out += line;
  *out += '\n';
}

}  // namespace

std::string PadToWidth(const std::string& text, size_t width) {
  const size_t current = DisplayWidth(text);
  if (current >= width) return text;
  return text + std::string(width - current, ' ');
}

std::string RenderTable(const Table& table) {
  if (table.rows.empty()) return "No resources found.\n";
  std::vector<std::vector<std::string>> lines;
  lines.push_back(table.headers);
  for (const auto& row : table.rows) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(OneLine(cell));
    lines.push_back(std::move(cells));
  }
  std::vector<size_t> widths(table.headers.size(), 0);
  for (const auto& cells : lines) {
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(cells[i]));
    }
  }
  std::string out;
  for (const auto& cells : lines) AppendLine(cells, widths, &out);
  return out;
}

}  // namespace fieldwork::fieldctl
