#pragma once
// The runner: plays scenarios against a target (the embedded reference server by default, or
// --target HOST:PORT), judges every response, compares it with the reference server's answer to
// the same conversation, and produces run_results.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "popspec/harness/requirements.hpp"
#include "popspec/harness/results.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

enum class differential_mode {
  automatic,  // on for --target, off for the embedded target (it is the reference)
  on,
  off,
};

struct run_options {
  protocol_kind protocol = protocol_kind::pop3;
  std::string profile;  // "rfc1939" (default) or "rfc1225" for POP3; "rfc937" for POP2
  // External target; unset: the embedded reference server.
  std::optional<std::string> target_host;
  std::uint16_t target_port = 0;
  std::string user, pass, user2, pass2;  // empty: the fixture's default accounts
  bool allow_destructive = false;        // external target: run destructive scenarios
  std::string reset_command;             // external target: run by /bin/sh before each one
  unsigned jobs = 1;
  std::chrono::milliseconds timeout{5000};  // per step, unless the step says otherwise
  differential_mode differential = differential_mode::automatic;
  std::vector<std::string> selection;  // for the results' metadata
  std::vector<std::string> exclude;
};

struct run_outcome {
  run_results results;
  // Set when the run could not happen: the target is unreachable, or the embedded server could
  // not start (exit code 3). Results are then empty.
  std::string fatal;
};

// Plays `scenarios` (already selected) and returns the results in the order given. The
// listener, if any, is called from the calling thread only.
run_outcome run_scenarios(const std::vector<const scenario*>& scenarios,
                          const requirement_catalog& catalog, const run_options& options,
                          progress_listener* listener);

}  // namespace popspec::harness
