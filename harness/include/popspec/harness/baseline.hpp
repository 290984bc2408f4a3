#pragma once
// Baselines: known deviations of a target, pinned so that CI fails on a change and not on what
// is already known (`popspec run --baseline FILE`, docs/ci.md).
//
// A baseline comes from one of two files:
// - an expectations file, written by hand (or started with `popspec run --write-baseline`):
//     {"baseline": 1,
//      "description": "Dovecot 2.3 with its default POP3 settings",
//      "unlisted": "pass",
//      "expect": {"pop3/rfc1939/user-pass/second-user-refused":
//                   {"verdict": "fail", "note": "why this is known and accepted"}}}
//   Every entry needs a one-line note. "unlisted" says what scenarios without an entry must do:
//   "no-failure" (the default: pass, non_strict, unsupported and skipped are all fine) or
//   "pass" (anything else is a change, so the baseline pins every verdict of the run);
// - a results file of an earlier run (`popspec run --json`): every scenario in it is pinned to
//   the verdict it had, with its reason as the note; unlisted scenarios (new ones) must not fail.
//
// Comparing a run with a baseline sorts every difference into one of two kinds:
// - a new problem: a scenario ended in fail, timeout or error and the baseline does not pin
//   exactly that verdict for it. The run fails as it would without a baseline.
// - a stale entry: the baseline no longer describes the target. A pinned scenario ended with
//   another verdict that is not a problem (a known failure that now passes, a non_strict that
//   became pass...), an unlisted scenario did not pass under "unlisted": "pass", or an entry
//   names a scenario that no longer exists. The baseline needs updating.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "popspec/harness/results.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

inline constexpr int baseline_format_version = 1;

enum class unlisted_policy {
  no_failure,  // "no-failure": unlisted scenarios may end in anything but fail, timeout, error
  pass,        // "pass": unlisted scenarios must pass
};
std::string_view to_string(unlisted_policy p);  // "no-failure", "pass"

struct baseline_entry {
  verdict expected = verdict::fail;
  std::string note;       // one line: why this verdict is known and accepted
  source_location where;  // the entry in an expectations file (file only, for a results file)
};

struct baseline {
  std::string source;       // the file, as named in messages
  std::string description;  // expectations file: what it pins (optional)
  unlisted_policy unlisted = unlisted_policy::no_failure;
  std::map<std::string, baseline_entry, std::less<>> expect;  // by scenario ID
};

// True when `document` is an expectations file (an object with a "baseline" member) rather
// than a results file.
bool is_baseline_expectations(const nlohmann::json& document);

// Parses and validates an expectations file. `display_name` names the file in errors. On
// failure returns false and sets `error` to "FILE:LINE:COL: what was wrong"; unknown keys,
// unknown verdicts and missing or multi-line notes are errors. Never throws on input.
bool parse_baseline_expectations(std::string_view text, const std::string& display_name,
                                 baseline& out, std::string& error);

// Pins every scenario of an earlier run to the verdict it had (its reason as the note).
baseline baseline_from_results(const run_results& results, const std::string& source);

// An expectations document pinning every verdict of `results` other than pass, each with the
// scenario's reason as its note, and "unlisted": "pass": what --write-baseline writes, to be
// reviewed and annotated by a person before it is checked in.
nlohmann::ordered_json baseline_expectations_from(const run_results& results,
                                                  const std::string& description);

enum class baseline_finding_kind {
  new_problem,  // fail/timeout/error not pinned as such: the run fails
  stale,        // the baseline no longer matches the target: update it
};

struct baseline_finding {
  baseline_finding_kind kind = baseline_finding_kind::new_problem;
  std::string id;
  std::optional<verdict> expected;  // pinned or implied (unset: the scenario no longer exists)
  std::optional<verdict> actual;    // unset: the scenario does not exist any more
  std::string note;                 // the entry's note, if there is an entry
  std::string reason;               // the scenario's reason in this run
  std::string explanation;          // one line, e.g. "fail, the baseline pins pass"
};

struct baseline_comparison {
  std::string source;
  std::size_t matched = 0;         // pinned scenarios that ended exactly as pinned
  std::size_t known_problems = 0;  // ... of which fail/timeout/error (accepted by the baseline)
  std::size_t not_run = 0;         // entries for existing scenarios this run did not select
  std::vector<baseline_finding> findings;  // in run order, then vanished entries by ID
  // Problems not excused by the baseline, by verdict (what decides the exit code).
  std::size_t new_fail = 0, new_timeout = 0, new_error = 0;

  std::size_t new_problems() const { return new_fail + new_timeout + new_error; }
  std::size_t stale() const;
};

// Compares a run with a baseline. `existing_ids` holds the ID of every scenario in the loaded
// tree (selected or not): an entry naming none of them is stale, an entry naming one the run did
// not select is only counted as not run.
baseline_comparison compare_with_baseline(const run_results& results, const baseline& pinned,
                                          const std::set<std::string, std::less<>>& existing_ids);

// The comparison for people: one summary line, then one line per finding, e.g.
//   baseline dovecot.json: 19 as pinned (11 known failures), 1 new problem, 1 stale
//     NEW    pop3/rfc1939/x/y: fail, the baseline expects pass (step 3 ...)
//     STALE  pop3/rfc1939/x/z: pass, the baseline pins fail ("note"): update the baseline
std::string format_baseline_comparison(const baseline_comparison& comparison);

}  // namespace popspec::harness
