#include "popspec/harness/matcher.hpp"

#include <algorithm>
#include <boost/regex.hpp>
#include <charconv>
#include <map>

#include "popspec/codec/escape.hpp"

namespace popspec::harness {

std::string_view to_string(response_end e) {
  switch (e) {
    case response_end::complete:
      return "complete";
    case response_end::closed:
      return "closed";
    case response_end::closed_midway:
      return "closed_midway";
    case response_end::timeout:
      return "timeout";
    case response_end::timeout_midway:
      return "timeout_midway";
    case response_end::silence:
      return "silence";
    case response_end::too_large:
      return "too_large";
    case response_end::malformed:
      return "malformed";
    case response_end::send_failed:
      return "send_failed";
  }
  return "complete";
}

std::vector<std::string> wire_lines(const std::string& wire) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < wire.size()) {
    std::size_t crlf = wire.find("\r\n", start);
    if (crlf == std::string::npos) {
      lines.push_back(wire.substr(start));
      break;
    }
    lines.push_back(wire.substr(start, crlf - start));
    start = crlf + 2;
  }
  return lines;
}

std::vector<std::string> top_lines(const std::string& wire, std::uint64_t n) {
  std::vector<std::string> all = wire_lines(wire);
  auto blank = std::find(all.begin(), all.end(), std::string());
  if (blank == all.end()) return all;  // no body: the headers are the whole message
  std::size_t header_end = static_cast<std::size_t>(blank - all.begin()) + 1;
  std::size_t body = all.size() - header_end;
  std::size_t keep = header_end + static_cast<std::size_t>(std::min<std::uint64_t>(n, body));
  all.resize(keep);
  return all;
}

namespace {

std::string quoted(std::string_view s, std::size_t limit = 120) {
  if (s.size() > limit) s = s.substr(0, limit + 1);
  std::string e = codec::escape_bytes(s.substr(0, limit));
  return "\"" + e + (s.size() > limit ? "...\"" : "\"");
}

// Expands a template; on an undefined variable sets `error`.
std::optional<std::string> expand_or_error(const text_template& t, const variable_map& vars,
                                           std::string& error, bool regex = false) {
  auto x = expand(t.text, vars, regex);
  if (x.undefined) {
    error = "variable ${" + *x.undefined + "} is not defined here";
    return std::nullopt;
  }
  return x.text;
}

std::optional<std::uint64_t> expand_number(const number_template& t, const variable_map& vars,
                                           std::string& error) {
  auto s = expand_or_error(t.text, vars, error);
  if (!s) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size() || s->empty()) {
    error = "expected a whole number, but \"" + t.text.text + "\" expands to " + quoted(*s);
    return std::nullopt;
  }
  return v;
}

// POP3: the status token is exactly "+OK" or "-ERR" followed by the end of the line or a space
// (RFC 1939 §3; RFC 1957: the space may be missing when no text follows). POP2: the first
// character, with the digits of # and = right after it (RFC 937 <count>, <length>).
bool status_matches(std::string_view line, std::string_view status, protocol_kind protocol) {
  if (protocol == protocol_kind::pop3) {
    if (line.substr(0, status.size()) != status) return false;
    return line.size() == status.size() || line[status.size()] == ' ';
  }
  if (line.empty() || line.substr(0, 1) != status) return false;
  if (status == "#" || status == "=") return line.size() > 1 && line[1] >= '0' && line[1] <= '9';
  return true;
}

std::string status_token(std::string_view line, protocol_kind protocol) {
  if (protocol == protocol_kind::pop2) return std::string(line.substr(0, 1));
  return std::string(line.substr(0, line.find(' ')));
}

std::string first_difference(std::string_view got, std::string_view want) {
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  std::size_t from = i > 20 ? i - 20 : 0;
  return "first difference at octet " + std::to_string(i) + ": got " +
         quoted(got.substr(std::min(from, got.size()), 60)) + ", expected " +
         quoted(want.substr(std::min(from, want.size()), 60));
}

// Compares data lines with expected lines without materialising the received lines.
std::string compare_lines(const observation& seen, const std::vector<std::string>& want,
                          std::string_view what) {
  std::size_t index = 0;
  std::string diff;
  for_each_data_line(seen.data, [&](std::string_view line) {
    if (index < want.size() && line != want[index]) {
      diff = std::string(what) + ": line " + std::to_string(index + 1) + " is " + quoted(line) +
             ", expected " + quoted(want[index]);
      return false;
    }
    ++index;
    return true;
  });
  if (!diff.empty()) return diff;
  if (seen.line_count != want.size())
    return std::string(what) + ": " + std::to_string(seen.line_count) + " data lines, expected " +
           std::to_string(want.size());
  return {};
}

bool regex_search(const std::string& pattern, std::string_view text,
                  boost::match_results<std::string_view::const_iterator>* m, std::string& error) {
  try {
    boost::regex re(pattern, boost::regex::perl);
    boost::match_results<std::string_view::const_iterator> local;
    return boost::regex_search(text.begin(), text.end(), m ? *m : local, re);
  } catch (const std::exception& e) {
    error = "regular expression " + quoted(pattern) + " failed: " + e.what();
    return false;
  }
}

// A POP2 data read that received exactly one line and then the close, seen as that reply line
// followed by the close; nothing otherwise.
std::optional<observation> reply_before_close(const observation& seen) {
  if (seen.end != response_end::closed_midway) return std::nullopt;
  const std::string& d = seen.data;
  std::size_t lf = d.find('\n');
  if (lf == std::string::npos || lf + 1 != d.size()) return std::nullopt;
  observation reply;
  reply.end = response_end::complete;
  reply.status_line = d.substr(0, lf);
  if (!reply.status_line.empty() && reply.status_line.back() == '\r')
    reply.status_line.pop_back();
  else
    reply.violations.push_back("bare_lf at octet " + std::to_string(lf));
  reply.closed_after = true;
  reply.octets = seen.octets;
  reply.elapsed_ms = seen.elapsed_ms;
  return reply;
}

}  // namespace

outcome_check check_outcome(const outcome& o, protocol_kind protocol, const observation& seen,
                            const variable_map& vars_in, const fixture_lookup& fixture) {
  outcome_check r;
  auto mismatch = [&](std::string why) {
    r.matched = false;
    r.mismatch = std::move(why);
    return r;
  };
  if (o.closed) {
    if (seen.end == response_end::closed) {
      r.matched = true;
      return r;
    }
    return mismatch("expected the server to close the connection, but " +
                    describe_observation(seen));
  }
  if (o.silence_ms) {
    if (seen.end == response_end::silence) {
      r.matched = true;
      return r;
    }
    return mismatch("expected no response within " + std::to_string(*o.silence_ms) + " ms, but " +
                    describe_observation(seen));
  }
  if (protocol == protocol_kind::pop2 && seen.pop2_data && !o.data_octets) {
    // A data read (RETR) that got one reply line and then the close: the server refused the
    // command ("-" and close) where data was planned. Outcomes for a reply line judge that line.
    if (auto reply = reply_before_close(seen))
      return check_outcome(o, protocol, *reply, vars_in, fixture);
  }
  if (seen.end != response_end::complete) return mismatch(describe_observation(seen));
  if (!o.allow_malformed && !seen.violations.empty())
    return mismatch("malformed response: " + seen.violations.front());

  variable_map vars = vars_in;
  if (o.status && !o.data_octets) {
    if (!status_matches(seen.status_line, *o.status, protocol))
      return mismatch("status is " + quoted(status_token(seen.status_line, protocol)) +
                      ", expected " + *o.status + " (line " + quoted(seen.status_line) + ")");
  }
  if (o.match) {
    auto pattern = expand_or_error(*o.match, vars, r.error, true);
    if (!pattern) return r;
    boost::match_results<std::string_view::const_iterator> m;
    if (!regex_search(*pattern, seen.status_line, &m, r.error)) {
      if (!r.error.empty()) return r;
      return mismatch("line " + quoted(seen.status_line) + " does not match /" + *pattern + "/");
    }
    for (const auto& name : regex_capture_names(o.match->text)) {
      const auto& sub = m[name];
      if (sub.matched) {
        r.captures[name] = sub.str();
        vars[name] = sub.str();
      }
    }
  }
  if (o.data_octets) {
    auto want = expand_number(*o.data_octets, vars, r.error);
    if (!want) return r;
    if (!seen.pop2_data) return mismatch("expected message data, got a reply line");
    if (seen.data.size() != *want)
      return mismatch("received " + std::to_string(seen.data.size()) + " data octets, expected " +
                      std::to_string(*want));
    if (o.message) {
      auto wire = fixture(*o.message);
      if (!wire) {
        r.error = "fixture message " + std::to_string(o.message->number) + " is unknown";
        return r;
      }
      if (seen.data != *wire)
        return mismatch("data differs from fixture message " + std::to_string(o.message->number) +
                        ": " + first_difference(seen.data, *wire));
    }
  } else if (o.wants_data()) {
    if (!seen.multiline) return mismatch("expected multi-line data, got a single-line response");
    if (o.lines) {
      std::vector<std::string> want;
      for (const auto& t : *o.lines) {
        auto line = expand_or_error(t, vars, r.error);
        if (!line) return r;
        want.push_back(*line);
      }
      if (auto d = compare_lines(seen, want, "lines"); !d.empty()) return mismatch(d);
    }
    if (o.message) {
      auto wire = fixture(*o.message);
      if (!wire) {
        r.error = "fixture message " + std::to_string(o.message->number) + " is unknown";
        return r;
      }
      // The server ends a message that lacks a final CRLF with one (RFC 1939 §3).
      std::string want = *wire;
      if (!want.empty() && want.substr(want.size() < 2 ? 0 : want.size() - 2) != "\r\n")
        want += "\r\n";
      if (seen.data != want)
        return mismatch("data differs from fixture message " + std::to_string(o.message->number) +
                        " (" + std::to_string(seen.data.size()) + " octets, expected " +
                        std::to_string(want.size()) + "): " + first_difference(seen.data, want));
    }
    if (o.top_of) {
      auto wire = fixture(o.top_of->message);
      if (!wire) {
        r.error = "fixture message " + std::to_string(o.top_of->message.number) + " is unknown";
        return r;
      }
      auto want = top_lines(*wire, o.top_of->lines);
      if (auto d = compare_lines(seen, want,
                                 "TOP " + std::to_string(o.top_of->message.number) + " " +
                                     std::to_string(o.top_of->lines));
          !d.empty())
        return mismatch(d);
    }
    if (o.line_count) {
      std::uint64_t n = seen.line_count;
      if (o.line_count->exact) {
        auto want = expand_number(*o.line_count->exact, vars, r.error);
        if (!want) return r;
        if (n != *want)
          return mismatch(std::to_string(n) + " data lines, expected " + std::to_string(*want));
      }
      if (o.line_count->min && n < *o.line_count->min)
        return mismatch(std::to_string(n) + " data lines, expected at least " +
                        std::to_string(*o.line_count->min));
      if (o.line_count->max && n > *o.line_count->max)
        return mismatch(std::to_string(n) + " data lines, expected at most " +
                        std::to_string(*o.line_count->max));
    }
    if (o.every_line) {
      auto pattern = expand_or_error(*o.every_line, vars, r.error, true);
      if (!pattern) return r;
      std::size_t index = 0;
      std::string diff;
      try {
        boost::regex re(*pattern, boost::regex::perl);  // compiled once for every line
        for_each_data_line(seen.data, [&](std::string_view line) {
          ++index;
          if (boost::regex_search(line.begin(), line.end(), re)) return true;
          diff = "data line " + std::to_string(index) + " " + quoted(line) + " does not match /" +
                 *pattern + "/";
          return false;
        });
      } catch (const std::exception& e) {
        r.error = "regular expression " + quoted(*pattern) + " failed: " + e.what();
      }
      if (!r.error.empty()) return r;
      if (!diff.empty()) return mismatch(diff);
    }
    if (o.set) {
      // Count the expected lines, then take away what arrived: memory stays bounded by the
      // expectation, whatever the server sends.
      std::map<std::string, long, std::less<>> wanted;
      for (const auto& t : *o.set) {
        auto line = expand_or_error(t, vars, r.error);
        if (!line) return r;
        ++wanted[*line];
      }
      std::string diff;
      for_each_data_line(seen.data, [&](std::string_view line) {
        auto it = wanted.find(line);
        if (it == wanted.end() || it->second == 0) {
          diff = "unexpected line " + quoted(line) + " (not in the expected set, or repeated)";
          return false;
        }
        --it->second;
        return true;
      });
      if (!diff.empty()) return mismatch(diff);
      for (const auto& [line, count] : wanted)
        if (count > 0) return mismatch("missing line " + quoted(line) + " from the set");
    }
    if (o.contains) {
      for (const auto& t : *o.contains) {
        auto line = expand_or_error(t, vars, r.error);
        if (!line) return r;
        bool found = !for_each_data_line(
            seen.data, [&](std::string_view l) { return l != std::string_view(*line); });
        if (!found) return mismatch("no data line " + quoted(*line));
      }
    }
    if (o.octets) {
      auto want = expand_number(*o.octets, vars, r.error);
      if (!want) return r;
      if (seen.data.size() != *want)
        return mismatch(std::to_string(seen.data.size()) + " data octets, expected " +
                        std::to_string(*want));
    }
  }
  if (o.then_closed && !seen.closed_after)
    return mismatch("the server did not close the connection after the response");
  if (o.capture && seen.multiline) {
    // Only once everything else holds: an outcome that does not match captures nothing.
    for (const auto& t : *o.capture) {
      auto pattern = expand_or_error(t, vars, r.error, true);
      if (!pattern) return r;
      auto names = regex_capture_names(t.text);
      for (const auto& name : names) vars[name] = r.captures[name] = "";
      try {
        boost::regex re(*pattern, boost::regex::perl);
        for_each_data_line(seen.data, [&](std::string_view line) {
          boost::match_results<std::string_view::const_iterator> m;
          if (!boost::regex_search(line.begin(), line.end(), m, re)) return true;
          for (const auto& name : names)
            if (m[name].matched) vars[name] = r.captures[name] = m[name].str();
          return false;  // the first matching line wins
        });
      } catch (const std::exception& e) {
        r.error = "regular expression " + quoted(*pattern) + " failed: " + e.what();
        return r;
      }
    }
  }
  r.matched = true;
  return r;
}

expectation_check check_expectation(const expectation& e, protocol_kind protocol,
                                    const observation& seen, const variable_map& vars,
                                    const fixture_lookup& fixture) {
  expectation_check result;
  for (std::size_t i = 0; i < e.any_of.size(); ++i) {
    auto c = check_outcome(e.any_of[i], protocol, seen, vars, fixture);
    if (!c.error.empty()) {
      result.error = c.error;
      return result;
    }
    if (c.matched) {
      result.matched = i;
      result.result = e.any_of[i].result;
      result.note = e.any_of[i].note;
      result.captures = std::move(c.captures);
      return result;
    }
    result.mismatches.push_back(std::move(c.mismatch));
  }
  return result;
}

std::string describe_outcome(const outcome& o, const variable_map& vars) {
  std::vector<std::string> parts;
  auto show = [&](const text_template& t) {
    auto x = expand(t.text, vars);
    return x.undefined ? t.text : x.text;
  };
  if (o.closed) parts.push_back("the server closes the connection without answering");
  if (o.silence_ms) parts.push_back("no response within " + std::to_string(*o.silence_ms) + " ms");
  if (o.status) parts.push_back("status " + *o.status);
  if (o.match) parts.push_back("line matching /" + show(*o.match) + "/");
  if (o.data_octets) parts.push_back(show(o.data_octets->text) + " data octets");
  if (o.message)
    parts.push_back("data equal to fixture message " + std::to_string(o.message->number) +
                    (o.message->mailbox.empty() ? "" : " of " + o.message->mailbox));
  if (o.top_of)
    parts.push_back("TOP " + std::to_string(o.top_of->message.number) + " " +
                    std::to_string(o.top_of->lines) + " of the fixture");
  if (o.lines) {
    std::string l = "lines [";
    for (std::size_t i = 0; i < o.lines->size(); ++i)
      l += (i ? ", " : "") + quoted(show((*o.lines)[i]), 60);
    parts.push_back(l + "]");
  }
  if (o.line_count) {
    if (o.line_count->exact) parts.push_back(show(o.line_count->exact->text) + " data lines");
    if (o.line_count->min)
      parts.push_back("at least " + std::to_string(*o.line_count->min) + " data lines");
    if (o.line_count->max)
      parts.push_back("at most " + std::to_string(*o.line_count->max) + " data lines");
  }
  if (o.every_line) parts.push_back("every data line matching /" + show(*o.every_line) + "/");
  if (o.capture)
    for (const auto& t : *o.capture) parts.push_back("capturing from data lines /" + show(t) + "/");
  if (o.set) {
    std::string l = "exactly the lines {";
    for (std::size_t i = 0; i < o.set->size(); ++i)
      l += (i ? ", " : "") + quoted(show((*o.set)[i]), 60);
    parts.push_back(l + "} in any order");
  }
  if (o.contains) {
    std::string l = "data lines including [";
    for (std::size_t i = 0; i < o.contains->size(); ++i)
      l += (i ? ", " : "") + quoted(show((*o.contains)[i]), 60);
    parts.push_back(l + "]");
  }
  if (o.octets) parts.push_back(show(o.octets->text) + " data octets");
  if (o.then_closed) parts.push_back("then the server closes the connection");
  if (parts.empty()) parts.push_back("any complete response");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  if (o.result != verdict::pass) out += " (" + std::string(to_string(o.result)) + ")";
  return out;
}

std::string describe_expectation(const expectation& e, const variable_map& vars) {
  if (e.from_reference) return "the reference server's answer";
  if (e.any_of.size() == 1) return describe_outcome(e.any_of[0], vars);
  std::string out = "one of:";
  for (std::size_t i = 0; i < e.any_of.size(); ++i)
    out += "\n  (" + std::to_string(i + 1) + ") " + describe_outcome(e.any_of[i], vars);
  return out;
}

std::string describe_observation(const observation& seen) {
  std::string head =
      seen.status_line.empty() && !seen.pop2_data ? std::string() : quoted(seen.status_line);
  switch (seen.end) {
    case response_end::closed:
      return "the server closed the connection without answering";
    case response_end::timeout:
      return "no response within the deadline";
    case response_end::silence:
      return "no response (silence)";
    case response_end::send_failed:
      return "the command could not be sent: " + seen.problem;
    case response_end::closed_midway:
      return "the server closed the connection in the middle of the response after " +
             std::to_string(seen.octets) + " octets" +
             (head.empty() ? "" : " (first line " + head + ")");
    case response_end::timeout_midway:
      return "the response was incomplete at the deadline after " + std::to_string(seen.octets) +
             " octets" + (head.empty() ? "" : " (first line " + head + ")") +
             (seen.problem.empty() ? "" : ": " + seen.problem);
    case response_end::too_large:
      return "the response exceeded a size limit: " + seen.problem;
    case response_end::malformed:
      return "a malformed response" + (head.empty() ? "" : " " + head) +
             (seen.problem.empty() ? "" : ": " + seen.problem);
    case response_end::complete:
      break;
  }
  std::string out;
  if (seen.pop2_data) {
    out = std::to_string(seen.data.size()) + " data octets " + quoted(seen.data, 80);
  } else {
    out = head;
    if (seen.multiline)
      out += " with " + std::to_string(seen.line_count) + " data lines (" +
             std::to_string(seen.data.size()) + " octets)";
  }
  if (seen.closed_after) out += ", then the server closed the connection";
  if (!seen.violations.empty())
    out += " [violations: " + seen.violations.front() +
           (seen.violations.size() > 1 ? ", ..." : "") + "]";
  return out;
}

}  // namespace popspec::harness
