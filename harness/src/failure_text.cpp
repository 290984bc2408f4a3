#include "popspec/harness/failure_text.hpp"

#include <cstdio>

#include "popspec/codec/escape.hpp"

namespace popspec::harness {

namespace {
std::string upper_verdict(verdict v) {
  std::string s(to_string(v));
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string indent_lines(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += (first ? "" : "\n" + prefix) + line;
    first = false;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}
}  // namespace

std::string format_failure(const scenario_result& r, const std::string& root,
                           std::size_t transcript_lines) {
  std::string out = upper_verdict(r.result) + " " + r.id;
  if (!r.reason.empty()) out += ": " + codec::escape_bytes(r.reason);
  out += "\n";
  for (const auto& req : r.requirements)
    out += "  requirement " + req.id + " (" + std::string(to_string(req.level)) + ", RFC " +
           req.rfc + " " + req.section + "): " + req.sentence + "\n";
  if (r.failure) {
    std::string where = r.failure->location.empty() ? root + "/" + r.file : r.failure->location;
    out += "  at " + where + " (step " + std::to_string(r.failure->step_index + 1) + ")\n";
    if (!r.failure->expected.empty())
      out += "  expected: " + indent_lines(r.failure->expected, "            ") + "\n";
    if (!r.failure->actual.empty())
      out += "  actual:   " + indent_lines(r.failure->actual, "            ") + "\n";
  } else {
    out += "  in " + root + "/" + r.file + "\n";
  }
  if (!r.differences.empty())
    out += "  differs from the reference server at " + std::to_string(r.differences.size()) +
           " response(s), first: " + r.differences.front().description + "\n";
  if (!r.transcript.empty() && transcript_lines > 0) {
    // Split the transcript into wire lines, then keep the last few.
    std::vector<std::string> lines;
    for (const auto& e : r.transcript) {
      std::string tag = e.dir == direction::client_to_server   ? "C:"
                        : e.dir == direction::server_to_client ? "S:"
                                                               : "--";
      if (e.dir == direction::event) {
        lines.push_back(e.connection + " " + tag + " " + e.bytes);
        continue;
      }
      std::size_t start = 0;
      while (start < e.bytes.size()) {
        std::size_t lf = e.bytes.find('\n', start);
        std::size_t end = lf == std::string::npos ? e.bytes.size() : lf + 1;
        std::string piece = e.bytes.substr(start, std::min<std::size_t>(end - start, 200));
        lines.push_back(e.connection + " " + tag + " " + codec::escape_bytes(piece) +
                        (end - start > 200 ? "..." : ""));
        start = end;
      }
    }
    std::size_t from = lines.size() > transcript_lines ? lines.size() - transcript_lines : 0;
    out += "  last lines of the transcript" +
           std::string(from ? " (" + std::to_string(from) +
                                  " earlier lines not shown; --verbose "
                                  "shows all)"
                            : "") +
           ":\n";
    for (std::size_t i = from; i < lines.size(); ++i) out += "    " + lines[i] + "\n";
  }
  return out;
}

}  // namespace popspec::harness
