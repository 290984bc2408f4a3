#pragma once
// Splits a byte stream into command lines, with no I/O. Shared by the POP3 and POP2 servers and
// by the fuzz targets, so the exact same framing runs over sockets and over in-memory input.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace popspec::codec {

enum class line_kind {
  line,      // a line ended by CRLF; `text` excludes the CRLF
  bare_lf,   // a line ended by a lone LF (a protocol violation the session must answer)
  too_long,  // more than max_line octets (counting CRLF) before CRLF; the rest was discarded
};

struct line_event {
  line_kind kind = line_kind::line;
  std::string text;  // for too_long: the first max_line octets only (for diagnostics)

  friend bool operator==(const line_event&, const line_event&) = default;
};

// Memory stays bounded by max_line whatever the peer sends: an over-long line is discarded as it
// arrives and reported once as `too_long` when its terminator finally comes.
//
// Length accounting counts the octets on the wire, terminator included: a CRLF line fits when its
// text is at most max_line - 2 octets, a bare-LF line when its text is at most max_line - 1. A CR
// that is not followed by LF is ordinary line text. Events do not depend on how the input is
// chunked across feed() calls.
class line_framer {
 public:
  explicit line_framer(std::size_t max_line_with_crlf);

  // Appends bytes read from the peer. Complete lines are framed right away and queued for
  // next(); only the unterminated tail (at most max_line octets) is kept as raw bytes.
  void feed(std::string_view bytes);
  // The next complete event, or nothing until more bytes are fed.
  std::optional<line_event> next();
  // Octets held that do not yet form a complete line (bounded by max_line).
  std::size_t pending() const;
  std::size_t max_line() const { return max_line_; }

 private:
  void finish_line(std::string_view last_segment);

  std::size_t max_line_;
  std::string partial_;  // the current line so far, while it still fits
  bool discarding_ = false;
  std::string discarded_head_;    // first max_line octets of the line being discarded
  std::deque<line_event> ready_;  // framed events not yet taken by next()
};

}  // namespace popspec::codec
