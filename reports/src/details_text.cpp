#include "details_text.hpp"

#include <cstdio>

#include "popspec/reports/escape.hpp"

namespace popspec::reports::detail {

std::string_view direction_tag(harness::direction d) {
  switch (d) {
    case harness::direction::client_to_server:
      return "C:";
    case harness::direction::server_to_client:
      return "S:";
    case harness::direction::event:
      return "--";
  }
  return "--";
}

std::string scenario_details(const harness::scenario_result& s) {
  std::string out;
  if (!s.reason.empty()) out += s.reason + "\n";
  if (!s.requirements.empty()) {
    out += "Requirements:\n";
    for (const auto& r : s.requirements) {
      out += "  " + r.id + " (" + std::string(harness::to_string(r.level)) + ")";
      if (!r.sentence.empty()) out += ": " + r.sentence;
      out += "\n";
    }
  }
  if (s.failure) {
    out += "Failing step " + std::to_string(s.failure->step_index + 1);
    if (!s.failure->location.empty()) out += " at " + s.failure->location;
    out += "\n  Expected: " + s.failure->expected + "\n  Actual:   " + s.failure->actual + "\n";
  }
  if (!s.differences.empty()) {
    out += "Differences from the reference server:\n";
    for (const auto& d : s.differences) {
      out += "  step " + std::to_string(d.step_index + 1);
      if (!d.location.empty()) out += " at " + d.location;
      out += ": " + d.description + "\n    target:    " + d.target +
             "\n    reference: " + d.reference + "\n";
    }
  }
  return out;
}

std::string transcript_text(const harness::scenario_result& s) {
  std::string out;
  for (const auto& t : s.transcript) {
    char at[32];
    std::snprintf(at, sizeof at, "%9.1f ms ", t.at_ms);
    out += at;
    out += t.connection.empty() ? std::string("main") : t.connection;
    out += ' ';
    out += direction_tag(t.dir);
    out += ' ';
    out += t.dir == harness::direction::event ? t.bytes : escape_octets(t.bytes);
    out += '\n';
  }
  return out;
}

std::string format_duration(double ms) {
  char buffer[48];
  if (!(ms >= 0)) ms = 0;    // negative or NaN: a clock glitch, not worth a report
  if (ms > 1e12) ms = 1e12;  // keeps the integer conversion below defined
  if (ms < 1000) {
    std::snprintf(buffer, sizeof buffer, "%.0f ms", ms);
  } else if (ms < 600'000) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", ms / 1000);
  } else {
    const auto seconds = static_cast<long long>(ms / 1000);
    std::snprintf(buffer, sizeof buffer, "%lld min %lld s", seconds / 60, seconds % 60);
  }
  return buffer;
}

}  // namespace popspec::reports::detail
