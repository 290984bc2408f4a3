#include "popspec/reports/markdown.hpp"

#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "details_text.hpp"
#include "markup.hpp"
#include "popspec/reports/counts.hpp"

namespace popspec::reports {
namespace {
using detail::markdown_code_block;
using detail::markdown_code_span;
using detail::markdown_inline;

std::string requirement_ids(const harness::scenario_result& s) {
  std::string ids;
  for (const auto& r : s.requirements)
    ids += (ids.empty() ? "" : ", ") + markdown_code_span(r.id, true);
  return ids.empty() ? std::string("none") : ids;
}

void write_table(const std::vector<const harness::scenario_result*>& rows, std::size_t cap,
                 std::ostream& out) {
  out << "| Scenario | Verdict | Requirements | Reason |\n|---|---|---|---|\n";
  for (std::size_t i = 0; i < rows.size() && i < cap; ++i) {
    const auto& s = *rows[i];
    out << "| " << markdown_code_span(s.id, true) << " | " << verdict_label(s.result) << " | "
        << requirement_ids(s) << " | " << markdown_inline(s.reason) << " |\n";
  }
  if (rows.size() > cap)
    out << "\n…and " << rows.size() - cap << " more (see the HTML or JSON report).\n";
  out << "\n";
}

void write_failure_details(const harness::scenario_result& s, std::ostream& out) {
  out << "#### " << verdict_label(s.result) << ": " << markdown_code_span(s.id) << "\n\n";
  if (!s.title.empty()) out << markdown_inline(s.title) << "\n\n";
  for (const auto& r : s.requirements)
    out << "- " << markdown_code_span(r.id) << " (" << harness::to_string(r.level)
        << "): " << markdown_inline(r.sentence) << "\n";
  if (!s.requirements.empty()) out << "\n";
  if (!s.reason.empty()) out << "**Reason:** " << markdown_inline(s.reason) << "\n\n";
  if (s.failure) {
    out << "**Failing step " << s.failure->step_index + 1 << "**";
    if (!s.failure->location.empty()) out << " at " << markdown_code_span(s.failure->location);
    out << "\n\nExpected:\n\n"
        << markdown_code_block(s.failure->expected) << "\nActual:\n\n"
        << markdown_code_block(s.failure->actual) << "\n";
  }
  if (!s.differences.empty()) {
    out << "**Differences from the reference server:**\n\n";
    for (const auto& d : s.differences) {
      out << "Step " << d.step_index + 1;
      if (!d.location.empty()) out << " at " << markdown_code_span(d.location);
      out << ": " << markdown_inline(d.description) << "\n\n"
          << markdown_code_block("target:    " + d.target + "\nreference: " + d.reference) << "\n";
    }
  }
}
}  // namespace

void write_markdown(const harness::run_results& results, std::ostream& out,
                    const markdown_options& options) {
  const auto& m = results.meta;
  out << "## popspec: " << format_counts(results.summary) << "\n\n";
  out << "Target " << markdown_code_span(m.target.empty() ? "unknown" : m.target);
  if (!m.protocol.empty()) out << " · protocol " << markdown_code_span(m.protocol);
  if (!m.profile.empty()) out << " · profile " << markdown_code_span(m.profile);
  if (!m.started_at.empty()) out << " · started " << markdown_code_span(m.started_at);
  out << " · " << detail::format_duration(m.duration_ms);
  if (!m.popspec_version.empty()) out << " · popspec " << markdown_code_span(m.popspec_version);
  out << "\n\n";

  out << "|";
  for (const auto v : all_verdicts) out << " " << verdict_label(v) << " |";
  out << " total |\n|";
  for (std::size_t i = 0; i <= std::size(all_verdicts); ++i) out << "---:|";
  out << "\n|";
  for (const auto v : all_verdicts) out << " " << count_of(results.summary, v) << " |";
  out << " " << results.summary.total << " |\n\n";

  if (results.scenarios.empty()) {
    out << "No scenarios ran.\n";
    return;
  }
  std::vector<const harness::scenario_result*> failures, non_strict;
  for (const auto& s : results.scenarios) {
    if (is_failure(s.result)) failures.push_back(&s);
    if (s.result == harness::verdict::non_strict) non_strict.push_back(&s);
  }
  if (failures.empty()) {
    out << "No failures.\n\n";
  } else {
    out << "### Failures (" << failures.size() << ")\n\n";
    write_table(failures, options.max_listed, out);
    for (std::size_t i = 0; i < failures.size() && i < options.max_detailed; ++i)
      write_failure_details(*failures[i], out);
  }
  if (!non_strict.empty()) {
    out << "### Non-strict (" << non_strict.size() << ")\n\n"
        << "These passed, but only with SHOULD/MAY-level deviations.\n\n";
    write_table(non_strict, options.max_listed, out);
  }
}

}  // namespace popspec::reports
