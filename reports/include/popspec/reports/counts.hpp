#pragma once
// The one-line summary of a run, shared by the terminal, Markdown and HTML writers.
#include <string>
#include <string_view>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

// "112 passed, 3 failed, 2 non-strict, 4 skipped". It always starts "N passed, N failed" (CI log
// parsers read that), then names every other non-zero count in this order: non-strict,
// unsupported, skipped, timed out, error(s).
std::string format_counts(const harness::run_summary& summary);

// How a verdict reads in reports meant for people: "pass", "fail", "non-strict", "unsupported",
// "skipped", "timeout", "error".
std::string_view verdict_label(harness::verdict v);

// Every verdict, in the order reports list them.
inline constexpr harness::verdict all_verdicts[] = {
    harness::verdict::pass,        harness::verdict::fail,    harness::verdict::non_strict,
    harness::verdict::unsupported, harness::verdict::skipped, harness::verdict::timeout,
    harness::verdict::error};

// The summary's count for one verdict.
std::size_t count_of(const harness::run_summary& summary, harness::verdict v);

// True when the verdict means the target did something wrong or the harness could not decide:
// fail, timeout, error. These are what Markdown and the terminal list as failures.
bool is_failure(harness::verdict v);

}  // namespace popspec::reports
