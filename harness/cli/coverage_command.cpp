// `popspec coverage`: per RFC, which server-role requirements of the catalog the scenario tree
// checks (with the number of scenarios citing each), which are explained as untestable in
// scenarios/untestable.json, and which are neither; client-role requirements are listed apart.
// Exit codes: 0 report printed, 1 --strict or --fail-under not met, 2 usage or scenario-file
// error, 3 the --json file cannot be written.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "popspec/harness/coverage.hpp"
#include "popspec/harness/loader.hpp"
#include "popspec/harness/requirements.hpp"
#include "popspec/harness/scenario_root.hpp"
#include "popspec/store/fixture.hpp"

namespace popspec::cli {
namespace {

namespace fs = std::filesystem;
using namespace popspec::harness;

struct coverage_args {
  std::string scenarios;
  std::vector<std::string> rfcs;
  bool missing = false;
  std::string json;
  bool strict = false;
  double fail_under = -1;  // < 0: not given
};

int usage(const std::string& message) {
  std::cerr << "popspec coverage: " << message << "\n";
  return exit_code::usage;
}

int run(const coverage_args& a) {
  coverage_options options;
  for (const auto& text : a.rfcs) {
    std::string rfc = normalize_rfc(text);
    if (rfc.empty())
      return usage("--rfc " + text + " is not one of the RFCs covered (937, 1225, 1939, 2449)");
    options.rfcs.push_back(rfc);
  }
  if (a.fail_under > 100) return usage("--fail-under takes a percentage from 0 to 100");

  const fs::path root = a.scenarios.empty() ? default_scenario_root() : fs::path(a.scenarios);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return usage(root.string() + " is not a directory");

  // The tree's own catalog, else the bundled one (as `popspec run` does).
  fs::path catalog_file = root / "requirements.json";
  if (!fs::exists(catalog_file, ec)) catalog_file = default_scenario_root() / "requirements.json";
  requirement_catalog catalog;
  std::string error;
  if (!requirement_catalog::load(catalog_file, catalog, error)) return usage(error);

  loader_options lo;
  lo.fixture_messages = store::standard_messages().size();
  lo.folder_messages = store::standard_folder_messages().size();
  lo.folder_name = std::string(store::standard_folder_name);
  load_result loaded = load_scenario_tree(root, catalog, lo);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return usage(std::to_string(loaded.errors.size()) + " error(s) in the scenario files under " +
                 root.string() + " (popspec run --check shows the same)");
  }

  // A tree without notes simply explains nothing.
  untestable_notes notes;
  const fs::path notes_file = root / "untestable.json";
  if (fs::exists(notes_file, ec) && !untestable_notes::load(notes_file, notes, error))
    return usage(error);

  const coverage_report report = compute_coverage(catalog, loaded.scenarios, notes, options);
  write_coverage_text(report, std::cout, {a.missing});

  if (!a.json.empty()) {
    std::ofstream out(a.json, std::ios::binary | std::ios::trunc);
    if (out) write_coverage_json(report, out);
    if (!out) {
      std::cerr << "popspec coverage: cannot write " << a.json << "\n";
      return exit_code::environment;
    }
  }

  int result = exit_code::ok;
  const auto& t = report.totals;
  if (a.strict && (t.missing > 0 || report.note_errors > 0)) {
    std::cerr << "popspec coverage: --strict: " << t.missing
              << " server-role requirement(s) neither covered by a scenario nor explained in "
                 "untestable.json";
    if (report.note_errors > 0)
      std::cerr << ", and " << report.note_errors << " note(s) naming no requirement of their RFC";
    std::cerr << "\n";
    result = exit_code::failed;
  }
  if (a.fail_under >= 0 && t.accounted_percent() < a.fail_under) {
    std::cerr << "popspec coverage: " << format_percent(t.accounted_percent())
              << " of the server-role requirements are covered or explained, under the "
                 "--fail-under "
              << a.fail_under << "%\n";
    result = exit_code::failed;
  }
  return result;
}

const command_registration registration{
    "coverage", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<coverage_args>();
      auto* cmd = app.add_subcommand(
          "coverage",
          "Show, per RFC (937, 1225, 1939, 2449), which server-role requirements of the catalog "
          "(scenarios/requirements.json) the scenarios check, which are explained as untestable "
          "over the wire (scenarios/untestable.json), and which are neither; client-role "
          "requirements are listed apart (the harness obeys them as a client).");
      cmd->add_option("--scenarios", a->scenarios,
                      "Scenario directory (default: the scenarios/ of this checkout or install)")
          ->option_text("DIR");
      cmd->add_option("--rfc", a->rfcs,
                      "Only this RFC: 937, 1225, 1939 or 2449 (rfc1939 works too; repeatable)")
          ->option_text("N");
      cmd->add_flag("--missing", a->missing,
                    "Print only the requirements neither covered nor explained (and the counts)");
      cmd->add_option("--json", a->json,
                      "Also write every row, the counts and the warnings as JSON to FILE")
          ->option_text("FILE");
      cmd->add_flag("--strict", a->strict,
                    "Exit 1 when a server-role requirement is neither covered nor explained, or a "
                    "note in untestable.json names no requirement of its RFC (for CI)");
      cmd->add_option("--fail-under", a->fail_under,
                      "Exit 1 when less than PERCENT of the server-role requirements are covered "
                      "or explained (for CI)")
          ->check(CLI::Range(0.0, 100.0))
          ->option_text("PERCENT");
      cmd->footer(
          "Examples:\n"
          "  popspec coverage                      # every RFC, every row\n"
          "  popspec coverage --missing --rfc 1939 # what RFC 1939 still lacks\n"
          "  popspec coverage --strict --json coverage.json\n"
          "Exit codes: 0 report printed, 1 --strict or --fail-under not met, 2 usage or scenario "
          "file error, 3 the --json file cannot be written.");
      return [a] { return run(*a); };
    }};

}  // namespace
}  // namespace popspec::cli
