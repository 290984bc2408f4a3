#include "popspec/reports/counts.hpp"

namespace popspec::reports {

std::string format_counts(const harness::run_summary& s) {
  std::string line = std::to_string(s.pass) + " passed, " + std::to_string(s.fail) + " failed";
  const auto add = [&line](std::size_t n, std::string_view what) {
    if (n == 0) return;
    line += ", ";
    line += std::to_string(n);
    line += ' ';
    line += what;
  };
  add(s.non_strict, "non-strict");
  add(s.unsupported, "unsupported");
  add(s.skipped, "skipped");
  add(s.timeout, "timed out");
  add(s.error, s.error == 1 ? "error" : "errors");
  return line;
}

std::string_view verdict_label(harness::verdict v) {
  return v == harness::verdict::non_strict ? "non-strict" : harness::to_string(v);
}

std::size_t count_of(const harness::run_summary& s, harness::verdict v) {
  switch (v) {
    case harness::verdict::pass:
      return s.pass;
    case harness::verdict::fail:
      return s.fail;
    case harness::verdict::non_strict:
      return s.non_strict;
    case harness::verdict::unsupported:
      return s.unsupported;
    case harness::verdict::skipped:
      return s.skipped;
    case harness::verdict::timeout:
      return s.timeout;
    case harness::verdict::error:
      return s.error;
  }
  return 0;
}

bool is_failure(harness::verdict v) {
  return v == harness::verdict::fail || v == harness::verdict::timeout ||
         v == harness::verdict::error;
}

}  // namespace popspec::reports
