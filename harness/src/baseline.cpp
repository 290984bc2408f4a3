#include "popspec/harness/baseline.hpp"

#include <algorithm>

#include "popspec/harness/json_source.hpp"

namespace popspec::harness {

namespace {

bool is_problem(verdict v) {
  return v == verdict::fail || v == verdict::timeout || v == verdict::error;
}

// Notes and reasons are shown on one line.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// Validates an expectations document, collecting every problem with its position.
class expectations_reader {
 public:
  expectations_reader(const json_document& doc, std::string file)
      : doc_(doc), file_(std::move(file)) {}

  bool read(baseline& out) {
    const auto& root = doc_.value;
    if (!root.is_object()) {
      value_error("", "a baseline file is a JSON object with \"baseline\": 1 and \"expect\"");
      return false;
    }
    for (const auto& [key, value] : root.items()) {
      std::string ptr = pointer_append("", key);
      if (key == "baseline") {
        if (!value.is_number_integer())
          value_error(ptr, "\"baseline\" is the format version, the number 1");
        else if (value.get<long long>() != baseline_format_version)
          value_error(ptr, "baseline format " + value.dump() +
                               " is not supported (this popspec reads " +
                               std::to_string(baseline_format_version) + ")");
      } else if (key == "description") {
        if (!value.is_string())
          value_error(ptr, "\"description\" must be a string");
        else
          out.description = value.get<std::string>();
      } else if (key == "unlisted") {
        if (value == "pass")
          out.unlisted = unlisted_policy::pass;
        else if (value == "no-failure")
          out.unlisted = unlisted_policy::no_failure;
        else
          value_error(ptr, "\"unlisted\" must be \"pass\" or \"no-failure\"");
      } else if (key == "expect") {
        read_expect(value, ptr, out);
      } else if (key == "$schema") {
        if (!value.is_string()) value_error(ptr, "\"$schema\" must be a string");
      } else {
        key_error(ptr,
                  "unknown key \"" + key + "\" (expected baseline, description, unlisted, expect)");
      }
    }
    if (!root.contains("baseline")) value_error("", "missing \"baseline\": 1 (the format version)");
    if (!root.contains("expect")) value_error("", "missing \"expect\" (scenario ID -> verdict)");
    return errors_.empty();
  }

  std::string errors() const {
    std::string all;
    for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e;
    return all;
  }

 private:
  void read_expect(const nlohmann::json& expect, const std::string& ptr, baseline& out) {
    if (!expect.is_object()) {
      value_error(ptr,
                  "\"expect\" must be an object: {\"scenario-id\": {\"verdict\": ..., "
                  "\"note\": ...}}");
      return;
    }
    for (const auto& [id, entry] : expect.items()) {
      std::string entry_ptr = pointer_append(ptr, id);
      if (id.empty()) key_error(entry_ptr, "a scenario ID cannot be empty");
      if (!entry.is_object()) {
        value_error(entry_ptr, "expected {\"verdict\": \"fail\", \"note\": \"why\"}");
        continue;
      }
      baseline_entry e;
      e.where = location(doc_.key_at(entry_ptr));
      bool has_verdict = false, has_note = false;
      for (const auto& [key, value] : entry.items()) {
        std::string p = pointer_append(entry_ptr, key);
        if (key == "verdict") {
          auto v = value.is_string() ? verdict_from_string(value.get<std::string>()) : std::nullopt;
          if (!v) {
            value_error(p,
                        "\"verdict\" must be one of pass, fail, non_strict, unsupported, skipped, "
                        "timeout, error");
            continue;
          }
          e.expected = *v;
          has_verdict = true;
        } else if (key == "note") {
          if (!value.is_string() || value.get<std::string>().empty()) {
            value_error(p, "\"note\" must be a non-empty string saying why this verdict is known");
            continue;
          }
          e.note = value.get<std::string>();
          if (e.note.find_first_of("\r\n") != std::string::npos) {
            value_error(p, "\"note\" must be one line");
            continue;
          }
          has_note = true;
        } else {
          key_error(p, "unknown key \"" + key + "\" (expected verdict, note)");
        }
      }
      if (!has_verdict && !entry.contains("verdict")) value_error(entry_ptr, "missing \"verdict\"");
      if (!has_note && !entry.contains("note"))
        value_error(entry_ptr, "missing \"note\": one line on why this verdict is known");
      if (has_verdict && has_note) out.expect[id] = std::move(e);
    }
  }

  source_location location(source_position pos) const { return {file_, pos.line, pos.column}; }
  void value_error(const std::string& ptr, const std::string& message) {
    errors_.push_back(location(doc_.value_at(ptr)).str() + ": " + message);
  }
  void key_error(const std::string& ptr, const std::string& message) {
    errors_.push_back(location(doc_.key_at(ptr)).str() + ": " + message);
  }

  const json_document& doc_;
  std::string file_;
  std::vector<std::string> errors_;
};

}  // namespace

std::string_view to_string(unlisted_policy p) {
  return p == unlisted_policy::pass ? "pass" : "no-failure";
}

bool is_baseline_expectations(const nlohmann::json& document) {
  return document.is_object() && document.contains("baseline");
}

bool parse_baseline_expectations(std::string_view text, const std::string& display_name,
                                 baseline& out, std::string& error) {
  out = baseline{};
  out.source = display_name;
  json_document doc;
  json_parse_error parse_error;
  if (!parse_json_with_positions(text, doc, parse_error)) {
    error = source_location{display_name, parse_error.where.line, parse_error.where.column}.str() +
            ": " + parse_error.message;
    return false;
  }
  expectations_reader reader(doc, display_name);
  if (!reader.read(out)) {
    error = reader.errors();
    out.expect.clear();
    return false;
  }
  return true;
}

baseline baseline_from_results(const run_results& results, const std::string& source) {
  baseline b;
  b.source = source;
  b.description = "the results of a run against " + results.meta.target;
  b.unlisted = unlisted_policy::no_failure;
  for (const auto& r : results.scenarios) {
    baseline_entry e;
    e.expected = r.result;
    e.note = one_line(r.reason);
    e.where.file = source;
    b.expect[r.id] = std::move(e);
  }
  return b;
}

nlohmann::ordered_json baseline_expectations_from(const run_results& results,
                                                  const std::string& description) {
  nlohmann::ordered_json doc;
  doc["baseline"] = baseline_format_version;
  doc["description"] = description;
  doc["unlisted"] = std::string(to_string(unlisted_policy::pass));
  nlohmann::ordered_json expect = nlohmann::ordered_json::object();
  for (const auto& r : results.scenarios) {
    if (r.result == verdict::pass) continue;
    std::string note = one_line(r.reason);
    if (note.empty()) note = std::string(to_string(r.result));
    expect[r.id] = {{"verdict", std::string(to_string(r.result))}, {"note", note}};
  }
  doc["expect"] = std::move(expect);
  return doc;
}

std::size_t baseline_comparison::stale() const {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(),
      [](const baseline_finding& f) { return f.kind == baseline_finding_kind::stale; }));
}

baseline_comparison compare_with_baseline(const run_results& results, const baseline& pinned,
                                          const std::set<std::string, std::less<>>& existing_ids) {
  baseline_comparison c;
  c.source = pinned.source;
  std::set<std::string, std::less<>> ran;
  for (const auto& r : results.scenarios) {
    ran.insert(r.id);
    baseline_finding f;
    f.id = r.id;
    f.actual = r.result;
    f.reason = one_line(r.reason);
    std::string actual(to_string(r.result));
    if (auto it = pinned.expect.find(r.id); it != pinned.expect.end()) {
      const baseline_entry& e = it->second;
      if (r.result == e.expected) {
        ++c.matched;
        if (is_problem(r.result)) ++c.known_problems;
        continue;
      }
      f.expected = e.expected;
      f.note = e.note;
      f.kind =
          is_problem(r.result) ? baseline_finding_kind::new_problem : baseline_finding_kind::stale;
      f.explanation = actual + ", the baseline pins " + std::string(to_string(e.expected));
    } else if (is_problem(r.result)) {
      f.kind = baseline_finding_kind::new_problem;
      f.explanation = actual + ", not in the baseline";
    } else if (pinned.unlisted == unlisted_policy::pass && r.result != verdict::pass) {
      f.kind = baseline_finding_kind::stale;
      f.expected = verdict::pass;
      f.explanation =
          actual + ", not in the baseline, which expects every unlisted scenario to pass";
    } else {
      continue;
    }
    if (f.kind == baseline_finding_kind::new_problem) {
      if (r.result == verdict::fail) ++c.new_fail;
      if (r.result == verdict::timeout) ++c.new_timeout;
      if (r.result == verdict::error) ++c.new_error;
    }
    c.findings.push_back(std::move(f));
  }
  for (const auto& [id, e] : pinned.expect) {
    if (ran.contains(id)) continue;
    if (existing_ids.contains(id)) {
      ++c.not_run;
      continue;
    }
    baseline_finding f;
    f.kind = baseline_finding_kind::stale;
    f.id = id;
    f.expected = e.expected;
    f.note = e.note;
    f.explanation = "no such scenario any more: remove the entry";
    c.findings.push_back(std::move(f));
  }
  return c;
}

std::string format_baseline_comparison(const baseline_comparison& c) {
  auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string out = "baseline " + c.source + ": " + std::to_string(c.matched) + " as pinned";
  if (c.known_problems)
    out += " (" + plural(c.known_problems, "known problem", "known problems") + ")";
  out += ", " + plural(c.new_problems(), "new problem", "new problems") + ", " +
         std::to_string(c.stale()) + " stale";
  if (c.not_run) out += ", " + std::to_string(c.not_run) + " not run";
  out += "\n";
  for (const auto& f : c.findings) {
    bool stale = f.kind == baseline_finding_kind::stale;
    out += std::string(stale ? "  STALE  " : "  NEW    ") + f.id + ": " + f.explanation;
    if (!f.note.empty()) out += " (note: " + f.note + ")";
    if (!f.reason.empty() && f.actual && *f.actual != verdict::pass) out += "; " + f.reason;
    out += "\n";
  }
  if (c.stale())
    out +=
        "  The baseline is stale: update or remove the entries marked STALE (exit code 4 when "
        "nothing else failed).\n";
  return out;
}

}  // namespace popspec::harness
