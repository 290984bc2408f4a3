// `popspec run`: load and validate the scenario tree, select scenarios, play them against the
// embedded reference server or --target, and report (terminal, --json, --junit, --html,
// --markdown). Exit codes: 0 nothing failed, 1 a scenario failed or timed out, 2 usage or
// scenario-file error (zero scenarios selected included), 3 target unreachable or harness error,
// 4 (with --baseline) nothing failed beyond the baseline but the baseline is stale.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "popspec/harness/baseline.hpp"
#include "popspec/harness/failure_text.hpp"
#include "popspec/harness/interrupt.hpp"
#include "popspec/harness/loader.hpp"
#include "popspec/harness/requirements.hpp"
#include "popspec/harness/runner.hpp"
#include "popspec/harness/scenario_root.hpp"
#include "popspec/harness/selection.hpp"
#include "popspec/reports/html.hpp"
#include "popspec/reports/json_results.hpp"
#include "popspec/reports/junit.hpp"
#include "popspec/reports/markdown.hpp"
#include "popspec/reports/output.hpp"
#include "popspec/reports/terminal.hpp"
#include "popspec/store/fixture.hpp"
#include "run_baseline.hpp"

namespace popspec::cli {
namespace {

namespace fs = std::filesystem;
using namespace popspec::harness;

struct run_args {
  std::vector<std::string> patterns;
  std::vector<std::string> exclude;
  bool list = false;
  bool check = false;
  std::string protocol = "auto";
  std::string profile;
  std::string target;
  std::string user, pass, user2, pass2;
  bool allow_destructive = false;
  std::string reset_command;
  unsigned jobs = 1;
  double timeout_s = 5;
  std::string differential = "auto";
  bool verbose = false;
  bool quiet = false;
  std::string json, junit, html, markdown;
  std::string scenarios;
  std::string baseline, write_baseline;
};

int usage(const std::string& message) {
  std::cerr << "popspec run: " << message << "\n";
  return exit_code::usage;
}

std::string shown_path(const fs::path& p) {
  std::error_code ec;
  fs::path rel = fs::absolute(p, ec).lexically_relative(fs::current_path(ec));
  if (!ec && !rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return p.generic_string();
}

bool parse_target(const std::string& text, std::string& host, std::uint16_t& port,
                  std::string& error) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    error = "--target must be HOST:PORT, e.g. 127.0.0.1:1110";
    return false;
  }
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string p = text.substr(colon + 1);
  unsigned long v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') {
      error = "--target port \"" + p + "\" is not a number";
      return false;
    }
    v = v * 10 + static_cast<unsigned long>(c - '0');
    if (v > 65535) break;
  }
  if (v == 0 || v > 65535) {
    error = "--target port must be 1-65535";
    return false;
  }
  port = static_cast<std::uint16_t>(v);
  return true;
}

// Forwards to the terminal reporter and, unless verbose (the reporter prints details itself)
// or quiet, prints each problem's failure block before the final counts.
class run_listener final : public progress_listener {
 public:
  run_listener(std::unique_ptr<progress_listener> inner, bool details, std::string root)
      : inner_(std::move(inner)), details_(details), root_(std::move(root)) {}
  void on_run_start(const run_metadata& meta, std::size_t n) override {
    inner_->on_run_start(meta, n);
  }
  void on_scenario_done(const scenario_result& r) override { inner_->on_scenario_done(r); }
  void on_run_end(const run_results& results) override {
    if (details_) {
      bool first = true;
      for (const auto& r : results.scenarios) {
        if (r.result != verdict::fail && r.result != verdict::timeout && r.result != verdict::error)
          continue;
        std::cout << (first ? "\n" : "") << format_failure(r, root_) << "\n";
        first = false;
      }
    }
    inner_->on_run_end(results);
  }

 private:
  std::unique_ptr<progress_listener> inner_;
  bool details_;
  std::string root_;
};

// Writes one report (atomically: a temporary file renamed into place); "" means not asked for.
bool write_report(const std::string& path, reports::report_format format,
                  const run_results& results) {
  if (path.empty()) return true;
  std::string error;
  if (reports::write_report_file(path, format, std::span<const run_results>(&results, 1), error)) {
    std::cerr << "popspec run: " << error << "\n";  // "cannot write FILE: reason"
    return false;
  }
  return true;
}

int run(const run_args& a) {
  if (a.verbose && a.quiet) return usage("--verbose and --quiet exclude each other");
  fs::path root = a.scenarios.empty() ? default_scenario_root() : fs::path(a.scenarios);
  std::string root_shown = shown_path(root);

  // The requirement catalog: the tree's own, else the bundled one.
  requirement_catalog catalog;
  std::string error;
  fs::path catalog_file = root / "requirements.json";
  std::error_code ec;
  if (!fs::exists(catalog_file, ec)) catalog_file = default_scenario_root() / "requirements.json";
  if (!requirement_catalog::load(catalog_file, catalog, error)) return usage(error);

  loader_options lo;
  lo.fixture_messages = store::standard_messages().size();
  lo.folder_messages = store::standard_folder_messages().size();
  lo.folder_name = std::string(store::standard_folder_name);
  load_result loaded = load_scenario_tree(root, catalog, lo);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    std::cerr << "popspec run: " << loaded.errors.size() << " error(s) in the scenario files under "
              << root_shown << "; nothing was run\n";
    return exit_code::usage;
  }
  if (a.check) {
    std::cout << "popspec run: " << loaded.scenarios.size() << " scenarios in " << loaded.files
              << " files under " << root_shown << " are valid\n";
    return exit_code::ok;
  }

  auto chosen = select_scenarios(loaded.scenarios, a.patterns, a.exclude);
  if (!chosen.unmatched.empty()) {
    for (const auto& p : chosen.unmatched)
      std::cerr << "popspec run: pattern \"" << p << "\" matches no scenario\n";
    return usage("check the patterns (popspec run --list shows every scenario ID)");
  }

  run_options opts;
  // Protocol: as given, else the selection's when it is all POP2, else POP3.
  if (a.protocol == "auto") {
    bool all_pop2 = !chosen.scenarios.empty() && !a.patterns.empty();
    for (const auto* s : chosen.scenarios)
      all_pop2 = all_pop2 && s->protocol == protocol_kind::pop2;
    opts.protocol = all_pop2 || a.profile == "rfc937" ? protocol_kind::pop2 : protocol_kind::pop3;
  } else {
    opts.protocol = a.protocol == "pop2" ? protocol_kind::pop2 : protocol_kind::pop3;
  }
  if (!a.profile.empty()) {
    bool ok = opts.protocol == protocol_kind::pop3
                  ? (a.profile == "rfc1225" || a.profile == "rfc1939")
                  : a.profile == "rfc937";
    if (!ok)
      return usage("--profile " + a.profile + " does not apply to " +
                   std::string(to_string(opts.protocol)) +
                   " (pop3: rfc1225 or rfc1939; pop2: rfc937)");
    opts.profile = a.profile;
  }
  std::vector<const scenario*> selected;
  for (const auto* s : chosen.scenarios)
    if (s->protocol == opts.protocol) selected.push_back(s);
  if (selected.empty())
    return usage("no " + std::string(to_string(opts.protocol)) + " scenario selected" +
                 (chosen.scenarios.empty() ? ""
                                           : " (the patterns matched only the other protocol; "
                                             "see --protocol)"));

  if (a.list) {
    for (const auto* s : selected) {
      std::cout << s->id << "  " << s->title;
      std::string reqs;
      for (const auto& r : s->requirements) reqs += (reqs.empty() ? "" : ", ") + r;
      std::cout << "  [" << reqs << "]" << (s->destructive ? " (destructive)" : "") << "\n";
    }
    std::cout << selected.size() << " scenario(s)\n";
    return exit_code::ok;
  }

  // The baseline is read before anything runs, so a bad file costs no run (exit 2).
  std::optional<harness::baseline> pinned;
  if (!a.baseline.empty()) {
    pinned.emplace();
    if (!load_baseline_file(a.baseline, *pinned, error)) {
      std::cerr << error << "\n";
      return usage("cannot use --baseline " + a.baseline);
    }
  }

  if (!a.target.empty()) {
    std::string host;
    if (!parse_target(a.target, host, opts.target_port, error)) return usage(error);
    opts.target_host = host;
  } else if (a.allow_destructive || !a.reset_command.empty()) {
    return usage(
        "--allow-destructive and --reset-command apply to --target only (the embedded "
        "target is always reset)");
  }
  if (!a.reset_command.empty() && !a.allow_destructive)
    return usage("--reset-command needs --allow-destructive");
  if (a.jobs < 1 || a.jobs > 64) return usage("--jobs must be 1-64");
  if (!(a.timeout_s > 0) || a.timeout_s > 600)
    return usage("--timeout must be more than 0 and at most 600 seconds");
  opts.user = a.user;
  opts.pass = a.pass;
  opts.user2 = a.user2;
  opts.pass2 = a.pass2;
  opts.allow_destructive = a.allow_destructive;
  opts.reset_command = a.reset_command;
  opts.jobs = a.jobs;
  opts.timeout = std::chrono::milliseconds(static_cast<long long>(a.timeout_s * 1000));
  opts.differential = a.differential == "on"    ? differential_mode::on
                      : a.differential == "off" ? differential_mode::off
                                                : differential_mode::automatic;
  opts.selection = a.patterns;
  opts.exclude = a.exclude;
  if (!a.target.empty() && a.allow_destructive && a.reset_command.empty())
    std::cerr << "popspec run: warning: destructive scenarios will change " << a.target
              << " and nothing restores the maildrop between them (see --reset-command)\n";

  auto level = a.quiet     ? reports::verbosity::quiet
               : a.verbose ? reports::verbosity::verbose
                           : reports::verbosity::normal;
  run_listener listener(
      reports::make_terminal_reporter(std::cout, reports::detect_terminal(STDOUT_FILENO, level)),
      level == reports::verbosity::normal, root_shown);
  // SIGINT/SIGTERM stop the run after the scenario being played; it then unwinds normally, so
  // the embedded target's temporary maildrops are removed and the reports are still written.
  interrupt_guard interrupts;
  run_outcome outcome = run_scenarios(selected, catalog, opts, &listener);
  if (!outcome.fatal.empty()) {
    std::cerr << "popspec run: " << outcome.fatal << "\n";
    return exit_code::environment;
  }
  auto& results = outcome.results;
  std::optional<baseline_comparison> compared;
  if (pinned) {
    std::set<std::string, std::less<>> existing;
    for (const auto& s : loaded.scenarios) existing.insert(s.id);
    compared = compare_with_baseline(results, *pinned, existing);
    results.meta.options["baseline"] = a.baseline;
    results.meta.options["baseline_new_problems"] = std::to_string(compared->new_problems());
    results.meta.options["baseline_stale"] = std::to_string(compared->stale());
    std::cout << "\n" << format_baseline_comparison(*compared);
  }
  if (!a.write_baseline.empty()) {
    std::ofstream out(a.write_baseline, std::ios::binary | std::ios::trunc);
    out << baseline_expectations_from(results, "popspec " + results.meta.popspec_version +
                                                   " against " + results.meta.target)
               .dump(2)
        << "\n";
    if (!out) {
      std::cerr << "popspec run: cannot write " << a.write_baseline << "\n";
      return exit_code::environment;
    }
  }
  bool written = write_report(a.json, reports::report_format::json, results) &&
                 write_report(a.junit, reports::report_format::junit, results) &&
                 write_report(a.html, reports::report_format::html, results) &&
                 write_report(a.markdown, reports::report_format::markdown, results);
  if (!written) return exit_code::environment;
  if (int sig = interrupt_signal(); sig != 0) {
    std::cerr << "popspec run: interrupted by " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
              << "; the scenarios not yet started were not played\n";
    return 128 + sig;
  }
  if (compared) {
    // Only what the baseline does not excuse counts; then a stale baseline.
    if (compared->new_fail + compared->new_timeout > 0) return exit_code::failed;
    if (compared->new_error > 0) return exit_code::environment;
    return compared->stale() > 0 ? exit_stale_baseline : exit_code::ok;
  }
  const auto& s = results.summary;
  if (s.fail + s.timeout > 0) return exit_code::failed;
  if (s.error > 0) return exit_code::environment;
  return exit_code::ok;
}

const command_registration registration{
    "run", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<run_args>();
      auto* cmd = app.add_subcommand(
          "run",
          "Play the scenarios (scenarios/, docs/scenarios.md) against the embedded reference "
          "server or --target HOST:PORT, judge every response, compare it with the reference "
          "server's answer, and report.");
      cmd->add_option("patterns", a->patterns,
                      "Scenarios to run: IDs, globs (pop3/rfc1939/retr/*), group prefixes "
                      "(pop3/rfc1939), RFCs (rfc1939) or requirement IDs (POP3-1939-RETR.3); "
                      "default: all");
      cmd->add_option("--exclude", a->exclude, "Leave out scenarios matching PATTERN (repeatable)")
          ->take_last();
      cmd->add_flag("--list", a->list, "List the selected scenarios and exit");
      cmd->add_flag("--check", a->check, "Validate every scenario file and exit (0 valid, 2 not)");
      cmd->add_option(
             "--protocol", a->protocol,
             "pop3 or pop2 (default: pop2 when every selected scenario is POP2, else pop3)")
          ->check(CLI::IsMember({"auto", "pop3", "pop2"}));
      cmd->add_option("--profile", a->profile,
                      "POP3: rfc1939 (default) or rfc1225; POP2: rfc937. Scenarios for another "
                      "profile are skipped")
          ->check(CLI::IsMember({"rfc1225", "rfc1939", "rfc937"}));
      cmd->add_option("--target", a->target,
                      "HOST:PORT of the server to test (default: the embedded reference server "
                      "on 127.0.0.1 over temporary maildrops). Read-only unless "
                      "--allow-destructive");
      cmd->add_option("--user", a->user, "Account holding the standard fixture (default: popspec)");
      cmd->add_option("--pass", a->pass, "Its password (default: popspec-secret)");
      cmd->add_option("--user2", a->user2, "Account with an empty maildrop (default: popspec2)");
      cmd->add_option("--pass2", a->pass2, "Its password (default: popspec2-secret)");
      cmd->add_flag("--allow-destructive", a->allow_destructive,
                    "With --target: also run scenarios that change the maildrop (DELE + QUIT)");
      cmd->add_option("--reset-command", a->reset_command,
                      "With --target: shell command (/bin/sh -c) run before each destructive "
                      "scenario to restore the maildrop; a failure makes the scenario an error");
      cmd->add_option("--jobs,-j", a->jobs,
                      "Scenarios played at once (default 1); scenarios sharing a maildrop never "
                      "run at the same time");
      cmd->add_option("--timeout", a->timeout_s,
                      "Seconds to wait for each response unless a step says otherwise (default 5)");
      cmd->add_option("--differential", a->differential,
                      "Compare every response with the reference server: auto (on for --target), "
                      "on, off")
          ->check(CLI::IsMember({"auto", "on", "off"}));
      cmd->add_flag("--verbose,-v", a->verbose,
                    "Show every problem's details and whole transcript (non-printable octets "
                    "escaped)");
      cmd->add_flag("--quiet,-q", a->quiet, "Only problems and the final counts");
      cmd->add_option("--json", a->json, "Write machine-readable results to FILE");
      cmd->add_option("--junit", a->junit, "Write JUnit XML to FILE");
      cmd->add_option("--html", a->html, "Write an HTML report to FILE");
      cmd->add_option("--markdown", a->markdown, "Write a Markdown summary to FILE");
      cmd->add_option("--baseline", a->baseline,
                      "Known deviations (docs/ci.md): a baseline file or the --json results of an "
                      "earlier run. Verdicts it pins do not fail the run; new failures do; exit 4 "
                      "when only the baseline is stale")
          ->type_name("FILE");
      cmd->add_option("--write-baseline", a->write_baseline,
                      "Write a baseline file pinning every verdict of this run other than pass "
                      "(review it and write each note before checking it in)")
          ->type_name("FILE");
      cmd->add_option("--scenarios", a->scenarios,
                      "Scenario directory (default: the scenarios/ of this checkout or install)");
      cmd->footer(
          "Examples:\n"
          "  popspec run                                   # everything, embedded reference\n"
          "  popspec run pop3/rfc1939/retr/*               # one group\n"
          "  popspec run rfc2449 --exclude '*/pipelining/*'\n"
          "  popspec run --target 127.0.0.1:1110 --user alice --pass secret --json out.json\n"
          "Exit codes: 0 nothing failed, 1 a scenario failed or timed out, 2 usage or scenario "
          "file error (or nothing selected), 3 target unreachable or harness error, 4 with "
          "--baseline: nothing failed beyond the baseline, but the baseline is stale.");
      return [a] { return run(*a); };
    }};

}  // namespace
}  // namespace popspec::cli
