#pragma once
// Scenario selection for `popspec run PATTERN... --exclude PATTERN`. A pattern is one of:
//   - a scenario ID or glob over IDs ("pop3/rfc1939/retr/deleted-message", "pop3/*/retr/*");
//     '*' matches any run of characters (also '/'), '?' one character;
//   - a group or directory prefix ("pop3/rfc1939", "pop3/rfc1939/retr"): every scenario below it;
//   - an RFC ("rfc1939", "RFC937"): every scenario citing a requirement of that RFC;
//   - a requirement ID or glob ("POP3-1939-RETR.3", "POP3-1939-UIDL.*"): scenarios citing it.
#include <string>
#include <string_view>
#include <vector>

#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

bool glob_match(std::string_view pattern, std::string_view text);
bool pattern_matches(std::string_view pattern, const scenario& s);

struct selection {
  std::vector<const scenario*> scenarios;  // in load order
  std::vector<std::string> unmatched;      // include patterns that matched nothing
};

// Everything when `include` is empty; then minus whatever an `exclude` pattern matches.
selection select_scenarios(const std::vector<scenario>& all,
                           const std::vector<std::string>& include,
                           const std::vector<std::string>& exclude);

}  // namespace popspec::harness
