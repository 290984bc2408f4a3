#include "popspec/reports/junit.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "details_text.hpp"
#include "markup.hpp"
#include "popspec/reports/counts.hpp"

namespace popspec::reports {
namespace {
using detail::xml_attribute;
using detail::xml_text;
using harness::verdict;

// Seconds with millisecond precision, as JUnit's time attributes want them.
std::string seconds(double ms) {
  if (!(ms >= 0)) ms = 0;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.3f", ms / 1000);
  return buffer;
}

struct suite {
  std::string name;
  std::vector<const harness::scenario_result*> cases;
  harness::run_summary counts;
  double duration_ms = 0;
};

std::string group_of(const harness::scenario_result& s) {
  return s.group.empty() ? std::string("ungrouped") : s.group;
}

// Suites in the order their first scenario ran.
std::vector<suite> suites_of(const harness::run_results& results) {
  std::vector<suite> suites;
  std::map<std::string, std::size_t> index;
  for (const auto& s : results.scenarios) {
    const std::string name = group_of(s);
    auto [it, added] = index.try_emplace(name, suites.size());
    if (added) suites.push_back({name, {}, {}, 0});
    suite& target = suites[it->second];
    target.cases.push_back(&s);
    target.counts.count(s.result);
    target.duration_ms += s.duration_ms > 0 ? s.duration_ms : 0;
  }
  return suites;
}

void write_properties(const harness::run_metadata& m, std::ostream& out) {
  out << "    <properties>\n";
  const auto property = [&out](std::string_view name, std::string_view value) {
    out << "      <property name=\"" << xml_attribute(name) << "\" value=\"" << xml_attribute(value)
        << "\"/>\n";
  };
  property("popspec.version", m.popspec_version);
  property("popspec.target", m.target);
  property("popspec.protocol", m.protocol);
  property("popspec.profile", m.profile);
  property("popspec.started_at", m.started_at);
  std::string selection, exclude;
  for (const auto& s : m.selection) selection += (selection.empty() ? "" : " ") + s;
  for (const auto& s : m.exclude) exclude += (exclude.empty() ? "" : " ") + s;
  property("popspec.selection", selection);
  property("popspec.exclude", exclude);
  for (const auto& [key, value] : m.options) property("popspec.option." + key, value);
  out << "    </properties>\n";
}

void write_case(const harness::scenario_result& s, std::ostream& out) {
  out << "    <testcase name=\"" << xml_attribute(s.id) << "\" classname=\""
      << xml_attribute(group_of(s)) << "\" time=\"" << seconds(s.duration_ms) << "\"";
  const std::string details = detail::scenario_details(s);
  const std::string message = s.reason.empty() ? std::string(verdict_label(s.result)) : s.reason;
  std::string system_out;
  switch (s.result) {
    case verdict::pass:
      // A pass may still carry differences from the reference server: keep them visible.
      if (!s.differences.empty()) system_out = details;
      break;
    case verdict::fail:
      out << ">\n      <failure type=\"fail\" message=\"" << xml_attribute(message) << "\">"
          << xml_text(s.title + "\n" + details) << "</failure>\n";
      system_out = detail::transcript_text(s);
      break;
    case verdict::timeout:
    case verdict::error:
      out << ">\n      <error type=\"" << harness::to_string(s.result) << "\" message=\""
          << xml_attribute(message) << "\">" << xml_text(s.title + "\n" + details) << "</error>\n";
      system_out = detail::transcript_text(s);
      break;
    case verdict::skipped:
    case verdict::unsupported:
      out << ">\n      <skipped type=\"" << harness::to_string(s.result) << "\" message=\""
          << xml_attribute(message) << "\"/>\n";
      break;
    case verdict::non_strict:
      system_out = "non-strict: passed, but only with SHOULD/MAY-level deviations\n" + details +
                   detail::transcript_text(s);
      break;
  }
  const bool opened = s.result != verdict::pass && s.result != verdict::non_strict;
  if (system_out.empty()) {
    out << (opened ? "    </testcase>\n" : "/>\n");
    return;
  }
  if (!opened) out << ">\n";
  out << "      <system-out>" << xml_text(system_out) << "</system-out>\n    </testcase>\n";
}
}  // namespace

void write_junit(const harness::run_results& results, std::ostream& out) {
  const auto& m = results.meta;
  const auto& sum = results.summary;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\""
      << xml_attribute("popspec " + m.protocol + " " + m.profile + " against " + m.target)
      << "\" tests=\"" << sum.total << "\" failures=\"" << sum.fail << "\" errors=\""
      << sum.error + sum.timeout << "\" time=\"" << seconds(m.duration_ms) << "\">\n";
  for (const suite& s : suites_of(results)) {
    out << "  <testsuite name=\"" << xml_attribute(s.name) << "\" tests=\"" << s.counts.total
        << "\" failures=\"" << s.counts.fail << "\" errors=\"" << s.counts.error + s.counts.timeout
        << "\" skipped=\"" << s.counts.skipped + s.counts.unsupported << "\" time=\""
        << seconds(s.duration_ms) << "\" timestamp=\"" << xml_attribute(m.started_at) << "\">\n";
    write_properties(m, out);
    for (const auto* c : s.cases) write_case(*c, out);
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace popspec::reports
