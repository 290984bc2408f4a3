#pragma once
// What the harness saw in answer to one command (or as a greeting): the transport fills it in,
// the matcher judges it, the differential comparison normalises it. Plain data, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popspec::harness {

enum class response_end {
  complete,        // the response arrived in full
  closed,          // the server closed the connection before sending any octet
  closed_midway,   // the server closed the connection in the middle of the response
  timeout,         // the deadline passed and nothing arrived
  timeout_midway,  // the deadline passed in the middle of the response
  silence,         // nothing arrived within the silence window an outcome asked for
  too_large,       // a size limit was exceeded (endless line, gigabytes of data)
  malformed,       // octets that cannot be a response (no status indicator, binary garbage)
  send_failed,     // the command could not be written (connection reset)
};
std::string_view to_string(response_end e);

struct observation {
  response_end end = response_end::complete;
  std::string status_line;  // first line without its terminator (may be partial)
  bool multiline = false;   // POP3: data lines were read after a positive status
  // POP3 multi-line: the unstuffed data, each line ended by CRLF (terminator not included).
  // POP2 RETR: the data octets received. Kept as one string (not a vector of lines) so a
  // response of millions of tiny lines costs no more memory than its octets.
  std::string data;
  std::size_t line_count = 0;              // POP3: data lines
  bool pop2_data = false;                  // POP2: this was a RETR data read
  std::optional<std::uint64_t> announced;  // POP2: the length the data read was told to expect
  bool closed_after = false;            // the server closed the connection right after the response
  std::vector<std::string> violations;  // syntax violations ("bare_lf at octet 5", ...)
  std::string problem;                  // transport detail for the non-complete endings
  std::uint64_t octets = 0;             // octets received for this response
  double elapsed_ms = 0;                // from sending (or starting to wait) to the end

  bool got_response() const { return end == response_end::complete; }
};

// Calls fn(line) for each CRLF-terminated line of POP3 data (without the CRLF); stops early and
// returns false when fn returns false.
template <typename Fn>
bool for_each_data_line(std::string_view data, Fn fn) {
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t end = data.find("\r\n", start);
    if (end == std::string_view::npos) end = data.size();
    if (!fn(data.substr(start, end - start))) return false;
    start = end + 2;
  }
  return true;
};

}  // namespace popspec::harness
