#include "popspec/harness/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace popspec::harness {
namespace {

bool is_coverage_rfc(std::string_view rfc) {
  return std::find(std::begin(coverage_rfcs), std::end(coverage_rfcs), rfc) !=
         std::end(coverage_rfcs);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string normalize_rfc(std::string_view text) {
  if (text.size() >= 3) {
    std::string head(text.substr(0, 3));
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(c | 0x20); });
    if (head == "rfc") {
      text.remove_prefix(3);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    }
  }
  if (text.empty() || text.size() > 8) return {};
  for (char c : text)
    if (c < '0' || c > '9') return {};
  while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
  return is_coverage_rfc(text) ? std::string(text) : std::string();
}

bool is_server_role(std::string_view role) {
  return role == "S" || role == "S+C";
}

bool untestable_notes::parse(std::string_view json_text, untestable_notes& out,
                             std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return false;
  }
  if (!doc.is_object()) {
    error = "expected an object with the keys rfc937, rfc1225, rfc1939, rfc2449";
    return false;
  }
  untestable_notes notes;
  for (const auto& [key, value] : doc.items()) {
    if (key == "description") {
      if (!value.is_string()) {
        error = "\"description\" must be a string";
        return false;
      }
      continue;
    }
    std::string rfc = key.rfind("rfc", 0) == 0 ? normalize_rfc(key) : std::string();
    if (rfc.empty() || "rfc" + rfc != key) {
      error =
          "unknown key \"" + key + "\" (expected description, rfc937, rfc1225, rfc1939 or rfc2449)";
      return false;
    }
    if (!value.is_array()) {
      error = "\"" + key + "\" must be an array of {\"id\", \"reason\"} objects";
      return false;
    }
    std::size_t index = 0;
    for (const auto& entry : value) {
      ++index;
      const std::string where = key + "[" + std::to_string(index - 1) + "]";
      if (!entry.is_object()) {
        error = where + ": expected an object with \"id\" and \"reason\"";
        return false;
      }
      for (const auto& [field, field_value] : entry.items()) {
        if (field != "id" && field != "reason") {
          error = where + ": unknown key \"" + field + "\" (expected id, reason)";
          return false;
        }
        if (!field_value.is_string() || field_value.get<std::string>().empty()) {
          error = where + ": \"" + field + "\" must be a non-empty string";
          return false;
        }
      }
      if (!entry.contains("id") || !entry.contains("reason")) {
        error = where + ": needs both \"id\" and \"reason\"";
        return false;
      }
      untestable_note note{rfc, entry["id"].get<std::string>(), entry["reason"].get<std::string>()};
      if (!notes.index_.emplace(note.id, notes.notes_.size()).second) {
        error = where + ": " + note.id + " is listed twice";
        return false;
      }
      notes.notes_.push_back(std::move(note));
    }
  }
  out = std::move(notes);
  return true;
}

bool untestable_notes::load(const std::filesystem::path& file, untestable_notes& out,
                            std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file.string() + ": cannot read the untestable-requirement notes";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (!parse(text.str(), out, error)) {
    error = file.string() + ": " + error;
    return false;
  }
  return true;
}

const untestable_note* untestable_notes::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &notes_[it->second];
}

std::string_view to_string(coverage_status s) {
  switch (s) {
    case coverage_status::covered:
      return "covered";
    case coverage_status::untestable:
      return "untestable";
    case coverage_status::missing:
      return "missing";
    case coverage_status::client:
      return "client";
  }
  return "missing";
}

double coverage_counts::accounted_percent() const {
  if (server == 0) return 100.0;
  return 100.0 * static_cast<double>(covered + untestable) / static_cast<double>(server);
}

double coverage_counts::covered_percent() const {
  if (server == 0) return 100.0;
  return 100.0 * static_cast<double>(covered) / static_cast<double>(server);
}

coverage_counts& coverage_counts::operator+=(const coverage_counts& other) {
  server += other.server;
  covered += other.covered;
  untestable += other.untestable;
  missing += other.missing;
  client += other.client;
  client_cited += other.client_cited;
  return *this;
}

coverage_report compute_coverage(const requirement_catalog& catalog,
                                 const std::vector<scenario>& scenarios,
                                 const untestable_notes& notes, const coverage_options& options) {
  coverage_report report;
  report.scenario_count = scenarios.size();

  std::set<std::string, std::less<>> selected;
  for (const auto& rfc : options.rfcs) selected.insert(rfc);
  auto wanted = [&](std::string_view rfc) { return selected.empty() || selected.contains(rfc); };
  for (std::string_view rfc : coverage_rfcs) {
    if (!wanted(rfc)) continue;
    rfc_coverage rc;
    rc.rfc = std::string(rfc);
    rc.protocol = rfc == "937" ? "POP2" : "POP3";
    report.rfcs.push_back(std::move(rc));
  }

  std::map<std::string, std::vector<std::string>, std::less<>> citing;
  for (const auto& s : scenarios) {
    std::set<std::string_view> seen;  // a scenario counts once per requirement
    for (const auto& id : s.requirements)
      if (seen.insert(id).second) citing[id].push_back(s.id);
  }
  auto citers = [&](std::string_view id) -> const std::vector<std::string>* {
    auto it = citing.find(id);
    return it == citing.end() ? nullptr : &it->second;
  };

  for (const auto& req : catalog.all()) {
    auto rc = std::find_if(report.rfcs.begin(), report.rfcs.end(),
                           [&](const rfc_coverage& r) { return r.rfc == req.rfc; });
    if (rc == report.rfcs.end()) continue;
    requirement_coverage row;
    row.req = req;
    if (const auto* list = citers(req.id)) row.scenarios = *list;
    if (!is_server_role(req.role)) {
      row.status = coverage_status::client;
      ++rc->counts.client;
      if (!row.scenarios.empty()) ++rc->counts.client_cited;
    } else {
      ++rc->counts.server;
      const untestable_note* note = notes.find(req.id);
      if (!row.scenarios.empty()) {
        row.status = coverage_status::covered;
        ++rc->counts.covered;
      } else if (note && note->rfc == req.rfc) {
        row.status = coverage_status::untestable;
        row.reason = note->reason;
        ++rc->counts.untestable;
      } else {
        row.status = coverage_status::missing;
        ++rc->counts.missing;
      }
    }
    rc->rows.push_back(std::move(row));
  }
  for (const auto& rc : report.rfcs) report.totals += rc.counts;

  // The notes must describe the catalog as it is; each mismatch is reported once.
  for (const auto& note : notes.all()) {
    if (!wanted(note.rfc)) continue;
    const std::string where = "untestable.json rfc" + note.rfc + ": ";
    const requirement* req = catalog.find(note.id);
    if (!req) {
      report.warnings.push_back(where + note.id + " is not in the requirement catalog");
      ++report.note_errors;
    } else if (req->rfc != note.rfc) {
      report.warnings.push_back(where + note.id + " belongs to RFC " + req->rfc +
                                " (file it under \"rfc" + req->rfc + "\")");
      ++report.note_errors;
    } else if (!is_server_role(req->role)) {
      report.warnings.push_back(where + note.id +
                                " is a client requirement: the harness obeys it, no note needed");
    } else if (const auto* list = citers(note.id)) {
      report.warnings.push_back(where + note.id + " is listed as untestable, but " +
                                plural(list->size(), "scenario cites", "scenarios cite") + " it (" +
                                list->front() + (list->size() > 1 ? ", ..." : "") +
                                "): the note is stale");
    }
  }
  return report;
}

std::string format_percent(double percent) {
  double floored = std::floor(percent * 10.0 + 1e-9) / 10.0;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", floored);
  return text;
}

namespace {

std::string counts_sentence(const coverage_counts& c) {
  std::string s = plural(c.server, "server-role requirement", "server-role requirements") + ": " +
                  std::to_string(c.covered) + " covered, " + std::to_string(c.untestable) +
                  " untestable, " + std::to_string(c.missing) + " missing (" +
                  format_percent(c.accounted_percent()) + " covered or explained); " +
                  plural(c.client, "client-role requirement", "client-role requirements");
  return s;
}

std::string padded(std::string_view text, std::size_t width) {
  std::string s(text);
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

void write_coverage_text(const coverage_report& report, std::ostream& out,
                         const coverage_text_options& options) {
  std::size_t id_width = 0;
  for (const auto& rc : report.rfcs)
    for (const auto& row : rc.rows) id_width = std::max(id_width, row.req.id.size());
  constexpr std::size_t level_width = 10;  // "SHOULD NOT"

  auto print_rows = [&](const rfc_coverage& rc, coverage_status status, std::string_view title) {
    std::size_t n = 0;
    for (const auto& row : rc.rows) n += row.status == status ? 1 : 0;
    if (n == 0) {
      if (status == coverage_status::missing) out << "  " << title << ": none\n";
      return;
    }
    out << "  " << title << " (" << n << "):\n";
    for (const auto& row : rc.rows) {
      if (row.status != status) continue;
      out << "    " << padded(row.req.id, id_width) << "  "
          << padded(to_string(row.req.level), level_width) << "  ";
      switch (status) {
        case coverage_status::covered:
          out << plural(row.scenarios.size(), "scenario", "scenarios");
          break;
        case coverage_status::untestable:
          out << row.reason;
          break;
        case coverage_status::missing:
          out << row.req.sentence;
          break;
        case coverage_status::client:
          out << row.req.sentence;
          if (!row.scenarios.empty())
            out << " [cited by " << plural(row.scenarios.size(), "scenario", "scenarios") << "]";
          break;
      }
      out << "\n";
    }
  };

  out << "Requirement coverage of " << plural(report.scenario_count, "scenario", "scenarios")
      << ": a server-role requirement is covered when a scenario cites it, or explained in "
         "untestable.json\n";
  for (const auto& rc : report.rfcs) {
    out << "\nRFC " << rc.rfc << " (" << rc.protocol << "): " << counts_sentence(rc.counts) << "\n";
    if (!options.missing_only) {
      print_rows(rc, coverage_status::covered, "Covered");
      print_rows(rc, coverage_status::untestable, "Untestable over the wire");
    }
    print_rows(rc, coverage_status::missing, "Missing (neither covered nor explained)");
    if (!options.missing_only)
      print_rows(rc, coverage_status::client,
                 "Client requirements, obeyed by the harness as a client");
  }
  out << "\nTotal: " << counts_sentence(report.totals) << "\n";
  for (const auto& w : report.warnings) out << "warning: " << w << "\n";
}

void write_coverage_json(const coverage_report& report, std::ostream& out) {
  using json = nlohmann::ordered_json;
  auto counts_json = [](const coverage_counts& c) {
    json j;
    j["server"] = c.server;
    j["covered"] = c.covered;
    j["untestable"] = c.untestable;
    j["missing"] = c.missing;
    j["client"] = c.client;
    j["client_cited"] = c.client_cited;
    // Rounded as shown, so tools comparing against a threshold agree with the text.
    j["covered_percent"] = std::floor(c.covered_percent() * 10.0 + 1e-9) / 10.0;
    j["accounted_percent"] = std::floor(c.accounted_percent() * 10.0 + 1e-9) / 10.0;
    return j;
  };
  json doc;
  doc["format"] = "popspec-coverage";
  doc["version"] = 1;
  doc["scenarios"] = report.scenario_count;
  doc["totals"] = counts_json(report.totals);
  doc["rfcs"] = json::array();
  for (const auto& rc : report.rfcs) {
    json r;
    r["rfc"] = rc.rfc;
    r["protocol"] = rc.protocol;
    r["counts"] = counts_json(rc.counts);
    r["requirements"] = json::array();
    for (const auto& row : rc.rows) {
      json q;
      q["id"] = row.req.id;
      q["status"] = to_string(row.status);
      q["level"] = to_string(row.req.level);
      q["role"] = row.req.role;
      q["section"] = row.req.section;
      q["sentence"] = row.req.sentence;
      q["scenarios"] = row.scenarios;
      if (row.status == coverage_status::untestable) q["reason"] = row.reason;
      r["requirements"].push_back(std::move(q));
    }
    doc["rfcs"].push_back(std::move(r));
  }
  doc["warnings"] = report.warnings;
  out << doc.dump(2) << "\n";
}

}  // namespace popspec::harness
