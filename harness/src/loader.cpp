#include "popspec/harness/loader.hpp"

#include <algorithm>
#include <boost/regex.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "popspec/harness/json_source.hpp"
#include "popspec/harness/variables.hpp"

namespace popspec::harness {

std::string source_location::str() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  return s;
}

std::string load_error::str() const {
  return where.str() + ": " + message;
}

std::string_view to_string(protocol_kind p) {
  return p == protocol_kind::pop3 ? "pop3" : "pop2";
}

std::string_view to_string(step_kind k) {
  switch (k) {
    case step_kind::connect:
      return "connect";
    case step_kind::login:
      return "login";
    case step_kind::send:
      return "send";
    case step_kind::send_raw:
      return "send_raw";
    case step_kind::expect:
      return "expect";
    case step_kind::close:
      return "close";
    case step_kind::drop:
      return "drop";
    case step_kind::sleep:
      return "sleep_ms";
  }
  return "send";
}

std::string_view to_string(fixture_need f) {
  switch (f) {
    case fixture_need::any:
      return "any";
    case fixture_need::standard:
      return "standard";
    case fixture_need::none:
      return "none";
  }
  return "any";
}

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Keyword and argument count of a command line ("LIST 1" -> "LIST", 1).
std::pair<std::string, std::size_t> split_command(std::string_view line) {
  std::size_t sp = line.find(' ');
  std::string keyword = upper(line.substr(0, sp));
  std::size_t args = 0;
  if (sp != std::string_view::npos) {
    std::string_view rest = line.substr(sp);
    bool in_word = false;
    for (char c : rest) {
      if (c != ' ' && !in_word) ++args;
      in_word = c != ' ';
    }
  }
  return {keyword, args};
}

}  // namespace

bool pop3_command_is_multiline(std::string_view command_line) {
  auto [keyword, args] = split_command(command_line);
  if (keyword == "RETR" || keyword == "TOP" || keyword == "CAPA") return true;
  if (keyword == "LIST" || keyword == "UIDL") return args == 0;
  return false;
}

namespace {

constexpr std::string_view pop3_needs[] = {
    "USER",           "APOP", "TOP",    "UIDL",        "CAPA",           "PIPELINING", "RESP-CODES",
    "AUTH-RESP-CODE", "LAST", "EXPIRE", "LOGIN-DELAY", "IMPLEMENTATION", "SASL"};
constexpr std::string_view pop2_needs[] = {"FOLD"};
constexpr std::string_view pop3_profiles[] = {"rfc1225", "rfc1939"};
constexpr std::string_view pop2_profiles[] = {"rfc937"};
constexpr std::uint64_t max_timeout_ms = 600000;
constexpr std::uint64_t max_sleep_ms = 3600000;
constexpr std::uint64_t max_raw_octets = 16u * 1024 * 1024;

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

template <typename Range>
bool contains(const Range& r, std::string_view s) {
  return std::find(std::begin(r), std::end(r), s) != std::end(r);
}

bool valid_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return s.front() != '-' && s.back() != '-';
}

bool valid_connection_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

// UTF-8 (from JSON) to octets: U+0000..U+00FF become one octet each.
bool to_octets(const std::string& utf8, std::string& out, std::string& error) {
  out.clear();
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    cp = len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
    if (cp > 0xFF) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      error = std::string("character ") + buf +
              " is not one octet (wire text is octets: write \\u0000 to \\u00ff)";
      return false;
    }
    out += static_cast<char>(cp);
    i += len;
  }
  return true;
}

// What a JSON value is, for messages.
std::string type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

class file_loader {
 public:
  file_loader(const json_document& doc, std::string display, std::string relative,
              const requirement_catalog& catalog, const loader_options& options,
              load_result& result)
      : doc_(doc),
        display_(std::move(display)),
        relative_(std::move(relative)),
        catalog_(catalog),
        options_(options),
        result_(result) {}

  void run() {
    const auto& root = doc_.value;
    context_ = "";
    if (!root.is_object()) {
      error_at_value("",
                     "expected an object with \"group\", \"protocol\" and \"scenarios\", found " +
                         type_name(root));
      return;
    }
    check_keys(root, "", {"$schema", "group", "protocol", "description", "scenarios"});
    std::string expected_group = relative_.substr(0, relative_.size() - 5);  // drop ".json"
    auto group = require_string(root, "", "group");
    if (group && *group != expected_group)
      error_at_value("/group", "group \"" + *group +
                                   "\" does not match the file's path (expected \"" +
                                   expected_group + "\")");
    group_ = expected_group;
    auto proto = require_string(root, "", "protocol");
    if (proto) {
      if (*proto == "pop3")
        protocol_ = protocol_kind::pop3;
      else if (*proto == "pop2")
        protocol_ = protocol_kind::pop2;
      else {
        error_at_value("/protocol", "unknown protocol \"" + *proto + "\" (expected pop3 or pop2)");
        return;
      }
    } else {
      return;
    }
    optional_string(root, "", "description");
    optional_string(root, "", "$schema");
    if (!root.contains("scenarios")) {
      error_at_value("", "missing key \"scenarios\" (an array of scenarios)");
      return;
    }
    const auto& list = root["scenarios"];
    if (!list.is_array() || list.empty()) {
      error_at_value("/scenarios", "\"scenarios\" must be a non-empty array");
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::size_t before = result_.errors.size();
      scenario s;
      if (load_scenario(list[i], pointer_append("/scenarios", i), i, s)) {
        if (!ids.insert(s.local_id).second) {
          error_at_value(pointer_append("/scenarios", i) + "/id",
                         "duplicate scenario id \"" + s.local_id + "\" in this file");
        } else if (result_.errors.size() == before) {
          result_.scenarios.push_back(std::move(s));
        }
      }
    }
  }

 private:
  // ---- error reporting ----------------------------------------------------------------------

  source_location loc(source_position p) const { return {display_, p.line, p.column}; }

  void add_error(source_position p, std::string message) {
    if (result_.errors.size() >= options_.max_errors) return;
    if (!context_.empty()) message += " " + context_;
    result_.errors.push_back({loc(p), std::move(message)});
  }
  void error_at_value(const std::string& pointer, std::string message) {
    add_error(doc_.value_at(pointer), std::move(message));
  }
  void error_at_key(const std::string& pointer, std::string message) {
    add_error(doc_.key_at(pointer), std::move(message));
  }

  // ---- typed access -------------------------------------------------------------------------

  void check_keys(const nlohmann::json& obj, const std::string& pointer,
                  std::vector<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
      if (contains(allowed, key)) continue;
      std::vector<std::string_view> sorted = allowed;
      std::sort(sorted.begin(), sorted.end());
      error_at_key(pointer_append(pointer, key),
                   "unknown key \"" + key + "\" (expected one of: " + join(sorted) + ")");
    }
  }

  std::optional<std::string> require_string(const nlohmann::json& obj, const std::string& pointer,
                                            std::string_view key) {
    if (!obj.contains(key)) {
      error_at_value(pointer, "missing key \"" + std::string(key) + "\" (a string)");
      return std::nullopt;
    }
    return optional_string(obj, pointer, key);
  }

  std::optional<std::string> optional_string(const nlohmann::json& obj, const std::string& pointer,
                                             std::string_view key) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_string()) {
      error_at_value(pointer_append(pointer, key),
                     "\"" + std::string(key) + "\" must be a string, found " + type_name(*it));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<bool> optional_bool(const nlohmann::json& obj, const std::string& pointer,
                                    std::string_view key) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_boolean()) {
      error_at_value(pointer_append(pointer, key),
                     "\"" + std::string(key) + "\" must be true or false, found " + type_name(*it));
      return std::nullopt;
    }
    return it->get<bool>();
  }

  std::optional<std::uint64_t> optional_uint(const nlohmann::json& obj, const std::string& pointer,
                                             std::string_view key, std::uint64_t min,
                                             std::uint64_t max) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
      error_at_value(pointer_append(pointer, key),
                     "\"" + std::string(key) + "\" must be a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max) + ", found " +
                         (it->is_number() ? it->dump() : type_name(*it)));
      return std::nullopt;
    }
    auto v = it->get<std::uint64_t>();
    if (v < min || v > max) {
      error_at_value(pointer_append(pointer, key),
                     "\"" + std::string(key) + "\" must be from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", found " + std::to_string(v));
      return std::nullopt;
    }
    return v;
  }

  // An octet-string template; checks ${...} syntax and that every variable is defined.
  std::optional<text_template> octet_template(const nlohmann::json& value,
                                              const std::string& pointer, std::string_view what,
                                              const std::set<std::string>& extra_defined = {}) {
    if (!value.is_string()) {
      error_at_value(pointer, std::string(what) + " must be a string, found " + type_name(value));
      return std::nullopt;
    }
    std::string octets, why;
    if (!to_octets(value.get<std::string>(), octets, why)) {
      error_at_value(pointer, std::string(what) + ": " + why);
      return std::nullopt;
    }
    if (!check_variables(octets, pointer, what, extra_defined)) return std::nullopt;
    return text_template{octets};
  }

  bool check_variables(const std::string& text, const std::string& pointer, std::string_view what,
                       const std::set<std::string>& extra_defined) {
    auto scan = scan_template(text);
    if (!scan.error.empty()) {
      error_at_value(pointer, std::string(what) + ": " + scan.error);
      return false;
    }
    bool ok = true;
    for (const auto& name : scan.names) {
      note_account_use(name);
      if (name == "len" && protocol_ != protocol_kind::pop2) {
        error_at_value(pointer, std::string(what) + ": ${len} exists only in POP2 scenarios");
        ok = false;
      } else if (!is_builtin_variable(name) && !defined_.count(name) &&
                 !extra_defined.count(name)) {
        error_at_value(pointer, std::string(what) + ": unknown variable ${" + name +
                                    "} (not a built-in and not captured by an earlier `match`)");
        ok = false;
      }
    }
    return ok;
  }

  void note_account_use(std::string_view name) {
    if (name == "user" || name == "pass" || name == "apop_digest") accounts_.insert("user");
    if (name == "user2" || name == "pass2") accounts_.insert("user2");
  }

  std::optional<number_template> number_value(const nlohmann::json& obj, const std::string& pointer,
                                              std::string_view key,
                                              const std::set<std::string>& extra_defined) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    std::string member = pointer_append(pointer, key);
    if (it->is_number_unsigned() || (it->is_number_integer() && it->get<std::int64_t>() >= 0))
      return number_template{{std::to_string(it->get<std::uint64_t>())}};
    if (it->is_string()) {
      auto t = octet_template(*it, member, "\"" + std::string(key) + "\"", extra_defined);
      if (!t) return std::nullopt;
      if (scan_template(t->text).names.empty()) {
        error_at_value(member, "\"" + std::string(key) +
                                   "\" must be a whole number or a \"${variable}\" string");
        return std::nullopt;
      }
      return number_template{*t};
    }
    error_at_value(member, "\"" + std::string(key) +
                               "\" must be a whole number or a \"${variable}\" string, found " +
                               type_name(*it));
    return std::nullopt;
  }

  std::optional<std::vector<text_template>> line_list(const nlohmann::json& obj,
                                                      const std::string& pointer,
                                                      std::string_view key,
                                                      const std::set<std::string>& extra) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    std::string member = pointer_append(pointer, key);
    if (!it->is_array()) {
      error_at_value(member, "\"" + std::string(key) +
                                 "\" must be an array of strings (lines "
                                 "without CRLF)");
      return std::nullopt;
    }
    std::vector<text_template> lines;
    bool ok = true;
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto t = octet_template((*it)[i], pointer_append(member, i), "a line", extra);
      if (!t) {
        ok = false;
        continue;
      }
      if (t->text.find_first_of("\r\n") != std::string::npos) {
        error_at_value(pointer_append(member, i), "a line must not contain CR or LF");
        ok = false;
        continue;
      }
      lines.push_back(*t);
    }
    if (!ok) return std::nullopt;
    return lines;
  }

  // A regex template: must compile once every ${...} is replaced by a literal.
  std::optional<text_template> regex_value(const nlohmann::json& obj, const std::string& pointer,
                                           std::string_view key,
                                           const std::set<std::string>& extra) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    return regex_at(*it, pointer_append(pointer, key), "\"" + std::string(key) + "\"", extra);
  }

  // A regex template at `member` (the value itself), compiled once to report syntax errors.
  std::optional<text_template> regex_at(const nlohmann::json& value, const std::string& member,
                                        const std::string& what,
                                        const std::set<std::string>& extra) {
    auto t = octet_template(value, member, what, extra);
    if (!t) return std::nullopt;
    variable_map probe;
    for (const auto& name : scan_template(t->text).names) probe[name] = "x";
    auto expanded = expand(t->text, probe, true);
    try {
      boost::regex re(expanded.text, boost::regex::perl);
      (void)re;
    } catch (const boost::regex_error& e) {
      error_at_value(member, "invalid regular expression: " + std::string(e.what()));
      return std::nullopt;
    }
    return t;
  }

  // ---- scenario -----------------------------------------------------------------------------

  bool load_scenario(const nlohmann::json& v, const std::string& pointer, std::size_t index,
                     scenario& s) {
    context_ = "in scenario #" + std::to_string(index + 1);
    if (!v.is_object()) {
      error_at_value(pointer, "a scenario must be an object, found " + type_name(v));
      return false;
    }
    check_keys(v, pointer,
               {"id", "title", "protocol", "requirements", "profiles", "needs", "fixture",
                "destructive", "steps", "comment"});
    optional_string(v, pointer, "comment");
    auto id = require_string(v, pointer, "id");
    if (id && !valid_id(*id)) {
      error_at_value(pointer + "/id", "scenario id \"" + *id +
                                          "\" must be lower-case letters, digits and inner '-'");
      id.reset();
    }
    if (id) context_ = "in scenario \"" + *id + "\"";
    s.local_id = id.value_or("");
    s.group = group_;
    s.id = group_ + "/" + s.local_id;
    s.file = relative_;
    s.where = loc(doc_.value_at(pointer));
    s.protocol = protocol_;
    auto title = require_string(v, pointer, "title");
    if (title && title->empty()) error_at_value(pointer + "/title", "\"title\" must not be empty");
    s.title = title.value_or("");
    if (auto p = optional_string(v, pointer, "protocol"); p && *p != to_string(protocol_))
      error_at_value(pointer + "/protocol", "protocol \"" + *p + "\" differs from the file's \"" +
                                                std::string(to_string(protocol_)) + "\"");

    // requirements
    if (!v.contains("requirements")) {
      error_at_value(pointer,
                     "missing key \"requirements\" (requirement IDs from requirements.json)");
    } else if (const auto& reqs = v["requirements"]; !reqs.is_array() || reqs.empty()) {
      error_at_value(pointer + "/requirements",
                     "\"requirements\" must be a non-empty array of "
                     "requirement IDs");
    } else {
      for (std::size_t i = 0; i < reqs.size(); ++i) {
        std::string rp = pointer_append(pointer + "/requirements", i);
        if (!reqs[i].is_string()) {
          error_at_value(rp, "a requirement ID must be a string");
          continue;
        }
        auto rid = reqs[i].get<std::string>();
        const requirement* r = catalog_.find(rid);
        if (!r) {
          error_at_value(rp, "unknown requirement ID \"" + rid + "\" (not in requirements.json)");
          continue;
        }
        bool proto_ok = protocol_ == protocol_kind::pop2 ? rid.rfind("POP2-", 0) == 0
                                                         : rid.rfind("POP3-", 0) == 0;
        if (!proto_ok) error_at_value(rp, "requirement " + rid + " belongs to the other protocol");
        if (contains(s.requirements, rid))
          error_at_value(rp, "requirement " + rid + " is listed twice");
        s.requirements.push_back(rid);
      }
    }

    // profiles
    const auto& allowed_profiles =
        protocol_ == protocol_kind::pop3
            ? std::vector<std::string_view>(std::begin(pop3_profiles), std::end(pop3_profiles))
            : std::vector<std::string_view>(std::begin(pop2_profiles), std::end(pop2_profiles));
    s.profiles = string_list(v, pointer, "profiles", allowed_profiles, false);
    if (!v.contains("profiles"))
      for (auto p : allowed_profiles) s.profiles.emplace_back(p);
    const auto& allowed_needs =
        protocol_ == protocol_kind::pop3
            ? std::vector<std::string_view>(std::begin(pop3_needs), std::end(pop3_needs))
            : std::vector<std::string_view>(std::begin(pop2_needs), std::end(pop2_needs));
    s.needs = string_list(v, pointer, "needs", allowed_needs, true);

    if (auto f = optional_string(v, pointer, "fixture")) {
      if (*f == "standard")
        s.fixture = fixture_need::standard;
      else if (*f == "any")
        s.fixture = fixture_need::any;
      else if (*f == "none")
        s.fixture = fixture_need::none;
      else
        error_at_value(pointer + "/fixture",
                       "unknown fixture \"" + *f + "\" (expected one of: any, none, standard)");
    }
    fixture_ = s.fixture;
    s.destructive = optional_bool(v, pointer, "destructive").value_or(false);

    // steps
    defined_.clear();
    open_.clear();
    accounts_.clear();
    sends_deletion_ = {};
    if (!v.contains("steps")) {
      error_at_value(pointer, "missing key \"steps\" (a non-empty array)");
      return false;
    }
    const auto& steps = v["steps"];
    if (!steps.is_array() || steps.empty()) {
      error_at_value(pointer + "/steps", "\"steps\" must be a non-empty array");
      return false;
    }
    std::string scenario_context = context_;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      context_ = "in step " + std::to_string(i + 1) + " of " + scenario_context.substr(3);
      step st;
      if (load_step(steps[i], pointer_append(pointer + "/steps", i), st))
        s.steps.push_back(std::move(st));
    }
    context_ = scenario_context;
    if (sends_deletion_ && !s.destructive)
      error_at_value(sends_deletion_->first,
                     "sends " + sends_deletion_->second +
                         " but is not marked \"destructive\": true (it may change the maildrop)");
    s.accounts = accounts_;
    return true;
  }

  std::vector<std::string> string_list(const nlohmann::json& v, const std::string& pointer,
                                       std::string_view key,
                                       const std::vector<std::string_view>& allowed,
                                       bool allow_empty) {
    std::vector<std::string> out;
    auto it = v.find(key);
    if (it == v.end()) return out;
    std::string member = pointer_append(pointer, key);
    if (!it->is_array() || (!allow_empty && it->empty())) {
      error_at_value(member, "\"" + std::string(key) + "\" must be " +
                                 (allow_empty ? "an array" : "a non-empty array") +
                                 " of strings from: " + join(allowed));
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& item = (*it)[i];
      if (!item.is_string() || !contains(allowed, item.get<std::string>())) {
        error_at_value(pointer_append(member, i), "unknown " + std::string(key) + " value " +
                                                      item.dump() + " for protocol " +
                                                      std::string(to_string(protocol_)) +
                                                      " (expected one of: " + join(allowed) + ")");
        continue;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // ---- steps --------------------------------------------------------------------------------

  std::string connection_for(const nlohmann::json& v, const std::string& pointer) {
    if (auto on = optional_string(v, pointer, "on")) {
      if (!contains(open_, *on)) {
        error_at_value(pointer + "/on", "connection \"" + *on + "\" is not open here" +
                                            (open_.empty() ? " (no connection is open)"
                                                           : " (open: " + open_list() + ")"));
        return "";
      }
      return *on;
    }
    if (open_.empty()) {
      error_at_value(pointer, "no connection is open here (add a \"connect\" step first)");
      return "";
    }
    return open_.back();
  }

  std::string open_list() const {
    std::string out;
    for (const auto& c : open_) out += (out.empty() ? "" : ", ") + c;
    return out;
  }

  void note_deletion(const std::string& text, const std::string& pointer) {
    if (sends_deletion_) return;
    std::string word = protocol_ == protocol_kind::pop3 ? "DELE" : "ACKD";
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (upper(line.substr(0, word.size())) == word) {
        sends_deletion_ = std::make_pair(pointer, word);
        return;
      }
    }
  }

  bool load_step(const nlohmann::json& v, const std::string& pointer, step& st) {
    st.where = loc(doc_.value_at(pointer));
    if (!v.is_object()) {
      error_at_value(pointer, "a step must be an object, found " + type_name(v));
      return false;
    }
    static constexpr std::string_view kinds[] = {"connect", "login", "send",    "send_raw",
                                                 "close",   "drop",  "sleep_ms"};
    std::vector<std::string_view> present;
    for (auto k : kinds)
      if (v.contains(k)) present.push_back(k);
    if (present.size() > 1) {
      error_at_value(pointer, "a step does one thing, but this one has " + join(present));
      return false;
    }
    std::string kind =
        present.empty() ? (v.contains("expect") ? "expect" : "") : std::string(present[0]);
    if (kind.empty()) {
      std::vector<std::string> keys;
      for (const auto& [key, value] : v.items()) keys.push_back(key);
      std::string found = keys.empty() ? "nothing" : "";
      for (const auto& k : keys) found += (found.empty() ? "\"" : ", \"") + k + "\"";
      error_at_value(pointer,
                     "a step needs one of: connect, login, send, send_raw, expect, "
                     "close, drop, sleep_ms (found " +
                         found + ")");
      return false;
    }
    if (auto t = optional_uint(v, pointer, "timeout_ms", 1, max_timeout_ms))
      st.timeout = std::chrono::milliseconds(*t);
    optional_string(v, pointer, "comment");

    if (kind == "connect") {
      st.kind = step_kind::connect;
      check_keys(v, pointer, {"connect", "expect", "timeout_ms", "comment"});
      auto name = optional_string(v, pointer, "connect");
      if (!name) return false;
      if (!valid_connection_name(*name)) {
        error_at_value(pointer + "/connect",
                       "connection name \"" + *name + "\" must be 1-32 of [a-z0-9_-]");
        return false;
      }
      if (contains(open_, *name)) {
        error_at_value(pointer + "/connect",
                       "connection \"" + *name + "\" is already open (close or drop it first)");
        return false;
      }
      open_.push_back(*name);
      st.connection = *name;
      if (v.contains("expect"))
        return load_expectations(v["expect"], pointer + "/expect", st, 1, {});
      expectation e;
      e.where = st.where;
      outcome o;
      o.where = st.where;
      o.status = protocol_ == protocol_kind::pop3 ? "+OK" : "+";
      e.any_of.push_back(o);
      st.expect.push_back(e);
      return true;
    }
    if (kind == "login") {
      st.kind = step_kind::login;
      check_keys(v, pointer, {"login", "using", "on", "timeout_ms", "comment"});
      auto account = optional_string(v, pointer, "login");
      if (!account) return false;
      if (*account != "user" && *account != "user2") {
        error_at_value(pointer + "/login",
                       "login account \"" + *account + "\" must be \"user\" or \"user2\"");
        return false;
      }
      st.account = *account;
      accounts_.insert(*account);
      if (auto m = optional_string(v, pointer, "using")) {
        if (protocol_ == protocol_kind::pop2) {
          error_at_value(pointer + "/using",
                         "\"using\" applies to POP3 only (POP2 logs in with HELO)");
        } else if (*m == "auto") {
          st.method = login_method::automatic;
        } else if (*m == "user-pass") {
          st.method = login_method::user_pass;
        } else if (*m == "apop") {
          st.method = login_method::apop;
        } else {
          error_at_value(pointer + "/using", "unknown login method \"" + *m +
                                                 "\" (expected one of: apop, auto, user-pass)");
        }
      }
      st.connection = connection_for(v, pointer);
      return !st.connection.empty();
    }
    if (kind == "close" || kind == "drop") {
      st.kind = kind == "close" ? step_kind::close : step_kind::drop;
      check_keys(v, pointer, {kind, "timeout_ms", "comment"});
      auto name = optional_string(v, pointer, kind);
      if (!name) return false;
      if (!contains(open_, *name)) {
        error_at_value(pointer_append(pointer, kind),
                       "connection \"" + *name + "\" is not open here" +
                           (open_.empty() ? "" : " (open: " + open_list() + ")"));
        return false;
      }
      open_.erase(std::find(open_.begin(), open_.end(), *name));
      st.connection = *name;
      return true;
    }
    if (kind == "sleep_ms") {
      st.kind = step_kind::sleep;
      check_keys(v, pointer, {"sleep_ms", "comment"});
      auto ms = optional_uint(v, pointer, "sleep_ms", 0, max_sleep_ms);
      if (!ms) return false;
      st.sleep = std::chrono::milliseconds(*ms);
      return true;
    }
    if (kind == "expect") {
      st.kind = step_kind::expect;
      check_keys(v, pointer, {"expect", "on", "timeout_ms", "comment"});
      st.connection = connection_for(v, pointer);
      if (st.connection.empty()) return false;
      return load_expectations(v["expect"], pointer + "/expect", st, 0, {});
    }
    if (kind == "send") {
      st.kind = step_kind::send;
      check_keys(v, pointer, {"send", "expect", "on", "timeout_ms", "comment"});
      st.connection = connection_for(v, pointer);
      const auto& send = v["send"];
      std::string sp = pointer + "/send";
      std::vector<std::pair<nlohmann::json, std::string>> items;
      if (send.is_array()) {
        if (send.empty()) {
          error_at_value(sp, "\"send\" must be a command line or a non-empty array of them");
          return false;
        }
        for (std::size_t i = 0; i < send.size(); ++i)
          items.emplace_back(send[i], pointer_append(sp, i));
      } else {
        items.emplace_back(send, sp);
      }
      std::vector<std::string> multiline_default;
      for (const auto& [item, ip] : items) {
        auto t = octet_template(item, ip, "a command line");
        if (!t) return false;
        if (t->text.find_first_of("\r\n") != std::string::npos) {
          error_at_value(ip,
                         "a command line must not contain CR or LF (CRLF is added; use "
                         "send_raw for other line endings)");
          return false;
        }
        note_deletion(t->text, ip);
        st.commands.push_back(*t);
      }
      if (st.connection.empty()) return false;
      if (v.contains("expect"))
        return load_expectations(v["expect"], pointer + "/expect", st, st.commands.size(), {});
      // No expectation: one response per command, any status (recorded and compared only).
      for (std::size_t i = 0; i < st.commands.size(); ++i) {
        expectation e;
        e.where = st.where;
        outcome o;
        o.where = st.where;
        e.any_of.push_back(o);
        st.expect.push_back(e);
      }
      return true;
    }
    // send_raw
    st.kind = step_kind::send_raw;
    check_keys(v, pointer, {"send_raw", "expect", "on", "timeout_ms", "comment"});
    st.connection = connection_for(v, pointer);
    const auto& raw = v["send_raw"];
    std::string rp = pointer + "/send_raw";
    if (raw.is_string()) {
      auto t = octet_template(raw, rp, "\"send_raw\"");
      if (!t) return false;
      if (t->text.empty()) {
        error_at_value(rp, "\"send_raw\" must not be empty");
        return false;
      }
      note_deletion(t->text, rp);
      st.raw = t;
    } else if (raw.is_object()) {
      check_keys(raw, rp, {"repeat", "count", "prefix", "suffix"});
      repeat_spec r;
      auto unit = raw.find("repeat");
      if (unit == raw.end() || !unit->is_string() || unit->get<std::string>().empty()) {
        error_at_value(unit == raw.end() ? rp : rp + "/repeat",
                       "\"repeat\" must be a non-empty string (the octets to repeat)");
        return false;
      }
      std::string why;
      if (!to_octets(unit->get<std::string>(), r.unit, why)) {
        error_at_value(rp + "/repeat", "\"repeat\": " + why);
        return false;
      }
      if (!raw.contains("count")) {
        error_at_value(rp, "missing key \"count\" (how many times to repeat)");
        return false;
      }
      auto count = optional_uint(raw, rp, "count", 1, max_raw_octets);
      if (!count) return false;
      r.count = *count;
      if (r.count * r.unit.size() > max_raw_octets) {
        error_at_value(rp + "/count", "the repeated octets exceed 16 MiB");
        return false;
      }
      if (raw.contains("prefix")) {
        auto t = octet_template(raw["prefix"], rp + "/prefix", "\"prefix\"");
        if (!t) return false;
        r.prefix = *t;
        note_deletion(t->text, rp + "/prefix");
      }
      if (raw.contains("suffix")) {
        auto t = octet_template(raw["suffix"], rp + "/suffix", "\"suffix\"");
        if (!t) return false;
        r.suffix = *t;
      }
      st.repeat = r;
    } else {
      error_at_value(rp,
                     "\"send_raw\" must be a string of octets or an object {\"repeat\", "
                     "\"count\", \"prefix\", \"suffix\"}, found " +
                         type_name(raw));
      return false;
    }
    if (st.connection.empty()) return false;
    if (v.contains("expect")) return load_expectations(v["expect"], pointer + "/expect", st, 0, {});
    return true;
  }

  // `count`: the number of responses the step must describe (0 = any number, at least one).
  bool load_expectations(const nlohmann::json& v, const std::string& pointer, step& st,
                         std::size_t count, const std::set<std::string>& extra) {
    std::vector<std::pair<const nlohmann::json*, std::string>> items;
    if (v.is_array()) {
      if (st.kind == step_kind::connect) {
        error_at_value(pointer, "a connect step expects one response (the greeting), not an array");
        return false;
      }
      if (v.empty()) {
        error_at_value(pointer, "\"expect\" must not be an empty array");
        return false;
      }
      for (std::size_t i = 0; i < v.size(); ++i)
        items.emplace_back(&v[i], pointer_append(pointer, i));
    } else if (v.is_string() && v.get<std::string>() == "reference" && count > 1) {
      for (std::size_t i = 0; i < count; ++i) items.emplace_back(&v, pointer);
    } else {
      items.emplace_back(&v, pointer);
    }
    if (count != 0 && items.size() != count) {
      error_at_value(pointer, "\"expect\" describes " + std::to_string(items.size()) +
                                  " response(s) but the step sends " + std::to_string(count) +
                                  " command(s): give one expectation per command, in order");
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
      expectation e;
      if (!load_expectation(*items[i].first, items[i].second, e, extra)) {
        ok = false;
        continue;
      }
      st.expect.push_back(std::move(e));
    }
    return ok;
  }

  bool load_expectation(const nlohmann::json& v, const std::string& pointer, expectation& e,
                        const std::set<std::string>& extra) {
    e.where = loc(doc_.value_at(pointer));
    if (v.is_string()) {
      if (v.get<std::string>() != "reference") {
        error_at_value(pointer, "an expectation must be an object or the string \"reference\"");
        return false;
      }
      e.from_reference = true;
      return true;
    }
    if (!v.is_object()) {
      error_at_value(pointer,
                     "an expectation must be an object or the string \"reference\", "
                     "found " +
                         type_name(v));
      return false;
    }
    if (v.contains("any_of")) {
      check_keys(v, pointer, {"any_of", "multiline", "comment"});
      e.multiline = optional_bool(v, pointer, "multiline");
      const auto& alts = v["any_of"];
      if (!alts.is_array() || alts.empty()) {
        error_at_value(pointer + "/any_of", "\"any_of\" must be a non-empty array of outcomes");
        return false;
      }
      std::set<std::string> captured;
      bool ok = true;
      for (std::size_t i = 0; i < alts.size(); ++i) {
        outcome o;
        if (!load_outcome(alts[i], pointer_append(pointer + "/any_of", i), o, extra, false,
                          captured)) {
          ok = false;
          continue;
        }
        e.any_of.push_back(std::move(o));
      }
      for (const auto& name : captured) defined_.insert(name);
      return ok && check_read_plan(e, pointer);
    }
    std::set<std::string> captured;
    outcome o;
    if (!load_outcome(v, pointer, o, extra, true, captured)) return false;
    e.multiline = optional_bool(v, pointer, "multiline");
    e.any_of.push_back(std::move(o));
    for (const auto& name : captured) defined_.insert(name);
    return check_read_plan(e, pointer);
  }

  // Alternatives are read with one plan: POP2 data reads need one agreed length.
  bool check_read_plan(const expectation& e, const std::string& pointer) {
    std::optional<std::string> length;
    for (const auto& o : e.any_of) {
      if (!o.data_octets) continue;
      if (length && *length != o.data_octets->text.text) {
        error_at_value(pointer,
                       "alternatives read data of different lengths (\"data_octets\" "
                       "must agree across any_of)");
        return false;
      }
      length = o.data_octets->text.text;
    }
    return true;
  }

  bool load_outcome(const nlohmann::json& v, const std::string& pointer, outcome& o,
                    const std::set<std::string>& extra_in, bool allow_multiline,
                    std::set<std::string>& captured) {
    o.where = loc(doc_.value_at(pointer));
    if (!v.is_object()) {
      error_at_value(pointer, "an outcome must be an object, found " + type_name(v));
      return false;
    }
    std::vector<std::string_view> keys = {
        "status",     "match",   "lines",    "message", "mailbox",         "top_of", "line_count",
        "every_line", "set",     "contains", "octets",  "data_octets",     "closed", "then_closed",
        "silence_ms", "verdict", "note",     "comment", "allow_malformed", "capture"};
    if (allow_multiline) keys.push_back("multiline");
    std::size_t before = result_.errors.size();
    check_keys(v, pointer, keys);
    optional_string(v, pointer, "comment");
    bool pop3 = protocol_ == protocol_kind::pop3;

    if (auto s = optional_string(v, pointer, "status")) {
      bool ok =
          pop3 ? (*s == "+OK" || *s == "-ERR") : (*s == "+" || *s == "-" || *s == "#" || *s == "=");
      if (!ok)
        error_at_value(pointer + "/status",
                       "unknown status \"" + *s + "\" for " +
                           (pop3 ? "POP3 (expected \"+OK\" or \"-ERR\")"
                                 : "POP2 (expected \"+\", \"-\", \"#\" or \"=\")"));
      o.status = *s;
    }
    // Captures of this outcome's `match` may be used by its own data checks.
    std::set<std::string> extra = extra_in;
    if (auto m = regex_value(v, pointer, "match", extra)) {
      o.match = m;
      for (const auto& name : regex_capture_names(m->text)) {
        if (is_builtin_variable(name))
          error_at_value(pointer + "/match",
                         "capture name \"" + name + "\" is a built-in variable");
        extra.insert(name);
        captured.insert(name);
      }
    }
    o.lines = line_list(v, pointer, "lines", extra);
    o.set = line_list(v, pointer, "set", extra);
    o.contains = line_list(v, pointer, "contains", extra);
    o.every_line = regex_value(v, pointer, "every_line", extra);
    if (auto it = v.find("capture"); it != v.end()) {
      // One regex or a list; each may use the captures of the ones before it.
      std::string member = pointer + "/capture";
      std::vector<std::pair<const nlohmann::json*, std::string>> items;
      if (it->is_array()) {
        for (std::size_t i = 0; i < it->size(); ++i)
          items.emplace_back(&(*it)[i], pointer_append(member, i));
        if (it->empty()) error_at_value(member, "\"capture\" needs at least one regex");
      } else {
        items.emplace_back(&*it, member);
      }
      std::vector<text_template> captures;
      for (const auto& [item, item_pointer] : items) {
        auto re = regex_at(*item, item_pointer, "\"capture\"", extra);
        if (!re) continue;
        auto names = regex_capture_names(re->text);
        if (names.empty())
          error_at_value(item_pointer, "a \"capture\" regex needs a named group (?<name>...)");
        for (const auto& name : names) {
          if (is_builtin_variable(name))
            error_at_value(item_pointer, "capture name \"" + name + "\" is a built-in variable");
          extra.insert(name);
          captured.insert(name);
        }
        captures.push_back(std::move(*re));
      }
      o.capture = std::move(captures);
    }
    o.octets = number_value(v, pointer, "octets", extra);
    o.data_octets = number_value(v, pointer, "data_octets", extra);
    if (auto m = optional_uint(v, pointer, "message", 1, 1000000)) {
      o.message = fixture_message_ref{*m, ""};
      if (auto box = optional_string(v, pointer, "mailbox")) o.message->mailbox = *box;
    } else if (v.contains("mailbox") && !v.contains("message")) {
      error_at_key(pointer + "/mailbox", "\"mailbox\" qualifies \"message\", which is missing");
    }
    if (v.contains("top_of")) {
      const auto& t = v["top_of"];
      std::string tp = pointer + "/top_of";
      if (!t.is_object()) {
        error_at_value(tp, "\"top_of\" must be an object {\"message\": N, \"lines\": N}");
      } else {
        check_keys(t, tp, {"message", "lines"});
        auto m = optional_uint(t, tp, "message", 1, 1000000);
        auto n = optional_uint(t, tp, "lines", 0, 1000000000);
        if (!t.contains("message") || !t.contains("lines"))
          error_at_value(tp, "\"top_of\" needs both \"message\" and \"lines\"");
        if (m && n) o.top_of = top_spec{{*m, ""}, *n};
      }
    }
    if (v.contains("line_count")) {
      const auto& lc = v["line_count"];
      std::string lp = pointer + "/line_count";
      count_range range;
      if (lc.is_object()) {
        check_keys(lc, lp, {"min", "max"});
        range.min = optional_uint(lc, lp, "min", 0, UINT32_MAX);
        range.max = optional_uint(lc, lp, "max", 0, UINT32_MAX);
        if (!range.min && !range.max)
          error_at_value(lp, "\"line_count\" as an object needs \"min\" and/or \"max\"");
        else if (range.min && range.max && *range.min > *range.max)
          error_at_value(lp, "\"line_count\": min is larger than max");
      } else {
        range.exact = number_value(v, pointer, "line_count", extra);
      }
      o.line_count = range;
    }
    o.closed = optional_bool(v, pointer, "closed").value_or(false);
    o.then_closed = optional_bool(v, pointer, "then_closed").value_or(false);
    o.allow_malformed = optional_bool(v, pointer, "allow_malformed").value_or(false);
    if (auto ms = optional_uint(v, pointer, "silence_ms", 1, max_timeout_ms))
      o.silence_ms = static_cast<std::uint32_t>(*ms);
    if (auto verdict_name = optional_string(v, pointer, "verdict")) {
      auto vd = verdict_from_string(*verdict_name);
      if (!vd || (*vd != verdict::pass && *vd != verdict::non_strict && *vd != verdict::fail &&
                  *vd != verdict::unsupported))
        error_at_value(pointer + "/verdict", "unknown verdict \"" + *verdict_name +
                                                 "\" (expected one of: fail, non_strict, pass, "
                                                 "unsupported)");
      else
        o.result = *vd;
    }
    o.note = optional_string(v, pointer, "note").value_or("");

    // ---- combinations ----
    auto has_response_keys = [&] {
      return o.status || o.match || o.wants_data() || o.message || o.data_octets || o.then_closed;
    };
    if (o.closed && (has_response_keys() || o.silence_ms))
      error_at_value(pointer + "/closed",
                     "\"closed\" means no response at all: it cannot be "
                     "combined with status, data or silence checks");
    if (o.silence_ms && has_response_keys())
      error_at_value(pointer + "/silence_ms",
                     "\"silence_ms\" means no response within the time: it "
                     "cannot be combined with status or data checks");
    if (pop3) {
      if (o.data_octets)
        error_at_key(pointer + "/data_octets",
                     "\"data_octets\" is for POP2 (RETR data); POP3 "
                     "data is described with lines, message, octets, ...");
      if (o.message && !o.message->mailbox.empty())
        error_at_key(pointer + "/mailbox", "\"mailbox\" is for POP2 folders");
      bool data = o.wants_data();
      if (data && o.status && *o.status != "+OK")
        error_at_value(pointer + "/status",
                       "data checks need \"status\": \"+OK\" (only a positive "
                       "answer carries data)");
      if (data && !o.status) o.status = "+OK";
    } else {
      for (auto key :
           {"lines", "top_of", "line_count", "every_line", "set", "contains", "octets", "capture"})
        if (v.contains(key))
          error_at_key(pointer_append(pointer, key),
                       "\"" + std::string(key) +
                           "\" is for POP3 multi-line data; POP2 RETR data "
                           "is checked with data_octets and message");
      if (o.message && !o.data_octets)
        error_at_key(pointer + "/message",
                     "POP2 \"message\" needs \"data_octets\" (RETR reads "
                     "exactly the announced length)");
      if (o.data_octets && (o.status || o.match))
        error_at_key(pointer + "/data_octets",
                     "POP2 RETR data has no status line: \"data_octets\" "
                     "cannot be combined with status or match");
      if (o.message && !o.message->mailbox.empty() && o.message->mailbox != options_.folder_name)
        error_at_value(pointer + "/mailbox", "unknown fixture mailbox \"" + o.message->mailbox +
                                                 "\" (the fixture's folder is \"" +
                                                 options_.folder_name + "\")");
    }
    for (const fixture_message_ref* ref :
         {o.message ? &*o.message : nullptr, o.top_of ? &o.top_of->message : nullptr}) {
      if (!ref) continue;
      if (fixture_ != fixture_need::standard)
        error_at_value(pointer,
                       "fixture message checks need the scenario's \"fixture\": \"standard\"");
      std::size_t available =
          ref->mailbox.empty() ? options_.fixture_messages : options_.folder_messages;
      if (available && ref->number > available)
        error_at_value(pointer, "the standard fixture has no message " +
                                    std::to_string(ref->number) + " (it has " +
                                    std::to_string(available) + ")");
    }
    return result_.errors.size() == before;
  }

  const json_document& doc_;
  std::string display_;
  std::string relative_;
  const requirement_catalog& catalog_;
  const loader_options& options_;
  load_result& result_;
  std::string context_;
  std::string group_;
  protocol_kind protocol_ = protocol_kind::pop3;
  fixture_need fixture_ = fixture_need::any;
  std::set<std::string> defined_;
  std::vector<std::string> open_;
  std::set<std::string> accounts_;
  std::optional<std::pair<std::string, std::string>> sends_deletion_;
};

bool valid_group_path(const std::string& relative) {
  if (relative.size() <= 5 || relative.substr(relative.size() - 5) != ".json") return false;
  std::string stem = relative.substr(0, relative.size() - 5);
  std::size_t start = 0;
  while (start <= stem.size()) {
    std::size_t slash = stem.find('/', start);
    std::string part =
        stem.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!valid_id(part)) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

void load_scenario_text(std::string_view text, const std::string& relative_path,
                        const std::string& display_path, const requirement_catalog& catalog,
                        const loader_options& options, load_result& into) {
  ++into.files;
  if (!valid_group_path(relative_path)) {
    into.errors.push_back({{display_path, 0, 0},
                           "scenario file paths must be lower-case letters, digits and '-' "
                           "(one directory per group level), ending in .json"});
    return;
  }
  json_document doc;
  json_parse_error error;
  if (!parse_json_with_positions(text, doc, error)) {
    into.errors.push_back({{display_path, error.where.line, error.where.column}, error.message});
    return;
  }
  file_loader(doc, display_path, relative_path, catalog, options, into).run();
}

load_result load_scenario_tree(const std::filesystem::path& root,
                               const requirement_catalog& catalog, const loader_options& options) {
  namespace fs = std::filesystem;
  load_result result;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    result.errors.push_back({{root.string(), 0, 0}, "not a directory of scenario files"});
    return result;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    fs::path rel = it->path().lexically_relative(root);
    // Files directly in the root (schema.json, requirements.json, untestable.json...) are
    // metadata: scenario files always live in a group directory.
    if (rel.parent_path().empty()) continue;
    files.push_back(it->path());
  }
  if (ec) result.errors.push_back({{root.string(), 0, 0}, "cannot list: " + ec.message()});
  std::sort(files.begin(), files.end());
  fs::path cwd = fs::current_path(ec);
  for (const auto& file : files) {
    std::string rel = file.lexically_relative(root).generic_string();
    // Name files as the user can open them: relative to the current directory when inside it.
    std::string display = file.string();
    if (!ec) {
      fs::path shown = fs::absolute(file, ec).lexically_relative(cwd);
      if (!shown.empty() && *shown.begin() != "..") display = shown.generic_string();
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      result.errors.push_back({{display, 0, 0}, "cannot read the file"});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    load_scenario_text(text.str(), rel, display, catalog, options, result);
  }
  std::set<std::string> seen;
  for (const auto& s : result.scenarios)
    if (!seen.insert(s.id).second)
      result.errors.push_back({s.where, "duplicate scenario ID " + s.id});
  if (result.errors.empty() && result.scenarios.empty())
    result.errors.push_back({{root.string(), 0, 0}, "no scenario files found"});
  return result;
}

}  // namespace popspec::harness
