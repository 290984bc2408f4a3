#pragma once
// Judges an observed response against a step's expectation, with no I/O: status, regex with
// captures, data lines (exact, fixture message, TOP of a fixture message, counts, sets, octets),
// POP2 data, closing and silence. The first outcome that holds wins.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "popspec/harness/observation.hpp"
#include "popspec/harness/scenario.hpp"
#include "popspec/harness/variables.hpp"

namespace popspec::harness {

// The wire form (CRLF line endings, unstuffed) of a fixture message, or nothing if unknown.
using fixture_lookup = std::function<std::optional<std::string>(const fixture_message_ref&)>;

struct outcome_check {
  bool matched = false;
  std::string mismatch;   // why not, e.g. "status is -ERR, expected +OK"
  std::string error;      // the check could not be made (undefined variable, regex failure)
  variable_map captures;  // named captures of `match`
};

outcome_check check_outcome(const outcome& o, protocol_kind protocol, const observation& seen,
                            const variable_map& vars, const fixture_lookup& fixture);

struct expectation_check {
  std::optional<std::size_t> matched;   // index into expectation::any_of
  verdict result = verdict::fail;       // the matched outcome's verdict (fail when none matched)
  std::string note;                     // the matched outcome's note
  std::vector<std::string> mismatches;  // one per alternative, when none matched
  std::string error;                    // set when an alternative could not be checked
  variable_map captures;
};

expectation_check check_expectation(const expectation& e, protocol_kind protocol,
                                    const observation& seen, const variable_map& vars,
                                    const fixture_lookup& fixture);

// Human-readable descriptions for failure output.
std::string describe_outcome(const outcome& o, const variable_map& vars);
std::string describe_expectation(const expectation& e, const variable_map& vars);
std::string describe_observation(const observation& seen);

// The lines TOP msg n must return for a message's wire form (RFC 1939 §7): the header lines,
// the blank line, then the first n body lines (the whole message when n is large enough).
std::vector<std::string> top_lines(const std::string& wire, std::uint64_t n);
// The lines of a wire form, without CRLF (a final line without CRLF counts as a line).
std::vector<std::string> wire_lines(const std::string& wire);

}  // namespace popspec::harness
