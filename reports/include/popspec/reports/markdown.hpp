#pragma once
// A short Markdown report: the counts and the failures (with expected against actual), fit for a
// CI step summary ($GITHUB_STEP_SUMMARY) or a pull request comment. Long runs are capped: the
// HTML and JSON reports hold everything.
#include <cstddef>
#include <iosfwd>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

struct markdown_options {
  std::size_t max_listed = 50;    // rows in the failures and non-strict tables
  std::size_t max_detailed = 10;  // failures shown with their failing step and differences
};

void write_markdown(const harness::run_results& results, std::ostream& out,
                    const markdown_options& options = {});

}  // namespace popspec::reports
