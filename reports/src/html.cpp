#include "popspec/reports/html.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "assets.hpp"
#include "details_text.hpp"
#include "markup.hpp"
#include "popspec/reports/counts.hpp"
#include "popspec/reports/escape.hpp"

namespace popspec::reports {
namespace {
using detail::html;
using harness::verdict;

// How much a verdict weighs when several scenarios test one requirement: a failure anywhere is
// the requirement's verdict; a pass outweighs scenarios that were not run.
int severity(verdict v) {
  switch (v) {
    case verdict::fail:
      return 6;
    case verdict::error:
      return 5;
    case verdict::timeout:
      return 4;
    case verdict::non_strict:
      return 3;
    case verdict::pass:
      return 2;
    case verdict::unsupported:
      return 1;
    case verdict::skipped:
      return 0;
  }
  return 0;
}

// For the Content-Security-Policy: 'sha256-<base64>' of an inline <style> or <script>.
std::string csp_hash(std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1)
    return "'none'";  // cannot hash: the browser then refuses the element, which the tests catch
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(digest_size));
  return "'sha256-" +
         std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n)) + "'";
}

// "POP3-1939-RETR.10" after "POP3-1939-RETR.9": digit runs compare as numbers.
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie, j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

struct column {
  const harness::run_results* run = nullptr;
  std::string label;
};

// One scenario across the runs: cells[c] is its result in column c, or nullptr (not run there).
struct row {
  std::string id, title, group;
  std::vector<const harness::scenario_result*> cells;
  std::set<std::string> rfcs;  // attribute tokens
};

struct requirement_entry {
  harness::requirement_ref ref;
  std::vector<std::size_t> rows;
};

struct rfc_group {
  std::string token;  // for data-rfc and the filter
  std::string label;  // "RFC 1939"
  std::vector<requirement_entry> requirements;
};

std::string rfc_token(const std::string& rfc) {
  return rfc.empty() ? std::string("other") : detail::attribute_token(rfc);
}

bool rfc_group_less(const rfc_group& a, const rfc_group& b) {
  if ((a.token == "other") != (b.token == "other")) return b.token == "other";
  return natural_less(a.token, b.token);
}

class report_model {
 public:
  explicit report_model(std::span<const harness::run_results> runs) {
    std::map<std::string, int> label_uses;
    for (const auto& run : runs) {
      std::string label =
          run.meta.target.empty() ? "run " + std::to_string(columns_.size() + 1) : run.meta.target;
      if (const int uses = ++label_uses[label]; uses > 1)
        label += " (" + std::to_string(uses) + ")";
      columns_.push_back({&run, label});
    }
    std::map<std::pair<std::string, int>, std::size_t> row_index;
    std::map<std::string, std::map<std::string, requirement_entry>> by_rfc;
    std::map<std::string, std::string> rfc_labels;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::map<std::string, int> seen;  // a repeated id in one run gets a row of its own
      for (const auto& s : columns_[c].run->scenarios) {
        const auto key = std::make_pair(s.id, seen[s.id]++);
        auto [it, added] = row_index.try_emplace(key, rows_.size());
        if (added)
          rows_.push_back({s.id,
                           s.title,
                           s.group,
                           std::vector<const harness::scenario_result*>(columns_.size()),
                           {}});
        row& r = rows_[it->second];
        r.cells[c] = &s;
        for (const auto& req : s.requirements) {
          const std::string token = rfc_token(req.rfc);
          r.rfcs.insert(token);
          rfc_labels.try_emplace(token, req.rfc.empty() ? "Other requirements" : "RFC " + req.rfc);
          auto [entry, fresh] = by_rfc[token].try_emplace(req.id);
          if (fresh) entry->second.ref = req;
          auto& linked = entry->second.rows;
          if (std::find(linked.begin(), linked.end(), it->second) == linked.end())
            linked.push_back(it->second);
        }
      }
    }
    for (auto& [token, entries] : by_rfc) {
      rfc_group group{token, rfc_labels[token], {}};
      for (auto& [id, entry] : entries) group.requirements.push_back(std::move(entry));
      std::sort(group.requirements.begin(), group.requirements.end(),
                [](const requirement_entry& a, const requirement_entry& b) {
                  return natural_less(a.ref.id, b.ref.id);
                });
      rfcs_.push_back(std::move(group));
    }
    std::sort(rfcs_.begin(), rfcs_.end(), rfc_group_less);
  }

  const std::vector<column>& columns() const { return columns_; }
  const std::vector<row>& rows() const { return rows_; }
  const std::vector<rfc_group>& rfcs() const { return rfcs_; }
  bool several() const { return columns_.size() > 1; }

  // The requirement's verdict in column c: the weightiest of its scenarios there.
  std::optional<verdict> requirement_verdict(const requirement_entry& e, std::size_t c) const {
    std::optional<verdict> worst;
    for (const std::size_t r : e.rows)
      if (const auto* s = rows_[r].cells[c];
          s && (!worst || severity(s->result) > severity(*worst)))
        worst = s->result;
    return worst;
  }

 private:
  std::vector<column> columns_;
  std::vector<row> rows_;
  std::vector<rfc_group> rfcs_;
};

std::string verdict_tokens(const std::vector<std::optional<verdict>>& cells) {
  std::set<std::string_view> names;
  for (const auto& v : cells)
    if (v) names.insert(harness::to_string(*v));
  std::string out;
  for (const auto name : names) out += (out.empty() ? "" : " ") + std::string(name);
  return out;
}

// "1" when the columns do not all agree (a missing cell disagrees with a present one).
std::string_view differ_flag(const std::vector<std::optional<verdict>>& cells) {
  for (const auto& v : cells)
    if (v != cells.front()) return "1";
  return "0";
}

std::string join_tokens(const std::set<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::string detail_id(std::size_t column_index, std::size_t row_index) {
  return "d-" + std::to_string(column_index) + "-" + std::to_string(row_index);
}

void write_verdict_cell(std::ostream& out, std::optional<verdict> v, std::size_t c,
                        const std::string& link) {
  if (!v) {
    out << "<td class=\"verdict v-absent\" data-verdict=\"absent\" data-run=\"" << c
        << "\" title=\"not run\">&#8212;</td>";
    return;
  }
  const auto name = harness::to_string(*v);
  out << "<td class=\"verdict v-" << name << "\" data-verdict=\"" << name << "\" data-run=\"" << c
      << "\">";
  if (!link.empty()) out << "<a href=\"#" << link << "\">";
  out << verdict_label(*v);
  if (!link.empty()) out << "</a>";
  out << "</td>";
}

void write_head(const report_model& model, std::ostream& out) {
  std::string title = "popspec conformance report";
  if (model.columns().size() == 1) title += ": " + model.columns().front().label;
  if (model.several()) title += ": " + std::to_string(model.columns().size()) + " targets";
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      << csp_hash(detail::report_css) << "; script-src " << csp_hash(detail::report_js)
      << "; img-src data:; base-uri 'none'; form-action 'none'\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"popspec\">\n"
      << "<title>" << html(title) << "</title>\n"
      << "<link rel=\"icon\" href=\"data:,\">\n"
      << "<style>" << detail::report_css << "</style>\n</head>\n<body>\n";
  out << "<header>\n<h1>" << html(title) << "</h1>\n";
  if (model.columns().size() == 1) {
    const auto& m = model.columns().front().run->meta;
    out << "<p class=\"muted\">" << html(m.protocol);
    if (!m.profile.empty()) out << " (" << html(m.profile) << ")";
    out << " against " << html(model.columns().front().label);
    if (!m.started_at.empty()) out << " &#183; started " << html(m.started_at);
    out << " &#183; " << html(detail::format_duration(m.duration_ms)) << "</p>\n";
    out << "<p class=\"counts-line\" id=\"counts-line\">"
        << html(format_counts(model.columns().front().run->summary)) << "</p>\n";
  }
  out << "</header>\n";
}

void write_summary(const report_model& model, std::ostream& out) {
  out << "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr>"
      << "<th>Target</th><th>Protocol</th><th>Profile</th><th>Started</th><th>Duration</th>";
  for (const auto v : all_verdicts) out << "<th class=\"num\">" << verdict_label(v) << "</th>";
  out << "<th class=\"num\">total</th></tr></thead>\n<tbody>\n";
  for (std::size_t c = 0; c < model.columns().size(); ++c) {
    const auto& col = model.columns()[c];
    const auto& m = col.run->meta;
    out << "<tr data-run=\"" << c << "\"><td class=\"run-label\">" << html(col.label) << "</td><td>"
        << html(m.protocol) << "</td><td>" << html(m.profile) << "</td><td>" << html(m.started_at)
        << "</td><td>" << html(detail::format_duration(m.duration_ms)) << "</td>";
    for (const auto v : all_verdicts) {
      const std::size_t n = count_of(col.run->summary, v);
      out << "<td class=\"num count"
          << (n ? std::string(" v-") + std::string(harness::to_string(v)) : "")
          << "\" data-count=\"" << harness::to_string(v) << "\">" << n << "</td>";
    }
    out << "<td class=\"num count\" data-count=\"total\">" << col.run->summary.total
        << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void write_filters(const report_model& model, std::ostream& out) {
  std::map<verdict, std::size_t> totals;
  for (const auto& col : model.columns())
    for (const auto v : all_verdicts) totals[v] += count_of(col.run->summary, v);
  out << "<section id=\"filters\" aria-label=\"Filters\">\n<span>Show:</span>\n";
  for (const auto v : all_verdicts)
    out << "<label><input type=\"checkbox\" data-filter-verdict=\"" << harness::to_string(v)
        << "\" checked> <span class=\"badge v-" << harness::to_string(v) << "\">"
        << verdict_label(v) << "</span> (" << totals[v] << ")</label>\n";
  out << "<button type=\"button\" id=\"filter-show-all\">all</button>\n"
      << "<button type=\"button\" id=\"filter-show-problems\">problems only</button>\n"
      << "<label>RFC <select id=\"filter-rfc\"><option value=\"\">all</option>";
  for (const auto& g : model.rfcs())
    out << "<option value=\"" << html(g.token) << "\">" << html(g.label) << "</option>";
  out << "</select></label>\n";
  if (model.several())
    out << "<label><input type=\"checkbox\" id=\"filter-differ\"> only where targets "
           "differ</label>\n";
  out << "<span class=\"muted\"><span id=\"shown-count\">" << model.rows().size()
      << "</span> of <span id=\"total-count\">" << model.rows().size()
      << "</span> scenarios shown</span>\n</section>\n";
}

void write_column_headers(const report_model& model, std::ostream& out) {
  for (const auto& col : model.columns())
    out << "<th class=\"run-label\">" << html(col.label) << "</th>";
}

void write_requirement_matrix(const report_model& model, std::ostream& out) {
  out << "<section id=\"requirements\">\n<h2>Requirement matrix</h2>\n"
      << "<p class=\"muted\">Each requirement with the scenarios that test it. Its verdict on a "
         "target is the weightiest of those scenarios' verdicts there: fail, error, timeout, "
         "non-strict, pass, unsupported, skipped.</p>\n";
  if (model.rfcs().empty()) out << "<p class=\"muted\">No scenario names a requirement.</p>\n";
  for (const auto& g : model.rfcs()) {
    out << "<section class=\"rfc-section\" data-rfc=\"" << html(g.token) << "\">\n<h3>"
        << html(g.label) << " <span class=\"muted\">(" << g.requirements.size()
        << (g.requirements.size() == 1 ? " requirement" : " requirements")
        << ")</span></h3>\n<table class=\"req-matrix\">\n<thead><tr><th>Requirement</th>"
        << "<th>Level</th><th>Text</th><th>Scenarios</th>";
    write_column_headers(model, out);
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& e : g.requirements) {
      std::vector<std::optional<verdict>> cells;
      for (std::size_t c = 0; c < model.columns().size(); ++c)
        cells.push_back(model.requirement_verdict(e, c));
      out << "<tr class=\"filterable req-row\" data-verdicts=\"" << verdict_tokens(cells)
          << "\" data-rfcs=\"" << html(g.token) << "\" data-differ=\"" << differ_flag(cells)
          << "\"><td class=\"req-id\">" << html(e.ref.id) << "</td><td>"
          << harness::to_string(e.ref.level) << "</td><td class=\"req-text\">"
          << html(e.ref.sentence) << "</td><td class=\"scenario-links\">";
      for (const std::size_t r : e.rows)
        out << "<a href=\"#s-" << r << "\">" << html(model.rows()[r].id) << "</a>";
      out << "</td>";
      for (std::size_t c = 0; c < cells.size(); ++c) write_verdict_cell(out, cells[c], c, "");
      out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n</section>\n";
  }
  out << "</section>\n";
}

std::vector<std::optional<verdict>> row_cells(const row& r) {
  std::vector<std::optional<verdict>> cells;
  for (const auto* s : r.cells)
    cells.push_back(s ? std::optional<verdict>(s->result) : std::nullopt);
  return cells;
}

void write_scenario_matrix(const report_model& model, std::ostream& out) {
  out << "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n";
  if (model.rows().empty()) {
    out << "<p class=\"muted\" id=\"no-scenarios\">No scenarios ran.</p>\n</section>\n";
    return;
  }
  out << "<table id=\"scenario-matrix\">\n<thead><tr><th>Scenario</th><th>Group</th>";
  write_column_headers(model, out);
  out << "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < model.rows().size(); ++r) {
    const row& x = model.rows()[r];
    const auto cells = row_cells(x);
    out << "<tr class=\"filterable scenario-row\" id=\"s-" << r << "\" data-verdicts=\""
        << verdict_tokens(cells) << "\" data-rfcs=\"" << html(join_tokens(x.rfcs))
        << "\" data-differ=\"" << differ_flag(cells) << "\"><td class=\"scenario-id\">"
        << html(x.id) << "<div class=\"title\">" << html(x.title) << "</div></td><td>"
        << html(x.group) << "</td>";
    for (std::size_t c = 0; c < cells.size(); ++c)
      write_verdict_cell(out, cells[c], c, detail_id(c, r));
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void write_pre_cell(std::ostream& out, const std::string& text) {
  out << "<td><pre>" << html(text) << "</pre></td>";
}

void write_scenario_details(const harness::scenario_result& s, const std::string& id,
                            const std::string& rfcs, const std::string& column_label, bool several,
                            std::ostream& out) {
  const auto name = harness::to_string(s.result);
  out << "<details class=\"filterable scenario scenario-detail\" id=\"" << id
      << "\" data-verdicts=\"" << name << "\" data-rfcs=\"" << html(rfcs) << "\">\n<summary>"
      << "<span class=\"badge v-" << name << "\">" << verdict_label(s.result) << "</span> "
      << "<span class=\"scenario-id\">" << html(s.id) << "</span>";
  if (several) out << " <span class=\"muted\">on " << html(column_label) << "</span>";
  out << " <span class=\"title\">" << html(s.title) << "</span></summary>\n"
      << "<div class=\"detail-body\">\n<dl>";
  const auto item = [&out](std::string_view term, const std::string& value) {
    if (!value.empty()) out << "<dt>" << term << "</dt><dd>" << html(value) << "</dd>";
  };
  item("Reason", s.reason);
  item("File", s.file);
  item("Group", s.group);
  item("Protocol", s.protocol);
  item("Duration", detail::format_duration(s.duration_ms));
  if (s.destructive) item("Destructive", "yes: changes the maildrop");
  out << "</dl>\n";
  if (!s.requirements.empty()) {
    out << "<table class=\"requirements\"><thead><tr><th>Requirement</th><th>Level</th>"
        << "<th>Section</th><th>Text</th></tr></thead><tbody>\n";
    for (const auto& r : s.requirements)
      out << "<tr><td class=\"req-id\">" << html(r.id) << "</td><td>" << harness::to_string(r.level)
          << "</td><td>" << html(r.rfc.empty() ? r.section : "RFC " + r.rfc + " " + r.section)
          << "</td><td>" << html(r.sentence) << "</td></tr>\n";
    out << "</tbody></table>\n";
  }
  if (s.failure) {
    out << "<div class=\"failure-box\"><p class=\"failing-step\">Failing step "
        << s.failure->step_index + 1;
    if (!s.failure->location.empty()) out << " at <code>" << html(s.failure->location) << "</code>";
    out << "</p>\n<table class=\"expected-actual\"><thead><tr><th>Expected</th><th>Actual</th>"
        << "</tr></thead><tbody><tr>";
    write_pre_cell(out, s.failure->expected);
    write_pre_cell(out, s.failure->actual);
    out << "</tr></tbody></table></div>\n";
  }
  if (!s.differences.empty()) {
    out << "<h4>Differences from the reference server</h4>\n<table class=\"differences\">"
        << "<thead><tr><th>Step</th><th>What differs</th><th>Target</th><th>Reference</th>"
        << "</tr></thead><tbody>\n";
    for (const auto& d : s.differences) {
      out << "<tr><td>" << d.step_index + 1;
      if (!d.location.empty()) out << "<div class=\"muted\">" << html(d.location) << "</div>";
      out << "</td><td>" << html(d.description) << "</td>";
      write_pre_cell(out, d.target);
      write_pre_cell(out, d.reference);
      out << "</tr>\n";
    }
    out << "</tbody></table>\n";
  }
  if (!s.transcript.empty()) {
    out << "<h4>Transcript</h4>\n<ol class=\"transcript\">\n";
    for (const auto& t : s.transcript) {
      char at[32];
      std::snprintf(at, sizeof at, "%.1f ms", t.at_ms);
      // The failing step's entries are highlighted, so the eye finds them in a long transcript.
      bool failing = s.failure && t.step_index && *t.step_index == s.failure->step_index;
      out << "<li class=\"t-"
          << (t.dir == harness::direction::client_to_server   ? "client_to_server"
              : t.dir == harness::direction::server_to_client ? "server_to_client"
                                                              : "event")
          << (failing ? " failing-step" : "") << "\"><span class=\"at\">" << at
          << "</span> <span class=\"conn\">"
          << html(t.connection.empty() ? std::string("main") : t.connection)
          << "</span> <span class=\"dir\">" << detail::direction_tag(t.dir)
          << "</span> <span class=\"data\">"
          << html(t.dir == harness::direction::event ? t.bytes : escape_octets(t.bytes))
          << "</span></li>\n";
    }
    out << "</ol>\n";
  }
  out << "</div>\n</details>\n";
}

void write_details(const report_model& model, std::ostream& out) {
  out << "<section id=\"details\">\n<h2>Details</h2>\n";
  for (std::size_t c = 0; c < model.columns().size(); ++c) {
    if (model.several()) out << "<h3>" << html(model.columns()[c].label) << "</h3>\n";
    if (model.several() && model.columns()[c].run->scenarios.empty())
      out << "<p class=\"muted\">No scenarios ran on this target.</p>\n";
    for (std::size_t r = 0; r < model.rows().size(); ++r)
      if (const auto* s = model.rows()[r].cells[c])
        write_scenario_details(*s, detail_id(c, r), join_tokens(model.rows()[r].rfcs),
                               model.columns()[c].label, model.several(), out);
  }
  out << "</section>\n";
}
}  // namespace

void write_html(std::span<const harness::run_results> runs, std::ostream& out) {
  const report_model model(runs);
  write_head(model, out);
  write_summary(model, out);
  write_filters(model, out);
  write_requirement_matrix(model, out);
  write_scenario_matrix(model, out);
  write_details(model, out);
  std::string version;
  if (!runs.empty()) version = runs.front().meta.popspec_version;
  out << "<footer>Generated by popspec " << html(version) << "</footer>\n"
      << "<script>" << detail::report_js << "</script>\n</body>\n</html>\n";
}

}  // namespace popspec::reports
