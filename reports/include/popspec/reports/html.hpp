#pragma once
// The HTML report: one self-contained file (inline CSS and script, nothing fetched; a
// Content-Security-Policy allows only the report's own style and script, by hash).
//  - One run: its summary, a requirement matrix per RFC (requirement -> scenarios -> verdict),
//    the scenario list, and per scenario the failing step (expected against actual), the
//    differences from the reference server and the transcript.
//  - Several runs (e.g. Dovecot, the reference, a build under test): the same, with one column
//    per run, labelled by target, so verdicts sit side by side, plus a "targets differ" filter.
// Filters by verdict and by RFC. All text is escaped: scenario text and transcripts come from
// untrusted servers.
#include <iosfwd>
#include <span>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

void write_html(std::span<const harness::run_results> runs, std::ostream& out);

}  // namespace popspec::reports
