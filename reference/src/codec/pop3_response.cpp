#include "popspec/codec/pop3_response.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace popspec::codec {
namespace {

// RFC 1939 §3 and RFC 2449 §4: the first line of a response is at most 512 octets with CRLF.
constexpr std::size_t rfc_status_line_max = 512;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

}  // namespace

// ---- Server side ------------------------------------------------------------------------------

void append_status(std::string& out, bool ok, std::string_view text) {
  out += ok ? "+OK" : "-ERR";
  if (!text.empty()) {
    out += ' ';
    out += text;
  }
  out += "\r\n";
}

void append_dot_stuffed(std::string& out, std::string_view wire) {
  out.reserve(out.size() + wire.size() + 2);
  const bool needs_crlf = !wire.empty() && !wire.ends_with("\r\n");
  // A line at a time (memchr and one copy each), not octet by octet: this runs over every
  // message the reference server sends.
  while (!wire.empty()) {
    if (wire.front() == '.') out += '.';
    const std::size_t lf = wire.find('\n');
    const std::size_t line = lf == std::string_view::npos ? wire.size() : lf + 1;
    out.append(wire.substr(0, line));
    wire.remove_prefix(line);
  }
  if (needs_crlf) out += "\r\n";
}

void append_terminator(std::string& out) {
  out += ".\r\n";
}

void append_multiline(std::string& out, std::string_view ok_text, std::string_view wire) {
  append_status(out, true, ok_text);
  append_dot_stuffed(out, wire);
  append_terminator(out);
}

// ---- Client side ------------------------------------------------------------------------------

const char* to_string(violation_kind kind) {
  switch (kind) {
    case violation_kind::bare_lf:
      return "bare_lf";
    case violation_kind::bare_cr:
      return "bare_cr";
    case violation_kind::dot_cr_without_lf:
      return "dot_cr_without_lf";
    case violation_kind::status_line_over_512:
      return "status_line_over_512";
    case violation_kind::lowercase_status:
      return "lowercase_status";
    case violation_kind::missing_space_after_status:
      return "missing_space_after_status";
    case violation_kind::nul_octet:
      return "nul_octet";
    case violation_kind::non_ascii_status:
      return "non_ascii_status";
    case violation_kind::unstuffed_dot_line:
      return "unstuffed_dot_line";
  }
  return "unknown";
}

response_parser::response_parser(bool multiline_if_ok, response_limits limits)
    : multiline_if_ok_(multiline_if_ok), limits_(limits) {}

void response_parser::reset(bool multiline_if_ok) {
  multiline_if_ok_ = multiline_if_ok;
  state_ = state::status;
  error_.clear();
  line_.clear();
  result_ = response{};
}

std::error_code response_parser::finish() const {
  switch (state_) {
    case state::done:
      return {};
    case state::failed:
      return error_;
    case state::status:
    case state::data:
      break;
  }
  return codec_errc::incomplete;
}

void response_parser::fail(codec_errc e) {
  state_ = state::failed;
  error_ = e;
}

std::size_t response_parser::feed(std::string_view bytes, std::error_code& ec) {
  ec.clear();
  if (state_ == state::failed) {
    ec = error_;
    return 0;
  }
  // One turn per line end (or per chunk when no line ends in it); the search is memchr.
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p != end && (state_ == state::status || state_ == state::data)) {
    // Both limits are checked at fixed octet positions of the response (the octet that makes a
    // line or the whole response too big), so the outcome is the same whatever the chunking.
    if (result_.wire_octets >= limits_.max_response) {
      fail(codec_errc::response_too_large);
      break;
    }
    const std::size_t available =
        std::min(static_cast<std::size_t>(end - p), limits_.max_response - result_.wire_octets);
    const std::size_t line_limit =
        state_ == state::status ? limits_.max_status_line : limits_.max_data_line;
    // Octets the current line may still take, its LF included.
    const std::size_t room = line_limit > line_.size() ? line_limit - line_.size() : 0;
    const void* lf = std::memchr(p, '\n', std::min(available, room));
    if (lf != nullptr) {
      const std::size_t length = static_cast<std::size_t>(static_cast<const char*>(lf) - p);
      const std::size_t line_offset = result_.wire_octets - line_.size();
      result_.wire_octets += length + 1;
      if (line_.empty()) {
        end_line({p, length}, line_offset);  // the whole line is in this chunk: no copy
      } else {
        line_.append(p, length);
        end_line(line_, line_offset);
        line_.clear();  // keeps its capacity for the next split line
      }
      p += length + 1;
      continue;
    }
    if (available >= room) {
      fail(state_ == state::status ? codec_errc::status_line_too_long
                                   : codec_errc::data_line_too_long);
      break;
    }
    line_.append(p, available);
    result_.wire_octets += available;
    p += available;
  }
  if (state_ == state::failed) {
    line_.clear();  // the partial line is of no further use
    ec = error_;
  }
  return static_cast<std::size_t>(p - bytes.data());
}

void response_parser::add_violation(violation_kind kind, std::size_t offset,
                                    std::string_view detail) {
  if (result_.violations.size() < limits_.max_violations) {
    if (result_.violations.empty()) result_.violations.reserve(8);  // one allocation, not four
    result_.violations.push_back({kind, offset, detail});
  } else {
    ++result_.violations_dropped;
  }
}

// Records octet-level violations of one line's text (terminator excluded), each kind once per
// line. `skip_cr_at` names a CR position already reported under a more specific kind. Searches
// use find() (memchr), since this runs over every data line of every message.
void response_parser::scan_octets(std::string_view text, std::size_t text_offset,
                                  std::size_t skip_cr_at) {
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    add_violation(violation_kind::nul_octet, text_offset + nul, "NUL octet in a line");
  }
  std::size_t cr = text.find('\r');
  if (cr != std::string_view::npos && cr == skip_cr_at) cr = text.find('\r', cr + 1);
  if (cr != std::string_view::npos) {
    add_violation(violation_kind::bare_cr, text_offset + cr, "CR not followed by LF");
  }
  if (state_ == state::status) {
    const auto high = std::find_if(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) > 0x7F; });
    if (high != text.end()) {
      add_violation(violation_kind::non_ascii_status,
                    text_offset + static_cast<std::size_t>(high - text.begin()),
                    "octet over 0x7F in the status line");
    }
  }
}

void response_parser::end_line(std::string_view raw, std::size_t line_offset) {
  // `raw` is the line's octets before its LF; the LF itself is at line_offset + raw.size().
  const std::size_t octets = raw.size() + 1;
  std::string_view text = raw;
  if (text.ends_with('\r')) {
    text.remove_suffix(1);
  } else {
    add_violation(violation_kind::bare_lf, line_offset + raw.size(), "line ended by LF without CR");
  }
  if (state_ == state::status) {
    end_status_line(text, line_offset, octets);
  } else {
    end_data_line(text, line_offset);
  }
}

void response_parser::end_status_line(std::string_view text, std::size_t line_offset,
                                      std::size_t octets) {
  std::size_t indicator_size = 0;
  std::string_view canonical;
  if (text.size() >= 3 && equals_ignoring_case(text.substr(0, 3), "+OK")) {
    result_.ok = true;
    indicator_size = 3;
    canonical = "+OK";
  } else if (text.size() >= 4 && equals_ignoring_case(text.substr(0, 4), "-ERR")) {
    result_.ok = false;
    indicator_size = 4;
    canonical = "-ERR";
  } else {
    result_.status_line.assign(text);
    fail(codec_errc::bad_status_indicator);
    return;
  }
  result_.status_line.assign(text);
  if (text.substr(0, indicator_size) != canonical) {
    add_violation(violation_kind::lowercase_status, line_offset,
                  "status indicator not in upper case");
  }
  std::string_view rest = text.substr(indicator_size);
  if (!rest.empty()) {
    if (rest.front() == ' ') {
      rest.remove_prefix(1);
    } else {
      add_violation(violation_kind::missing_space_after_status, line_offset + indicator_size,
                    "status indicator not followed by a space");
    }
  }
  if (octets > rfc_status_line_max) {
    add_violation(violation_kind::status_line_over_512, line_offset,
                  "status line over 512 octets with its CRLF");
  }
  scan_octets(text, line_offset, std::string_view::npos);
  result_.text.assign(rest);
  result_.multiline = multiline_if_ok_ && result_.ok;
  state_ = result_.multiline ? state::data : state::done;
}

void response_parser::end_data_line(std::string_view text, std::size_t line_offset) {
  if (text == ".") {
    state_ = state::done;
    return;
  }
  std::size_t skip_cr_at = std::string_view::npos;
  if (text.starts_with('.')) {
    if (text[1] == '\r') {
      // ".\r" then not LF: not the terminator, so read as a stuffed data line.
      skip_cr_at = 1;
      add_violation(violation_kind::dot_cr_without_lf, line_offset + 1,
                    "\".\" CR not followed by LF in multi-line data");
    } else if (text[1] != '.') {
      add_violation(violation_kind::unstuffed_dot_line, line_offset,
                    "data line starts with a single '.' (not byte-stuffed)");
    }
  }
  scan_octets(text, line_offset, skip_cr_at);
  if (text.starts_with('.')) text.remove_prefix(1);
  result_.data.append(text);
  result_.data += "\r\n";
  ++result_.line_count;
}

std::size_t parse_response(std::string_view bytes, bool multiline_if_ok, response& out,
                           std::error_code& ec, const response_limits& limits) {
  response_parser parser(multiline_if_ok, limits);
  const std::size_t consumed = parser.feed(bytes, ec);
  if (!ec) ec = parser.finish();
  out = parser.take_result();
  return consumed;
}

std::vector<std::string_view> split_data_lines(std::string_view data) {
  std::vector<std::string_view> lines;
  while (!data.empty()) {
    const std::size_t lf = data.find('\n');
    std::string_view line = data.substr(0, lf);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (lf == std::string_view::npos) break;
    data.remove_prefix(lf + 1);
  }
  return lines;
}

}  // namespace popspec::codec
