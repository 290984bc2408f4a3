// `popspec report RESULTS.json... [--html F] [--junit F] [--markdown F] [--json F]`: re-renders
// the reports of earlier runs from their JSON results (`popspec run --json`), so a CI job can run
// once and render later. Several results files make an HTML matrix of scenarios by target.
// Exit codes: 0 rendered, 2 bad usage or a results file that cannot be read, 3 a report cannot be
// written.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "popspec/reports/counts.hpp"
#include "popspec/reports/escape.hpp"
#include "popspec/reports/json_results.hpp"
#include "popspec/reports/output.hpp"

namespace popspec::cli {
namespace {

struct report_args {
  std::vector<std::string> inputs;
  std::string html, junit, markdown, json;
};

int run_report(const report_args& a) {
  using reports::report_format;
  struct output {
    const std::string& file;
    report_format format;
    const char* flag;
  };
  const std::vector<output> outputs{{a.html, report_format::html, "--html"},
                                    {a.junit, report_format::junit, "--junit"},
                                    {a.markdown, report_format::markdown, "--markdown"},
                                    {a.json, report_format::json, "--json"}};
  for (const auto& o : outputs) {
    if (!o.file.empty() && o.format != report_format::html && a.inputs.size() > 1) {
      std::cerr << "popspec report: " << o.flag << " takes one results file, not "
                << a.inputs.size() << " (only --html puts several side by side)\n";
      return exit_code::usage;
    }
  }

  std::vector<harness::run_results> runs(a.inputs.size());
  bool unreadable = false;
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    std::string error;
    if (reports::read_results_file(a.inputs[i], runs[i], error)) {
      std::cerr << "popspec report: " << error << "\n";
      unreadable = true;
    }
  }
  if (unreadable) return exit_code::usage;

  bool wrote_any = false, failed = false;
  for (const auto& o : outputs) {
    if (o.file.empty()) continue;
    wrote_any = true;
    std::string error;
    if (reports::write_report_file(o.file, o.format, runs, error)) {
      std::cerr << "popspec report: " << error << "\n";
      failed = true;
    }
  }
  if (failed) return exit_code::environment;
  if (!wrote_any) {
    // Nothing to render: say what the files hold.
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto& m = runs[i].meta;
      // The metadata came from a file: nothing in it may drive the terminal.
      std::cout << reports::printable_text(a.inputs[i], false) << ": "
                << reports::printable_text(m.target, false) << " ("
                << reports::printable_text(m.protocol, false)
                << (m.profile.empty() ? "" : " " + reports::printable_text(m.profile, false))
                << "): " << reports::format_counts(runs[i].summary) << "\n";
    }
  }
  return exit_code::ok;
}

const command_registration registration{
    "report", [](CLI::App& app) {
      auto args = std::make_shared<report_args>();
      CLI::App* sub = app.add_subcommand(
          "report",
          "Render reports from JSON results files written by `popspec run --json`. Several files\n"
          "make an HTML matrix of scenarios by target (e.g. Dovecot, the reference, a build under\n"
          "test). Without an output option, prints each file's counts.");
      sub->add_option("results", args->inputs, "JSON results files")
          ->required()
          ->type_name("RESULTS.json");
      sub->add_option("--html", args->html,
                      "write a self-contained HTML report (several results: side by side)")
          ->type_name("FILE");
      sub->add_option("--junit", args->junit, "write JUnit XML (one results file)")
          ->type_name("FILE");
      sub->add_option(
             "--markdown", args->markdown,
             "write a short Markdown summary, e.g. to $GITHUB_STEP_SUMMARY (one results file)")
          ->type_name("FILE");
      sub->add_option("--json", args->json, "write the results again as JSON (one results file)")
          ->type_name("FILE");
      sub->footer(
          "FILE may be - for standard output.\n"
          "Exit codes: 0 rendered, 2 bad usage or unreadable results file, 3 cannot write a "
          "report.");
      return [args] { return run_report(*args); };
    }};

}  // namespace
}  // namespace popspec::cli
