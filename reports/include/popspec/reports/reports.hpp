#pragma once
// Everything the runner and `popspec report` need from the report library.
#include "popspec/reports/counts.hpp"        // IWYU pragma: export
#include "popspec/reports/errc.hpp"          // IWYU pragma: export
#include "popspec/reports/escape.hpp"        // IWYU pragma: export
#include "popspec/reports/html.hpp"          // IWYU pragma: export
#include "popspec/reports/json_results.hpp"  // IWYU pragma: export
#include "popspec/reports/junit.hpp"         // IWYU pragma: export
#include "popspec/reports/markdown.hpp"      // IWYU pragma: export
#include "popspec/reports/output.hpp"        // IWYU pragma: export
#include "popspec/reports/terminal.hpp"      // IWYU pragma: export
