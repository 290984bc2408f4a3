#pragma once
// The results of a `popspec run`: what the runner produces and every report writer consumes.
// Plain data; JSON (de)serialisation lives in reports/ (reports/include/popspec/reports/).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popspec::harness {

enum class verdict {
  pass,         // every step met a conforming expectation
  fail,         // a MUST-level requirement was violated
  non_strict,   // only SHOULD/MAY-level deviations
  unsupported,  // an optional feature the scenario needs is absent on the target
  skipped,      // not run (reason given): destructive on a read-only target, profile mismatch...
  timeout,      // the target did not answer within a step's deadline where an answer is required
  error,        // the harness could not decide (bad environment, reset command failed, ...)
};
std::string_view to_string(verdict v);  // "pass", "fail", "non_strict", ...
std::optional<verdict> verdict_from_string(std::string_view s);

enum class requirement_level { must, must_not, should, should_not, may };
std::string_view to_string(requirement_level l);  // "MUST", "MUST NOT", "SHOULD", ...

struct requirement_ref {
  std::string id;  // e.g. "POP3-1939-RETR.3"
  requirement_level level = requirement_level::must;
  std::string rfc;       // "937", "1225", "1939", "2449"
  std::string section;   // the RFC section / heading
  std::string sentence;  // the requirement's text from requirements.md
};

enum class direction { client_to_server, server_to_client, event };

struct transcript_entry {
  direction dir = direction::event;
  std::string connection;  // named connection ("main" unless the scenario names others)
  std::string bytes;       // raw octets (writers escape non-printables); for events, a description
  double at_ms = 0;        // milliseconds since the scenario started
  // The 0-based step the entry belongs to (so a report can point at the failing step's
  // octets); none for what happens after the last step (closing what is still open).
  std::optional<std::size_t> step_index;
};

struct step_failure {
  std::size_t step_index = 0;  // 0-based index in the scenario's steps
  std::string location;        // "scenarios/pop3/rfc1939/retr.json:42:7"
  std::string expected;        // human-readable
  std::string actual;          // human-readable, non-printables escaped
};

struct reference_difference {
  std::size_t step_index = 0;
  std::string location;
  std::string description;  // what differs after normalisation
  std::string target;       // the target's normalised answer
  std::string reference;    // the reference server's normalised answer
};

struct scenario_result {
  std::string id;  // e.g. "pop3/rfc1939/retr/deleted-message"
  std::string title;
  std::string file;      // scenario file, relative to the scenario root
  std::string group;     // RFC section group, e.g. "pop3/rfc1939/retr"
  std::string protocol;  // "pop3" or "pop2"
  std::vector<requirement_ref> requirements;
  verdict result = verdict::pass;
  std::string reason;  // one line: why fail/non_strict/skipped/unsupported/timeout/error
  double duration_ms = 0;
  bool destructive = false;
  std::vector<transcript_entry> transcript;
  std::optional<step_failure> failure;
  std::vector<reference_difference> differences;
};

struct run_summary {
  std::size_t pass = 0, fail = 0, non_strict = 0, unsupported = 0, skipped = 0, timeout = 0,
              error = 0, total = 0;
  void count(verdict v);
};

struct run_metadata {
  std::string popspec_version;
  std::string target;    // "host:port", or "embedded reference" for the default target
  std::string protocol;  // "pop3" / "pop2"
  std::string profile;   // "rfc1939" / "rfc1225" (POP3), "rfc937" (POP2)
  std::vector<std::string> selection;  // selection patterns as given ("all" when none)
  std::vector<std::string> exclude;
  std::string started_at;  // ISO 8601 UTC, e.g. "2026-11-22T02:30:00Z"
  double duration_ms = 0;
  std::map<std::string, std::string> options;  // other options that shaped the run
};

struct run_results {
  run_metadata meta;
  run_summary summary;
  std::vector<scenario_result> scenarios;
};

// Live progress: the runner calls these (from one thread) as scenarios finish; the terminal
// reporter in reports/ implements it (progress line on a TTY, plain lines otherwise).
class progress_listener {
 public:
  virtual ~progress_listener() = default;
  virtual void on_run_start(const run_metadata& meta, std::size_t scenario_count) = 0;
  virtual void on_scenario_done(const scenario_result& result) = 0;
  virtual void on_run_end(const run_results& results) = 0;
};

}  // namespace popspec::harness
