#pragma once
// Rendering any format to a stream or a file: what `popspec run` and `popspec report` call for
// --json, --junit, --html and --markdown.
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

enum class report_format { json, junit, html, markdown };

// "JSON", "JUnit XML", "HTML", "Markdown".
std::string_view to_string(report_format format);

// Renders `runs` in `format`. HTML takes any number of runs (several make a matrix by target);
// the others take exactly one and otherwise return errc::one_run_only with a message in `error`.
std::error_code render_report(report_format format, std::span<const harness::run_results> runs,
                              std::ostream& out, std::string& error);

// Renders into `file`; "-" means standard output. A regular file is written under a temporary
// name beside it and renamed into place, so nobody reads half a report and a failed write leaves
// any earlier report intact; devices and pipes (e.g. /dev/stdout) are written directly. On failure
// `error` reads "cannot write FILE: reason".
std::error_code write_report_file(const std::filesystem::path& file, report_format format,
                                  std::span<const harness::run_results> runs, std::string& error);

}  // namespace popspec::reports
