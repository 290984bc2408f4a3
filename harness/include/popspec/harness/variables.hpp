#pragma once
// ${name} substitution in scenario text. Names are [A-Za-z_][A-Za-z0-9_]*; "$${" writes a
// literal "${". Built-ins: user pass user2 pass2 (the accounts), timestamp (the APOP timestamp
// of the current connection's greeting, angle brackets included), apop_digest (MD5 of timestamp
// and pass, as 32 lower-case hex digits), len (POP2: the length in the last "=ccc" reply on
// the connection); every named capture of a `match` regex becomes a variable too.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popspec::harness {

inline constexpr std::string_view builtin_variables[] = {
    "user", "pass", "user2", "pass2", "timestamp", "apop_digest", "len"};
bool is_builtin_variable(std::string_view name);

// The ${...} references of a template, in order (syntax errors reported in `error`).
struct template_scan {
  std::vector<std::string> names;
  std::string error;  // e.g. "unterminated ${ (expected a name and '}')"
};
template_scan scan_template(std::string_view text);

using variable_map = std::map<std::string, std::string, std::less<>>;

// Expands `text`. An undefined name leaves the result empty and returns that name.
struct expansion {
  std::string text;
  std::optional<std::string> undefined;
};
// `escape_for_regex` escapes every expanded value so it matches literally inside a regex.
expansion expand(std::string_view text, const variable_map& vars, bool escape_for_regex = false);

// The names of the named groups of a regex: (?<name>...), (?'name'...) and (?P<name>...).
std::vector<std::string> regex_capture_names(std::string_view pattern);

}  // namespace popspec::harness
