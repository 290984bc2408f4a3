#include "popspec/harness/variables.hpp"

#include <algorithm>

namespace popspec::harness {
namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Walks a template, calling on_text for literal runs and on_name for references. Returns an
// error message, or an empty string.
template <typename Text, typename Name>
std::string walk(std::string_view text, Text on_text, Name on_name) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t dollar = text.find('$', i);
    if (dollar == std::string_view::npos) {
      on_text(text.substr(i));
      break;
    }
    on_text(text.substr(i, dollar - i));
    if (text.substr(dollar, 3) == "$${") {  // escaped literal "${"
      on_text("${");
      i = dollar + 3;
      continue;
    }
    if (dollar + 1 >= text.size() || text[dollar + 1] != '{') {
      on_text("$");
      i = dollar + 1;
      continue;
    }
    std::size_t start = dollar + 2;
    std::size_t end = start;
    if (end < text.size() && name_start(text[end])) {
      ++end;
      while (end < text.size() && name_char(text[end])) ++end;
    }
    if (end == start || end >= text.size() || text[end] != '}')
      return "malformed ${...} at offset " + std::to_string(dollar) +
             " (expected a name of letters, digits and '_' then '}'; write $${ for a literal ${)";
    on_name(text.substr(start, end - start));
    i = end + 1;
  }
  return {};
}

}  // namespace

bool is_builtin_variable(std::string_view name) {
  return std::find(std::begin(builtin_variables), std::end(builtin_variables), name) !=
         std::end(builtin_variables);
}

template_scan scan_template(std::string_view text) {
  template_scan scan;
  scan.error = walk(
      text, [](std::string_view) {}, [&](std::string_view name) { scan.names.emplace_back(name); });
  return scan;
}

expansion expand(std::string_view text, const variable_map& vars, bool escape_for_regex) {
  expansion result;
  std::string error = walk(
      text, [&](std::string_view literal) { result.text += literal; },
      [&](std::string_view name) {
        if (result.undefined) return;
        auto it = vars.find(name);
        if (it == vars.end()) {
          result.undefined = std::string(name);
          return;
        }
        result.text += escape_for_regex ? regex_escape(it->second) : it->second;
      });
  if (!error.empty() && !result.undefined) result.undefined = "(" + error + ")";
  if (result.undefined) result.text.clear();
  return result;
}

std::vector<std::string> regex_capture_names(std::string_view pattern) {
  std::vector<std::string> names;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;  // skip the escaped character
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      continue;
    }
    if (c != '(' || pattern.substr(i + 1, 1) != "?") continue;
    std::size_t p = i + 2;
    char close = 0;
    if (pattern.substr(p, 1) == "<") {
      close = '>';
      ++p;
    } else if (pattern.substr(p, 1) == "'") {
      close = '\'';
      ++p;
    } else if (pattern.substr(p, 2) == "P<") {
      close = '>';
      p += 2;
    } else {
      continue;
    }
    // (?<= and (?<! are look-behinds, not names.
    if (p < pattern.size() && !name_start(pattern[p])) continue;
    std::size_t end = p;
    while (end < pattern.size() && name_char(pattern[end])) ++end;
    if (end < pattern.size() && pattern[end] == close && end > p)
      names.emplace_back(pattern.substr(p, end - p));
  }
  return names;
}

}  // namespace popspec::harness
