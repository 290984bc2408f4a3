#pragma once
// The terminal reporter: what a person (or a CI log) sees while `popspec run` works.
//  - On a terminal: one live progress line redrawn in place; problems printed above it as they
//    happen. Elsewhere: plain lines, one per scenario, nothing redrawn.
//  - Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
//  - Quiet: only problems and the final line. Verbose: problems with their failing step,
//    reference differences and transcript.
//  - Always a final line of counts, "112 passed, 3 failed, 4 skipped" (see format_counts).
// Everything a server or scenario file said is made printable first: no escape sequence reaches
// the terminal.
#include <cstddef>
#include <iosfwd>
#include <memory>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

enum class verbosity { quiet, normal, verbose };

struct terminal_options {
  bool live = false;   // redraw one progress line in place (a terminal)
  bool color = false;  // ANSI colours
  verbosity level = verbosity::normal;
  std::size_t width = 80;  // terminal columns; the live line is kept shorter than this
};

// Options for output to file descriptor `fd` (e.g. STDOUT_FILENO): live and coloured when `fd` is
// a terminal whose TERM is not "dumb"; colour off when NO_COLOR is set and not empty; the width
// from the terminal, else $COLUMNS, else 80.
terminal_options detect_terminal(int fd, verbosity level = verbosity::normal);

// A progress_listener writing to `out` (which it does not own; it must outlive the reporter).
std::unique_ptr<harness::progress_listener> make_terminal_reporter(std::ostream& out,
                                                                   terminal_options options);

}  // namespace popspec::reports
