#pragma once
// The scenario loader: reads every scenario file under a root directory and validates all of
// it (syntax, keys, types, requirement IDs, regexes, variables, file/group agreement, unique IDs)
// before anything runs. Every problem is reported with file:line:column.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/harness/requirements.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

struct load_error {
  source_location where;
  std::string message;
  std::string str() const;  // "file:line:col: message"
};

struct loader_options {
  // Sizes of the standard fixture, so `"message": N` can be checked when loading. 0 = unchecked.
  std::size_t fixture_messages = 0;
  std::size_t folder_messages = 0;
  std::string folder_name = "archive";  // the POP2 fixture folder (store::standard_folder_name)
  std::size_t max_errors = 100;         // stop collecting after this many
};

struct load_result {
  std::vector<scenario> scenarios;  // files in path order, scenarios in file order
  std::vector<load_error> errors;
  std::size_t files = 0;
  bool ok() const { return errors.empty(); }
};

// Metadata files in the scenario root (not scenario files). Every JSON file directly in the
// root is skipped by the tree loader: scenario files always live in a group directory.
inline constexpr std::string_view reserved_files[] = {"schema.json", "requirements.json",
                                                      "untestable.json"};

// Loads every *.json file in the directories below `root`, recursively.
load_result load_scenario_tree(const std::filesystem::path& root,
                               const requirement_catalog& catalog, const loader_options& options);

// Loads one scenario file. `relative_path` (generic form, e.g. "pop3/rfc1939/retr.json") fixes
// the group; `display_path` is how the file is named in errors. Appends to `into`.
void load_scenario_text(std::string_view text, const std::string& relative_path,
                        const std::string& display_path, const requirement_catalog& catalog,
                        const loader_options& options, load_result& into);

// Multi-line rule for POP3: does a positive answer to this command line carry data?
// RETR, TOP and CAPA always; LIST and UIDL without an argument.
bool pop3_command_is_multiline(std::string_view command_line);

}  // namespace popspec::harness
