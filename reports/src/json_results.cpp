#include "popspec/reports/json_results.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <ostream>
#include <utility>

#include "popspec/reports/errc.hpp"
#include "popspec/reports/escape.hpp"

namespace popspec::reports {
namespace {
using harness::direction;
using harness::requirement_level;
using harness::verdict;
using nlohmann::json;

// Results files are written by popspec; anything this large is not one and would only exhaust
// memory.
constexpr std::uintmax_t max_results_file_size = std::uintmax_t{512} << 20;

constexpr std::array<std::pair<direction, std::string_view>, 3> direction_names{{
    {direction::client_to_server, "client_to_server"},
    {direction::server_to_client, "server_to_client"},
    {direction::event, "event"},
}};

constexpr std::array<requirement_level, 5> all_levels{
    requirement_level::must, requirement_level::must_not, requirement_level::should,
    requirement_level::should_not, requirement_level::may};

std::string_view direction_name(direction d) {
  for (const auto& [id, name] : direction_names)
    if (id == d) return name;
  return "event";
}

// NaN and infinities have no JSON form (nlohmann would write null, which would not read back).
double finite(double v) {
  return std::isfinite(v) ? v : 0.0;
}

// The builders are templates so that to_json can return nlohmann::json (what callers pass around)
// while write_json writes nlohmann::ordered_json: the same document, with its members in an order
// people can read (summary before scenarios, the verdict next to the id, the transcript last).
template <typename Json>
Json string_list(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(valid_utf8(item));
  return out;
}

template <typename Json>
Json summary_json(const harness::run_summary& s) {
  return Json{{"pass", s.pass},
              {"fail", s.fail},
              {"non_strict", s.non_strict},
              {"unsupported", s.unsupported},
              {"skipped", s.skipped},
              {"timeout", s.timeout},
              {"error", s.error},
              {"total", s.total}};
}

template <typename Json>
Json metadata_json(const harness::run_metadata& m) {
  Json options = Json::object();
  for (const auto& [key, value] : m.options) options[valid_utf8(key)] = valid_utf8(value);
  return Json{{"popspec_version", valid_utf8(m.popspec_version)},
              {"target", valid_utf8(m.target)},
              {"protocol", valid_utf8(m.protocol)},
              {"profile", valid_utf8(m.profile)},
              {"selection", string_list<Json>(m.selection)},
              {"exclude", string_list<Json>(m.exclude)},
              {"started_at", valid_utf8(m.started_at)},
              {"duration_ms", finite(m.duration_ms)},
              {"options", std::move(options)}};
}

template <typename Json>
Json scenario_json(const harness::scenario_result& s) {
  Json requirements = Json::array();
  for (const auto& r : s.requirements)
    requirements.push_back(Json{{"id", valid_utf8(r.id)},
                                {"level", harness::to_string(r.level)},
                                {"rfc", valid_utf8(r.rfc)},
                                {"section", valid_utf8(r.section)},
                                {"sentence", valid_utf8(r.sentence)}});
  Json failure = nullptr;
  if (s.failure)
    failure = Json{{"step_index", s.failure->step_index},
                   {"location", valid_utf8(s.failure->location)},
                   {"expected", valid_utf8(s.failure->expected)},
                   {"actual", valid_utf8(s.failure->actual)}};
  Json differences = Json::array();
  for (const auto& d : s.differences)
    differences.push_back(Json{{"step_index", d.step_index},
                               {"location", valid_utf8(d.location)},
                               {"description", valid_utf8(d.description)},
                               {"target", valid_utf8(d.target)},
                               {"reference", valid_utf8(d.reference)}});
  Json transcript = Json::array();
  for (const auto& t : s.transcript) {
    Json entry{{"direction", direction_name(t.dir)},
               {"connection", valid_utf8(t.connection)},
               {"at_ms", finite(t.at_ms)},
               {"data", escape_octets(t.bytes)}};
    if (t.step_index) entry["step_index"] = *t.step_index;
    transcript.push_back(std::move(entry));
  }
  return Json{{"id", valid_utf8(s.id)},
              {"title", valid_utf8(s.title)},
              {"verdict", harness::to_string(s.result)},
              {"reason", valid_utf8(s.reason)},
              {"file", valid_utf8(s.file)},
              {"group", valid_utf8(s.group)},
              {"protocol", valid_utf8(s.protocol)},
              {"duration_ms", finite(s.duration_ms)},
              {"destructive", s.destructive},
              {"requirements", std::move(requirements)},
              {"failure", std::move(failure)},
              {"differences", std::move(differences)},
              {"transcript", std::move(transcript)}};
}

template <typename Json>
Json document_json(const harness::run_results& results) {
  Json scenarios = Json::array();
  for (const auto& s : results.scenarios) scenarios.push_back(scenario_json<Json>(s));
  return Json{{"$schema", results_schema_id},
              {"schema_version", results_schema_version},
              {"metadata", metadata_json<Json>(results.meta)},
              {"summary", summary_json<Json>(results.summary)},
              {"scenarios", std::move(scenarios)}};
}

// Reads typed members out of JSON objects, remembering the first problem with its JSON pointer.
class reader {
 public:
  explicit reader(std::string& error) : error_(error) {}

  bool failed() const { return code_ != errc{}; }
  errc code() const { return code_; }

  bool fail(const std::string& path, const std::string& message,
            errc code = errc::invalid_results) {
    if (!failed()) {
      code_ = code;
      error_ = (path.empty() ? std::string("/") : path) + ": " + message;
    }
    return false;
  }

  // The member `key` of object `obj` (at `path`), or nullptr; missing and required is an error.
  const json* member(const json& obj, const std::string& path, const char* key, bool required) {
    if (failed()) return nullptr;
    const auto it = obj.find(key);
    if (it == obj.end() || (!required && it->is_null())) {
      if (required) fail(path, std::string("missing member \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }

  bool object_at(const json& value, const std::string& path) {
    return value.is_object() || fail(path, "expected an object");
  }

  bool array_at(const json& value, const std::string& path) {
    return value.is_array() || fail(path, "expected an array");
  }

  bool string(const json& obj, const std::string& path, const char* key, std::string& out,
              bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v) return !failed();
    if (!v->is_string()) return fail(path + "/" + key, "expected a string");
    out = v->get_ref<const std::string&>();
    return true;
  }

  bool number(const json& obj, const std::string& path, const char* key, double& out,
              bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v) return !failed();
    if (!v->is_number() || v->get<double>() < 0)
      return fail(path + "/" + key, "expected a non-negative number");
    out = v->get<double>();
    return true;
  }

  bool count(const json& obj, const std::string& path, const char* key, std::size_t& out,
             bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v) return !failed();
    // Parsed non-negative integers are "unsigned"; built ones (j["n"] = 3) are "integer".
    const bool non_negative =
        v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0);
    if (!non_negative) return fail(path + "/" + key, "expected a non-negative integer");
    out = v->get<std::size_t>();
    return true;
  }

  bool boolean(const json& obj, const std::string& path, const char* key, bool& out,
               bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v) return !failed();
    if (!v->is_boolean()) return fail(path + "/" + key, "expected true or false");
    out = v->get<bool>();
    return true;
  }

  bool strings(const json& obj, const std::string& path, const char* key,
               std::vector<std::string>& out, bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v) return !failed();
    const std::string here = path + "/" + key;
    if (!array_at(*v, here)) return false;
    out.clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) return fail(here + "/" + std::to_string(i), "expected a string");
      out.push_back((*v)[i].get<std::string>());
    }
    return true;
  }

 private:
  std::string& error_;
  errc code_{};
};

bool read_metadata(reader& r, const json& m, const std::string& path, harness::run_metadata& out) {
  if (!r.object_at(m, path)) return false;
  r.string(m, path, "popspec_version", out.popspec_version, false);
  r.string(m, path, "target", out.target);
  r.string(m, path, "protocol", out.protocol);
  r.string(m, path, "profile", out.profile, false);
  r.strings(m, path, "selection", out.selection, false);
  r.strings(m, path, "exclude", out.exclude, false);
  r.string(m, path, "started_at", out.started_at, false);
  r.number(m, path, "duration_ms", out.duration_ms, false);
  if (const json* options = r.member(m, path, "options", false)) {
    if (!r.object_at(*options, path + "/options")) return false;
    for (const auto& [key, value] : options->items()) {
      if (!value.is_string()) return r.fail(path + "/options/" + key, "expected a string");
      out.options[key] = value.get<std::string>();
    }
  }
  return !r.failed();
}

bool read_summary(reader& r, const json& s, const std::string& path, harness::run_summary& out) {
  if (!r.object_at(s, path)) return false;
  r.count(s, path, "pass", out.pass);
  r.count(s, path, "fail", out.fail);
  r.count(s, path, "non_strict", out.non_strict);
  r.count(s, path, "unsupported", out.unsupported);
  r.count(s, path, "skipped", out.skipped);
  r.count(s, path, "timeout", out.timeout);
  r.count(s, path, "error", out.error);
  r.count(s, path, "total", out.total);
  return !r.failed();
}

bool read_requirement(reader& r, const json& j, const std::string& path,
                      harness::requirement_ref& out) {
  if (!r.object_at(j, path)) return false;
  std::string level;
  r.string(j, path, "id", out.id);
  r.string(j, path, "level", level);
  r.string(j, path, "rfc", out.rfc, false);
  r.string(j, path, "section", out.section, false);
  r.string(j, path, "sentence", out.sentence, false);
  if (r.failed()) return false;
  for (const auto l : all_levels)
    if (harness::to_string(l) == level) {
      out.level = l;
      return true;
    }
  return r.fail(path + "/level", "unknown requirement level \"" + level + "\"");
}

bool read_transcript_entry(reader& r, const json& j, const std::string& path,
                           harness::transcript_entry& out) {
  if (!r.object_at(j, path)) return false;
  std::string dir, data;
  r.string(j, path, "direction", dir);
  r.string(j, path, "connection", out.connection, false);
  r.number(j, path, "at_ms", out.at_ms, false);
  r.string(j, path, "data", data);
  if (j.contains("step_index")) {
    std::size_t step = 0;
    if (r.count(j, path, "step_index", step)) out.step_index = step;
  }
  if (r.failed()) return false;
  bool known = false;
  for (const auto& [id, name] : direction_names)
    if (name == dir) out.dir = id, known = true;
  if (!known) return r.fail(path + "/direction", "unknown direction \"" + dir + "\"");
  auto bytes = unescape_octets(data);
  if (!bytes)
    return r.fail(path + "/data", "malformed escape (expected \\\\, \\r, \\n, \\t or \\xNN)");
  out.bytes = std::move(*bytes);
  return true;
}

bool read_failure(reader& r, const json& j, const std::string& path, harness::step_failure& out) {
  if (!r.object_at(j, path)) return false;
  r.count(j, path, "step_index", out.step_index);
  r.string(j, path, "location", out.location, false);
  r.string(j, path, "expected", out.expected, false);
  r.string(j, path, "actual", out.actual, false);
  return !r.failed();
}

bool read_difference(reader& r, const json& j, const std::string& path,
                     harness::reference_difference& out) {
  if (!r.object_at(j, path)) return false;
  r.count(j, path, "step_index", out.step_index);
  r.string(j, path, "location", out.location, false);
  r.string(j, path, "description", out.description, false);
  r.string(j, path, "target", out.target, false);
  r.string(j, path, "reference", out.reference, false);
  return !r.failed();
}

// Reads the array member `key` of `obj`, one element at a time with `read_one`.
template <typename T, typename ReadOne>
bool read_array(reader& r, const json& obj, const std::string& path, const char* key,
                std::vector<T>& out, ReadOne read_one) {
  const json* v = r.member(obj, path, key, false);
  if (!v) return !r.failed();
  const std::string here = path + "/" + key;
  if (!r.array_at(*v, here)) return false;
  out.clear();
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    T item;
    if (!read_one(r, (*v)[i], here + "/" + std::to_string(i), item)) return false;
    out.push_back(std::move(item));
  }
  return true;
}

bool read_scenario(reader& r, const json& j, const std::string& path,
                   harness::scenario_result& out) {
  if (!r.object_at(j, path)) return false;
  std::string verdict_name;
  r.string(j, path, "id", out.id);
  r.string(j, path, "title", out.title, false);
  r.string(j, path, "file", out.file, false);
  r.string(j, path, "group", out.group, false);
  r.string(j, path, "protocol", out.protocol, false);
  read_array(r, j, path, "requirements", out.requirements, read_requirement);
  r.string(j, path, "verdict", verdict_name);
  r.string(j, path, "reason", out.reason, false);
  r.number(j, path, "duration_ms", out.duration_ms, false);
  r.boolean(j, path, "destructive", out.destructive, false);
  read_array(r, j, path, "transcript", out.transcript, read_transcript_entry);
  if (const json* f = r.member(j, path, "failure", false)) {
    harness::step_failure failure;
    if (read_failure(r, *f, path + "/failure", failure)) out.failure = std::move(failure);
  }
  read_array(r, j, path, "differences", out.differences, read_difference);
  if (r.failed()) return false;
  const auto v = harness::verdict_from_string(verdict_name);
  if (!v) return r.fail(path + "/verdict", "unknown verdict \"" + verdict_name + "\"");
  out.result = *v;
  return true;
}

std::string describe_counts(const harness::run_summary& s) {
  return "pass " + std::to_string(s.pass) + ", fail " + std::to_string(s.fail) + ", non_strict " +
         std::to_string(s.non_strict) + ", unsupported " + std::to_string(s.unsupported) +
         ", skipped " + std::to_string(s.skipped) + ", timeout " + std::to_string(s.timeout) +
         ", error " + std::to_string(s.error) + ", total " + std::to_string(s.total);
}

bool same_counts(const harness::run_summary& a, const harness::run_summary& b) {
  return a.pass == b.pass && a.fail == b.fail && a.non_strict == b.non_strict &&
         a.unsupported == b.unsupported && a.skipped == b.skipped && a.timeout == b.timeout &&
         a.error == b.error && a.total == b.total;
}
}  // namespace

json to_json(const harness::run_results& results) {
  return document_json<json>(results);
}

std::error_code from_json(const json& document, harness::run_results& out, std::string& error) {
  out = harness::run_results{};
  harness::run_results read;
  reader r(error);
  if (!r.object_at(document, "")) return r.code();
  const json* version = r.member(document, "", "schema_version", true);
  if (!version) return r.code();
  if (!version->is_number_integer()) {
    r.fail("/schema_version", "expected an integer");
    return r.code();
  }
  if (version->get<std::int64_t>() != results_schema_version) {
    r.fail("/schema_version",
           "unsupported schema_version " + version->dump() + " (this popspec reads " +
               std::to_string(results_schema_version) + ")",
           errc::unsupported_version);
    return r.code();
  }
  if (const json* m = r.member(document, "", "metadata", true))
    read_metadata(r, *m, "/metadata", read.meta);
  if (const json* s = r.member(document, "", "summary", true))
    read_summary(r, *s, "/summary", read.summary);
  if (r.member(document, "", "scenarios", true))
    read_array(r, document, "", "scenarios", read.scenarios, read_scenario);
  if (r.failed()) return r.code();
  harness::run_summary recount;
  for (const auto& s : read.scenarios) recount.count(s.result);
  if (!same_counts(recount, read.summary)) {
    r.fail("/summary",
           "counts (" + describe_counts(read.summary) + ") disagree with the scenarios (" +
               describe_counts(recount) + ")",
           errc::inconsistent_summary);
    return r.code();
  }
  out = std::move(read);
  error.clear();
  return {};
}

void write_json(const harness::run_results& results, std::ostream& out) {
  // Every string is already valid UTF-8; `replace` only guards against a future field that forgets.
  out << document_json<nlohmann::ordered_json>(results).dump(
             2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
      << '\n';
}

std::error_code parse_results(std::string_view text, harness::run_results& out,
                              std::string& error) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    std::string message = e.what();
    if (const auto end = message.find("] ");
        message.starts_with("[json") && end != std::string::npos)
      message.erase(0, end + 2);
    error = "not JSON: " + message;
    out = harness::run_results{};
    return errc::not_json;
  }
  return from_json(document, out, error);
}

std::error_code read_results_file(const std::filesystem::path& file, harness::run_results& out,
                                  std::string& error) {
  out = harness::run_results{};
  const std::string name = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    error = "cannot read " + name + ": is a directory";
    return errc::cannot_read;
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(name.c_str(), "rb"),
                                                          &std::fclose);
  if (!f) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return errc::cannot_read;
  }
  std::string text;
  std::array<char, 65536> buffer;
  while (true) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    text.append(buffer.data(), n);
    if (text.size() > max_results_file_size) {
      error = name + ": larger than " + std::to_string(max_results_file_size >> 20) +
              " MiB, not a results file";
      return errc::invalid_results;
    }
    if (n < buffer.size()) break;
  }
  if (std::ferror(f.get())) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return errc::cannot_read;
  }
  const std::error_code result = parse_results(text, out, error);
  if (result) error = name + ": " + error;
  return result;
}

}  // namespace popspec::reports
