#pragma once
// `popspec run --baseline FILE`: reading the file, which is either a baseline expectations file
// or the JSON results of an earlier run (see popspec/harness/baseline.hpp and docs/ci.md).
#include <string>

#include "popspec/harness/baseline.hpp"

namespace popspec::cli {

// Exit code of `popspec run --baseline` when nothing failed beyond the baseline but the baseline
// no longer matches the target (documented in docs/ci.md beside the exit codes of command.hpp).
inline constexpr int exit_stale_baseline = 4;

// Reads FILE as a baseline. On failure returns false with `error` naming the file (and, for an
// expectations file, line and column).
bool load_baseline_file(const std::string& file, harness::baseline& out, std::string& error);

}  // namespace popspec::cli
