#pragma once
// Subcommand registration for the `popspec` binary. Each harness/cli/<name>_command.cpp registers
// itself with a static `command_registration`, so adding a subcommand touches one file only.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace popspec::cli {

// Documented exit codes (README.md, docs/ci.md).
namespace exit_code {
inline constexpr int ok = 0;           // nothing failed or erred
inline constexpr int failed = 1;       // at least one scenario failed
inline constexpr int usage = 2;        // bad flags, bad scenario files, zero scenarios selected
inline constexpr int environment = 3;  // target unreachable, or the harness itself broke
}  // namespace exit_code

// Adds the subcommand to `app` and returns what to run once the command line has parsed.
using command_setup = std::function<std::function<int()>(CLI::App& app)>;

struct command_entry {
  std::string name;
  command_setup setup;
};

std::vector<command_entry>& command_registry();

struct command_registration {
  command_registration(std::string name, command_setup setup) {
    command_registry().push_back({std::move(name), std::move(setup)});
  }
};

}  // namespace popspec::cli
