#include "popspec/harness/selection.hpp"

#include <algorithm>

namespace popspec::harness {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}
}  // namespace

bool pattern_matches(std::string_view pattern, const scenario& s) {
  std::string up = upper(pattern);
  if (up.size() > 3 && up.rfind("RFC", 0) == 0 &&
      std::all_of(up.begin() + 3, up.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::string number = up.substr(3);
    number.erase(0, std::min(number.find_first_not_of('0'), number.size()));
    for (const auto& id : s.requirements) {
      // IDs are <PROTO>-<RFC>-<AREA>.<n>
      auto first = id.find('-');
      auto second = id.find('-', first + 1);
      if (first != std::string::npos && second != std::string::npos &&
          id.substr(first + 1, second - first - 1) == number)
        return true;
    }
    return false;
  }
  if (up.rfind("POP2-", 0) == 0 || up.rfind("POP3-", 0) == 0) {
    for (const auto& id : s.requirements)
      if (glob_match(pattern, id)) return true;
    return false;
  }
  if (glob_match(pattern, s.id)) return true;
  std::string_view prefix = pattern;
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  return !prefix.empty() && s.id.size() > prefix.size() &&
         s.id.compare(0, prefix.size(), prefix) == 0 && s.id[prefix.size()] == '/';
}

selection select_scenarios(const std::vector<scenario>& all,
                           const std::vector<std::string>& include,
                           const std::vector<std::string>& exclude) {
  selection out;
  std::vector<bool> used(include.size(), false);
  for (const auto& s : all) {
    bool in = include.empty();
    for (std::size_t i = 0; i < include.size(); ++i)
      if (pattern_matches(include[i], s)) {
        in = true;
        used[i] = true;
      }
    if (!in) continue;
    bool out_ = false;
    for (const auto& x : exclude) out_ = out_ || pattern_matches(x, s);
    if (!out_) out.scenarios.push_back(&s);
  }
  for (std::size_t i = 0; i < include.size(); ++i)
    if (!used[i]) out.unmatched.push_back(include[i]);
  return out;
}

}  // namespace popspec::harness
