#pragma once
// Plain-text renderings of one scenario's details (internal), shared by the JUnit and terminal
// writers. The text is raw: each writer escapes it for its medium.
#include <string>

#include "popspec/harness/results.hpp"

namespace popspec::reports::detail {

// "C:" for what the client sent, "S:" for what the server sent, "--" for events.
std::string_view direction_tag(harness::direction d);

// Requirements, reason, failing step (expected against actual) and the differences from the
// reference, one item per line; empty parts are left out.
std::string scenario_details(const harness::scenario_result& s);

// One line per transcript entry: "   12.3 ms main S: +OK ready\r\n" (octets escaped).
std::string transcript_text(const harness::scenario_result& s);

// Milliseconds for people: "850 ms", "12.3 s".
std::string format_duration(double ms);

}  // namespace popspec::reports::detail
