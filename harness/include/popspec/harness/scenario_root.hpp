#pragma once
// Where the scenario tree is when no --scenarios option names one. Shared by every subcommand
// that reads scenarios/ (`popspec run`, `popspec coverage`).
#include <filesystem>

namespace popspec::harness {

// $POPSPEC_SCENARIOS when set; else the scenarios/ next to the binary (build/harness/popspec ->
// scenarios/ of the source tree, or an installed share/popspec/scenarios), recognised by its
// requirements.json; else the scenarios/ of the source tree this library was built from.
std::filesystem::path default_scenario_root();

}  // namespace popspec::harness
