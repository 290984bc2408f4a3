#include "popspec/harness/results.hpp"

#include <array>
#include <utility>

namespace popspec::harness {
namespace {
constexpr std::array<std::pair<verdict, std::string_view>, 7> verdict_names{{
    {verdict::pass, "pass"},
    {verdict::fail, "fail"},
    {verdict::non_strict, "non_strict"},
    {verdict::unsupported, "unsupported"},
    {verdict::skipped, "skipped"},
    {verdict::timeout, "timeout"},
    {verdict::error, "error"},
}};
}  // namespace

std::string_view to_string(verdict v) {
  for (const auto& [id, name] : verdict_names)
    if (id == v) return name;
  return "error";
}

std::optional<verdict> verdict_from_string(std::string_view s) {
  for (const auto& [id, name] : verdict_names)
    if (name == s) return id;
  return std::nullopt;
}

std::string_view to_string(requirement_level l) {
  switch (l) {
    case requirement_level::must:
      return "MUST";
    case requirement_level::must_not:
      return "MUST NOT";
    case requirement_level::should:
      return "SHOULD";
    case requirement_level::should_not:
      return "SHOULD NOT";
    case requirement_level::may:
      return "MAY";
  }
  return "MUST";
}

void run_summary::count(verdict v) {
  ++total;
  switch (v) {
    case verdict::pass:
      ++pass;
      break;
    case verdict::fail:
      ++fail;
      break;
    case verdict::non_strict:
      ++non_strict;
      break;
    case verdict::unsupported:
      ++unsupported;
      break;
    case verdict::skipped:
      ++skipped;
      break;
    case verdict::timeout:
      ++timeout;
      break;
    case verdict::error:
      ++error;
      break;
  }
}

}  // namespace popspec::harness
