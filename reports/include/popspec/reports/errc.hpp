#pragma once
// Error codes of the report library, in their own category ("popspec.reports").
#include <system_error>

namespace popspec::reports {

enum class errc {
  not_json = 1,          // a results file is not JSON at all
  invalid_results,       // JSON, but not results: a missing or mistyped field, a bad escape
  unsupported_version,   // schema_version is not one this build reads
  inconsistent_summary,  // the summary counts disagree with the scenarios' verdicts
  cannot_read,           // a results file could not be opened or read
  cannot_write,          // an output file could not be written (see the message for why)
  one_run_only,          // a single-run format (JSON, JUnit, Markdown) was given several runs
};

const std::error_category& reports_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace popspec::reports

template <>
struct std::is_error_code_enum<popspec::reports::errc> : std::true_type {};
