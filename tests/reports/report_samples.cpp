// Writes the sample results (sample_results.hpp) in every format into a directory, for the tests
// that need files: the headless-Chromium test of the HTML report and manual inspection.
//   popspec_report_samples OUTDIR
// Files: every-verdict.{json,xml,md,html}, second-target.json, empty.{json,xml,md,html},
// matrix.html (every-verdict, second-target and the empty run side by side).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "popspec/reports/output.hpp"
#include "sample_results.hpp"

int main(int argc, char** argv) {
  using namespace popspec::reports;
  if (argc != 2) {
    std::cerr << "usage: popspec_report_samples OUTDIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "cannot create " << dir.string() << ": " << ec.message() << "\n";
    return 3;
  }
  const auto every = samples::every_verdict_run();
  const auto second = samples::second_target_run();
  const auto empty = samples::empty_run();
  const std::vector<popspec::harness::run_results> matrix{every, second, empty};
  struct job {
    std::string name;
    report_format format;
    std::vector<popspec::harness::run_results> runs;
  };
  const std::vector<job> jobs{
      {"every-verdict.json", report_format::json, {every}},
      {"every-verdict.xml", report_format::junit, {every}},
      {"every-verdict.md", report_format::markdown, {every}},
      {"every-verdict.html", report_format::html, {every}},
      {"second-target.json", report_format::json, {second}},
      {"empty.json", report_format::json, {empty}},
      {"empty.xml", report_format::junit, {empty}},
      {"empty.md", report_format::markdown, {empty}},
      {"empty.html", report_format::html, {empty}},
      {"matrix.html", report_format::html, matrix},
  };
  for (const auto& j : jobs) {
    std::string error;
    if (write_report_file(dir / j.name, j.format, j.runs, error)) {
      std::cerr << error << "\n";
      return 3;
    }
  }
  return 0;
}
