#pragma once
// POP3 responses (RFC 1939 §3, RFC 2449 §3-4), with no I/O.
// Server side: serialisation of status lines and dot-stuffed multi-line data.
// Client side: an incremental parser in the style of Boost.Beast's: feed it bytes, it says how
// many it consumed, whether the response is done, or which error stopped it. Protocol violations
// that still leave the response readable are recorded, not silently accepted.
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "popspec/codec/errc.hpp"

namespace popspec::codec {

// ---- Server side ------------------------------------------------------------------------------

// "+OK text\r\n" or "-ERR text\r\n"; "+OK\r\n" / "-ERR\r\n" when text is empty. `text` is written
// as given (it must not hold CR or LF; the caller owns what it says).
void append_status(std::string& out, bool ok, std::string_view text);

// Appends message octets (`wire`: CRLF line endings) byte-stuffed: every line that begins with
// '.' gets another '.' in front (RFC 1939 §3). A line begins at the start of `wire` and after
// each LF. A non-empty `wire` that does not end in CRLF gets a CRLF, so the terminator that
// follows is always on a line of its own.
void append_dot_stuffed(std::string& out, std::string_view wire);

// The multi-line terminator ".\r\n".
void append_terminator(std::string& out);

// "+OK ok_text\r\n", the dot-stuffed `wire`, then ".\r\n".
void append_multiline(std::string& out, std::string_view ok_text, std::string_view wire);

// ---- Client side ------------------------------------------------------------------------------

struct response_limits {
  std::size_t max_status_line = 8192;    // octets of the first line, terminator included
  std::size_t max_data_line = 1 << 20;   // octets of one data line as sent, terminator included
  std::size_t max_response = 16u << 20;  // octets of the whole response as sent
  std::size_t max_violations = 64;       // further violations are only counted
};

enum class violation_kind {
  bare_lf,                     // a line ended by LF without CR (treated as a line end)
  bare_cr,                     // a CR not followed by LF, inside a line (kept in the text)
  dot_cr_without_lf,           // a data line ".\r" + something other than LF (read as data)
  status_line_over_512,        // first line over 512 octets with its CRLF (RFC 1939 §3, 2449 §4)
  lowercase_status,            // "+ok", "-Err"...: servers MUST send upper case (RFC 1939 §3)
  missing_space_after_status,  // "+OKtext": RFC 2449 has single-line = status [SP text] CRLF
  nul_octet,                   // NUL in a line (RFC 2449 CHAR is %x01-7F)
  non_ascii_status,            // an octet over 0x7F in the status line
  unstuffed_dot_line,          // data line "." + x, x not '.': the server did not byte-stuff it
};

// A stable snake_case name ("bare_lf", ...), for reports.
const char* to_string(violation_kind kind);

struct violation {
  violation_kind kind;
  std::size_t offset;  // of the offending octet (or of the line) in the response's octets
  // Static text (valid for the program's lifetime): recording a violation never allocates, since
  // a hostile server can make every line of a response one.
  std::string_view detail;

  friend bool operator==(const violation&, const violation&) = default;
};

struct response {
  bool ok = false;
  std::string status_line;  // without its line terminator
  std::string text;         // after the indicator and one space
  bool multiline = false;
  std::string data;  // unstuffed data octets, each line ended by CRLF, as the client delivers them
  std::size_t line_count = 0;          // data lines, the terminator not included
  std::size_t wire_octets = 0;         // octets of the response consumed so far, as sent
  std::vector<violation> violations;   // each kind at most once per line, first max_violations
  std::size_t violations_dropped = 0;  // violations beyond max_violations

  friend bool operator==(const response&, const response&) = default;
};

// Reads one response. The status line must start with "+OK" or "-ERR" (any case is read; other
// than upper case is a violation); anything else is bad_status_indicator. The response is
// multi-line only when the parser was told so (multiline_if_ok) and the status is +OK; it then
// ends with a line holding only "." (CRLF.CRLF), found whatever the chunking of the input.
//
// Results (done(), result(), the error code) do not depend on how the input is split across
// feed() calls. Memory stays bounded by the limits: the line being read is at most its limit,
// `data` at most max_response.
class response_parser {
 public:
  explicit response_parser(bool multiline_if_ok, response_limits limits = {});

  // Consumes bytes up to the end of the current response at most; bytes after it (pipelined
  // responses) are not consumed and stay with the caller. Returns the count consumed. `ec` is
  // cleared, or set to the error that stopped the parse; a failed parser keeps failing until
  // reset(). Once done(), returns 0.
  std::size_t feed(std::string_view bytes, std::error_code& ec);

  // The peer closed the stream: codec_errc::incomplete unless the response is done (or the error
  // that already stopped the parse).
  std::error_code finish() const;

  bool done() const { return state_ == state::done; }
  bool failed() const { return state_ == state::failed; }
  // True once the status line has been read and data lines are expected.
  bool in_data() const { return state_ == state::data; }
  const response& result() const { return result_; }
  // Moves the result out (for big data); the parser must be reset() before further use.
  response take_result() { return std::move(result_); }

  // Starts over for the next response, with the same limits.
  void reset(bool multiline_if_ok);

 private:
  enum class state { status, data, done, failed };

  void end_line(std::string_view raw, std::size_t line_offset);
  void end_status_line(std::string_view text, std::size_t line_offset, std::size_t octets);
  void end_data_line(std::string_view text, std::size_t line_offset);
  void scan_octets(std::string_view text, std::size_t text_offset, std::size_t skip_cr_at);
  void add_violation(violation_kind kind, std::size_t offset, std::string_view detail);
  void fail(codec_errc e);

  bool multiline_if_ok_;
  response_limits limits_;
  state state_ = state::status;
  std::error_code error_;
  std::string line_;  // raw octets of the current line so far, no LF
  response result_;
};

// Parses one complete response from `bytes`. Returns the octets consumed (the response's size,
// when it parsed); `ec` is codec_errc::incomplete if `bytes` ends first.
std::size_t parse_response(std::string_view bytes, bool multiline_if_ok, response& out,
                           std::error_code& ec, const response_limits& limits = {});

// The lines of response::data, without their CRLF (data is always CRLF-terminated lines).
std::vector<std::string_view> split_data_lines(std::string_view data);

}  // namespace popspec::codec
